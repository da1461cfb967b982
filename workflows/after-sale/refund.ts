import { ActivityFailure, condition, patched, workflowInfo } from '@temporalio/workflow';
import type { ChannelRefundResult } from '../../activities/after-sales.js';
import type { AfterSaleStateView } from '../messages.js';
import { caseActs as acts, type CaseScope } from './case.js';
import { waitFor, waiting } from '../../domain/waiting.js';

/** How often a refund still PROCESSING at the channel is read back when no notification came. */
const REFUND_RECHECK = '1 minute';
/**
 * A refund that could not finish waits for a person to retry it (Update `retry`) instead of ending
 * the case (before: the case ended `needs_person` and nothing could move it on).
 */
export const REFUND_RETRY_PATCH = 'after-sale-refund-retry';
/** Channel states that end a refund without moving money: a retry sends a new refund number. */
const ENDED_WITHOUT_MONEY = new Set(['failed', 'closed']);

/**
 * Sends the agreed amount (`view.agreedFen`) back through the channel that took the money, once
 * (the refund number is the case and step; a retry reads the channel before sending), waits for a
 * refund still processing, and marks the lines refunded on the order. A refund that cannot finish
 * leaves the case to a person, who may retry it once whatever stopped it was put right: a refund
 * the channel ended without moving money (refused, closed) goes again under a new number (the
 * per-line cap no longer counts the ended one); any other (not sent, ABNORMAL) is read back under
 * the same number first, so money never moves twice.
 */
export async function refundCase(scope: CaseScope, lineIds: string[]): Promise<AfterSaleStateView> {
  const { input, view, record, needsPerson } = scope;
  const payment = input.payment!;
  let attempt = 1;
  let stuck = 0;
  for (;;) {
    const step = `refund-${attempt}`;
    // Notifications counted from the moment the refund is sent: one that arrives while it is being
    // sent still wakes the wait below.
    let seen = scope.notices();
    let outcome: ChannelRefundResult | undefined;
    let failure: { why: string; detail: Record<string, unknown> };
    try {
      outcome = await acts.refundThroughChannel({
        caseId: input.caseId,
        step,
        orderId: input.orderId,
        channel: payment.channel,
        outTradeNo: payment.outTradeNo,
        lines: input.lines,
        agreedFen: view.agreedFen!,
        reason: input.reason,
      });
      view.refund = { refundNo: outcome.refundNo, state: outcome.state, amountFen: outcome.amountFen };
      while (outcome.state === 'processing') {
        waitFor(view, waiting('case_refund_settle', { channel: payment.channel }));
        await condition(() => scope.notices() > seen, REFUND_RECHECK);
        seen = scope.notices();
        outcome = await acts.readChannelRefund({ refundNo: outcome.refundNo });
        view.refund = { refundNo: outcome.refundNo, state: outcome.state, amountFen: outcome.amountFen };
      }
      waitFor(view, null);
      if (outcome.state === 'succeeded') break;
      failure = {
        why: `a person: the ${payment.channel} refund is ${outcome.state}`,
        detail: { refundNo: outcome.refundNo, code: outcome.code ?? null },
      };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      failure = {
        why: `a person: the ${payment.channel} refund could not be sent`,
        detail: { error: err.cause?.message ?? err.message },
      };
    }
    // The first stop keeps its timeline step (`refund-1`, as cases before retries recorded it).
    await needsPerson(stuck === 0 ? step : `refund-stuck-${stuck + 1}`, failure.why, failure.detail);
    if (!patched(REFUND_RETRY_PATCH)) return view;
    stuck += 1;
    const fresh = outcome !== undefined && ENDED_WITHOUT_MONEY.has(outcome.state);
    const taken = scope.retries().length;
    view.retry = {
      step: 'refund',
      refundNo: outcome?.refundNo ?? view.refund?.refundNo ?? null,
      number: fresh ? 'new' : 'same',
      retries: taken,
    };
    await condition(() => scope.retries().length > taken);
    const retry = scope.retries()[taken]!;
    if (fresh) attempt += 1;
    await record(`refund-retry-${stuck}`, 'refunding', 'retried', retry.actor.id, {
      refundStep: `refund-${attempt}`,
      number: fresh ? 'new' : 'same',
      ...(retry.note ? { note: retry.note } : {}),
    });
  }
  const outcome = view.refund!;
  view.refundedFen = outcome.amountFen;
  view.outcome = 'refunded';
  await acts.changeOrderLineRefunds({
    orderId: input.orderId,
    lineIds,
    status: 'refunded',
    caseId: input.caseId,
  });
  await record('refunded', 'refunded', 'refunded', 'system', {
    refundNo: outcome.refundNo,
    amountFen: outcome.amountFen,
    channel: payment.channel,
    workflowId: workflowInfo().workflowId,
  });
  return view;
}

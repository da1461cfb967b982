import { ActivityFailure, condition, workflowInfo } from '@temporalio/workflow';
import type { AfterSaleStateView } from '../messages.js';
import { caseActs as acts, type CaseScope } from './case.js';

/** How often a refund still PROCESSING at the channel is read back when no notification came. */
const REFUND_RECHECK = '1 minute';

/**
 * Sends the agreed amount (`view.agreedFen`) back through the channel that took the money, once
 * (the refund number is the case and step; a retry reads the channel before sending), waits for a
 * refund still processing, and marks the lines refunded on the order. A refund that cannot finish
 * leaves the case to a person.
 */
export async function refundCase(scope: CaseScope, lineIds: string[]): Promise<AfterSaleStateView> {
  const { input, view, record, needsPerson } = scope;
  const payment = input.payment!;
  const step = 'refund-1';
  // Notifications counted from the moment the refund is sent: one that arrives while it is being
  // sent still wakes the wait below.
  let seen = scope.notices();
  let outcome;
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
      view.waitingFor = `the ${payment.channel} refund to settle`;
      await condition(() => scope.notices() > seen, REFUND_RECHECK);
      seen = scope.notices();
      outcome = await acts.readChannelRefund({ refundNo: outcome.refundNo });
      view.refund = { refundNo: outcome.refundNo, state: outcome.state, amountFen: outcome.amountFen };
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return needsPerson(step, `a person: the ${payment.channel} refund could not be sent`, {
      error: err.cause?.message ?? err.message,
    });
  }
  view.waitingFor = null;
  if (outcome.state !== 'succeeded') {
    return needsPerson(step, `a person: the ${payment.channel} refund is ${outcome.state}`, {
      refundNo: outcome.refundNo,
      code: outcome.code ?? null,
    });
  }
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

import { ActivityFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { AfterSaleDecision, AfterSaleStatus } from '../../domain/after-sales.js';
import type { RefundStatus } from '../../domain/order.js';
import type { PlatformCase, PlatformWriteResult } from '../../integrations/platforms/after-sales.js';
import { platformCaseSignal, type AfterSaleStateView, type AfterSaleWorkflowInput } from '../messages.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
/** The order a push named may still be on its way in: about ten minutes, then a person. */
const lineActs = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 25,
  },
});

export interface PlatformCaseContext {
  input: AfterSaleWorkflowInput;
  view: AfterSaleStateView;
  record(
    step: string,
    status: AfterSaleStatus,
    stage: string,
    actor: string,
    detail?: Record<string, unknown>,
  ): Promise<void>;
  needsPerson(step: string, why: string, detail?: Record<string, unknown>): Promise<AfterSaleStateView>;
  decision(): AfterSaleDecision | undefined;
}

/** What the order's lines become when the platform has ended the case. */
const LINES_AFTER: Partial<Record<PlatformCase['status'], RefundStatus>> = {
  refunded: 'refunded',
  closed: 'closed',
  refused: 'refused',
};
/**
 * The finance limit (CNY) is compared with what the case asks in its order's currency, converted at
 * the order's rate (before: the platform's amount was compared with the CNY limit as it was).
 */
const FINANCE_LIMIT_PATCH = 'after-sale-finance-limit-in-order-currency';
/** Platforms whose seller answers a return or refund after shipment (Shopee, Shopify returns). */
const SHIPPED_ANSWERS_PATCH = 'after-sale-platform-shipped-answers';
/** A refund on lines already with the carrier: the shop's rule may intercept the parcel. */
const INTERCEPT_PATCH = 'after-sale-intercept';

const OUTCOME: Partial<Record<PlatformCase['status'], AfterSaleStatus>> = {
  refunded: 'refunded',
  closed: 'closed',
  refused: 'refused',
};

/**
 * A marketplace's case (docs/after-sales.md, "Platforms"). The platform moves the money; the case
 * answers it. Built path: refund only before shipment. The named lines stop at once through the
 * order's line-refund path; a person agrees (all or part) or refuses; the answer goes to the
 * platform through its signed API and the platform's result is on the timeline. Agreed and
 * refunded: the lines become refunded. Refused: the lines ship again (on platforms that take no
 * refusal before shipment, shipping is the answer). While nobody decides, the platform's seller
 * deadline is a timer that escalates to a person before it lapses; the buyer's deadline closes
 * the case. Whatever the platform reports meanwhile (a back-office answer, the buyer withdrawing,
 * the platform deciding) arrives as `platformCase` and ends the case the same way. Other kinds,
 * and refunds after shipment, wait for a person and follow the platform.
 */
export async function runPlatformCase(ctx: PlatformCaseContext): Promise<AfterSaleStateView> {
  const { input, view } = ctx;
  let latest = input.platformCase!;
  let news = 0;
  let escalatedAt: string | null = null;
  const platformView = (
    lastAnswer: NonNullable<AfterSaleStateView['platform']>['lastAnswer'] = view.platform?.lastAnswer ?? null,
  ) => {
    view.platform = {
      status: latest.platformStatus,
      sellerDeadline: latest.sellerDeadline ?? null,
      buyerDeadline: latest.buyerDeadline ?? null,
      escalatedAt,
      lastAnswer,
    };
  };
  const take = (next: PlatformCase) => {
    // Older news, or the same news again (a repeated push, the poll after the push): nothing.
    const at = Date.parse(next.modifiedAt);
    const was = Date.parse(latest.modifiedAt);
    if (at < was || (at === was && next.status === latest.status)) return;
    latest = next;
    news++;
    platformView();
  };
  setHandler(platformCaseSignal, take);
  platformView();
  const ref = { platformCaseId: input.platformCaseId, platformOrderId: latest.platformOrderId };

  let lines;
  try {
    lines = await lineActs.resolvePlatformCaseLines({
      orderId: input.orderId,
      lineIds: latest.lineIds,
      amountFen: latest.amountFen,
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    lines = [] as typeof input.lines;
  }
  await acts.openAfterSaleCase({ ...input, lines });
  await acts.notePlatformCase({ caseId: input.caseId, current: latest });
  if (lines.length === 0) {
    return ctx.needsPerson('order-unknown', `a person: the order ${latest.platformOrderId} is not here`);
  }
  if (patched(FINANCE_LIMIT_PATCH)) {
    view.financeLimit = await acts.caseFinanceLimit({
      orderId: input.orderId,
      financeAboveFen: input.financeAboveFen,
    });
  }
  const lineIds = lines.map((line) => line.lineId);
  const setLines = (status: RefundStatus) =>
    acts.changeOrderLineRefunds({ orderId: input.orderId, lineIds, status, caseId: input.caseId });

  /** The platform ended the case (back office, the buyer, the platform's own rules): follow it. */
  const settle = async (step: string) => {
    const status = OUTCOME[latest.status]!;
    await acts.notePlatformCase({ caseId: input.caseId, current: latest });
    await setLines(LINES_AFTER[latest.status]!);
    view.waitingFor = null;
    view.outcome = status;
    if (status === 'refunded') view.refundedFen = latest.amountFen;
    await ctx.record(step, status, status, input.platform, {
      platformStatus: latest.platformStatus,
      amountFen: latest.amountFen,
    });
    return view;
  };
  const ended = () => OUTCOME[latest.status] !== undefined;

  /**
   * Waits until `done()`, meanwhile escalating the seller's deadline before it lapses and closing
   * the case when the buyer's lapses. Answers whether the buyer's deadline closed it.
   */
  const wait = async (done: () => boolean): Promise<'done' | 'buyer_lapsed'> => {
    for (;;) {
      const seen = news;
      const now = Date.now();
      const seller =
        latest.status === 'open' && latest.sellerDeadline ? Date.parse(latest.sellerDeadline) : NaN;
      const escalateAt =
        escalatedAt === null && !Number.isNaN(seller)
          ? seller - (input.escalateBeforeSeconds ?? 0) * 1000
          : NaN;
      const buyer =
        latest.status === 'waiting_buyer' && latest.buyerDeadline ? Date.parse(latest.buyerDeadline) : NaN;
      const next = Math.min(...[escalateAt, buyer].filter((t) => !Number.isNaN(t)), Infinity);
      const woke =
        next === Infinity
          ? (await condition(() => done() || news !== seen), true)
          : await condition(() => done() || news !== seen, Math.max(1, next - now));
      if (done()) return 'done';
      if (woke) continue;
      if (!Number.isNaN(escalateAt) && Date.now() >= escalateAt) {
        escalatedAt = new Date().toISOString();
        platformView();
        await acts.escalateAfterSaleDeadline({
          caseId: input.caseId,
          shopId: input.shopId,
          platformCaseId: input.platformCaseId,
          deadline: latest.sellerDeadline!,
        });
        await ctx.record('escalated', view.status, 'escalated', 'system', {
          sellerDeadline: latest.sellerDeadline,
        });
        continue;
      }
      if (!Number.isNaN(buyer) && Date.now() >= buyer) {
        take(await acts.readPlatformCase({ caseId: input.caseId, shopId: input.shopId, ref }));
        if (latest.status === 'waiting_buyer') return 'buyer_lapsed';
      }
    }
  };
  const closeForBuyer = async () => {
    await setLines('closed');
    view.waitingFor = null;
    view.outcome = 'closed';
    await ctx.record('buyer-deadline', 'closed', 'closed', 'system', { buyerDeadline: latest.buyerDeadline });
    return view;
  };
  /** A person takes over; the case still follows the platform to its end. */
  const handOver = async (step: string, why: string, detail: Record<string, unknown> = {}) => {
    await ctx.needsPerson(step, why, detail);
    if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
    return settle('platform-ended');
  };

  /**
   * The case's lines are already with the carrier. The shop's rule (`afterHandover`) may ask the
   * platform to intercept the parcel: taken, the case waits for a decision as before shipment;
   * not offered by the platform or turned down, a person asks the carrier. `off`: the shop leaves
   * it to a person as before.
   */
  const interceptParcel = async (): Promise<'intercepted' | 'person' | 'off'> => {
    let result: PlatformWriteResult;
    try {
      const asked = await acts.interceptAfterHandover({
        caseId: input.caseId,
        shopId: input.shopId,
        orderId: input.orderId,
        ref,
        lineIds,
      });
      if (asked.mode === 'person') return 'off';
      result = asked.result;
    } catch (err) {
      // The platform could not be asked (credentials, a refusal to retry): a person.
      if (!(err instanceof ActivityFailure)) throw err;
      result = { outcome: 'rejected', code: 'not_asked', message: err.cause?.message ?? err.message };
    }
    view.intercept = {
      outcome: result.outcome,
      ...('code' in result && result.code ? { code: result.code } : {}),
      ...('message' in result && result.message ? { message: result.message } : {}),
    };
    await ctx.record('intercept', view.status, `intercept_${result.outcome}`, input.platform, {
      ...result,
      lineIds,
    });
    return result.outcome === 'done' || result.outcome === 'already' ? 'intercepted' : 'person';
  };
  const interceptOrHandOver = async (
    fallback: () => Promise<AfterSaleStateView>,
  ): Promise<AfterSaleStateView | null> => {
    const intercepted = await interceptParcel();
    if (intercepted === 'off') return fallback();
    if (intercepted === 'person') {
      return handOver(
        'intercept-by-person',
        `a person: ask the carrier to intercept the parcel (${input.platform}: ${view.intercept?.message ?? view.intercept?.outcome})`,
      );
    }
    view.waitingFor = 'a decision';
    await ctx.record('intercept-awaiting-decision', 'open', 'awaiting_decision', 'system', {
      lineIds,
      sellerDeadline: latest.sellerDeadline ?? null,
    });
    return null;
  };

  if (ended()) return settle('platform-ended');
  // Shipped goods on a platform whose seller answers after shipment: nothing to stop, the answer
  // goes to the platform as before shipment (the patch is only reached by such cases).
  const answerShipped =
    latest.shipped &&
    latest.answersAfterShipment === true &&
    (input.kind === 'refund_only' || input.kind === 'return_refund') &&
    patched(SHIPPED_ANSWERS_PATCH);
  const unsupported = () =>
    handOver(
      'unsupported',
      `a person: ${input.kind}${latest.shipped ? ' after shipment' : ''} cases on ${input.platform} are answered in its back office`,
    );
  if (!answerShipped && (input.kind !== 'refund_only' || latest.shipped)) {
    if (input.kind !== 'refund_only' || !patched(INTERCEPT_PATCH)) return unsupported();
    const handed = await interceptOrHandOver(unsupported);
    if (handed) return handed;
  } else if (answerShipped) {
    view.waitingFor = 'a decision';
    await ctx.record('awaiting-decision', 'open', 'awaiting_decision', 'system', {
      lineIds,
      shipped: true,
      sellerDeadline: latest.sellerDeadline ?? null,
    });
  } else {
    const stop = await setLines('requested');
    const afterHandover = () =>
      handOver('after-handover', 'a person: a parcel with these lines is already with the carrier', {
        orderStatus: stop.orderStatus,
      });
    if (stop.handedOver) {
      if (!patched(INTERCEPT_PATCH)) return afterHandover();
      const handed = await interceptOrHandOver(afterHandover);
      if (handed) return handed;
    } else {
      view.waitingFor = 'a decision';
      await ctx.record('lines-held', 'open', 'lines_held', 'system', {
        lineIds,
        orderStatus: stop.orderStatus,
        sellerDeadline: latest.sellerDeadline ?? null,
      });
    }
  }

  if ((await wait(() => ctx.decision() !== undefined || ended())) === 'buyer_lapsed') return closeForBuyer();
  const decided = ctx.decision();
  if (!decided) return settle('platform-ended');
  view.waitingFor = null;
  const action = decided.decision === 'refuse' ? 'refuse' : 'agree';
  const amountFen = decided.decision === 'partial' ? decided.amountFen : input.requestedFen;
  if (action === 'agree') view.agreedFen = amountFen;
  await ctx.record(
    'decided',
    action === 'agree' ? 'refunding' : 'open',
    action === 'agree' ? 'agreed' : 'refusing',
    decided.actor.id,
    {
      ...(action === 'agree'
        ? { agreedFen: amountFen }
        : { reason: decided.decision === 'refuse' ? decided.reason : '' }),
    },
  );

  let answer: { result: PlatformWriteResult; current: PlatformCase };
  try {
    answer = await acts.answerOnPlatform({
      caseId: input.caseId,
      shopId: input.shopId,
      ref,
      action,
      amountFen,
      reason: decided.decision === 'refuse' ? decided.reason : '',
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return handOver(
      `platform-${action}`,
      `a person: ${input.platform} could not be told (${err.cause?.message ?? err.message})`,
    );
  }
  take(answer.current);
  const { result } = answer;
  platformView({
    action,
    outcome: result.outcome,
    ...('code' in result && result.code ? { code: result.code } : {}),
    ...('message' in result && result.message ? { message: result.message } : {}),
  });
  await ctx.record(`platform-${action}`, view.status, `platform_${action}`, input.platform, {
    ...result,
    platformStatus: latest.platformStatus,
  });

  if (action === 'refuse') {
    // Refused here: the lines ship again whatever the platform took (before shipment, on most
    // platforms, shipping is the refusal). A platform that turned the refusal down is for a person.
    view.outcome = 'refused';
    await setLines('refused');
    if (result.outcome === 'rejected') {
      return handOver(
        'platform-refuse-rejected',
        `a person: ${input.platform} did not take the refusal: ${result.message}`,
      );
    }
    await ctx.record('refused', 'refused', 'refused', decided.actor.id, {
      reason: decided.decision === 'refuse' ? decided.reason : '',
      platform: result.outcome,
    });
    return view;
  }
  if (result.outcome === 'rejected' || result.outcome === 'not_offered') {
    return handOver(
      'platform-agree-refused',
      `a person: ${input.platform} did not take the agreement: ${result.message}`,
    );
  }
  // Agreed: the platform moves the money; the case ends when the platform says it did.
  view.waitingFor = `${input.platform} to refund the buyer`;
  if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
  return settle('refunded');
}

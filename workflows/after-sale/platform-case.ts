import { ActivityFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { AfterSaleApproval, AfterSaleDecision, AfterSaleStatus } from '../../domain/after-sales.js';
import type { RefundStatus } from '../../domain/order.js';
import type {
  ExchangeParcel,
  PlatformCase,
  PlatformWriteResult,
} from '../../integrations/platforms/after-sales.js';
import { CARRIER_NAMES, carrierByName } from '../../domain/carriers/names.js';
import { CARRIER_CODES, type CarrierCode } from '../../domain/carriers/codes.js';
import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import { platformCaseSignal, type AfterSaleStateView, type AfterSaleWorkflowInput } from '../messages.js';
import type { CaseScope } from './case.js';
import { followReturn, receiveBack, replacementOnItsWay, shipReplacement, type Received } from './returns.js';
import type { ReturnParcelView } from '../../activities/after-sale-returns.js';
import {
  auditAtDecision,
  auditReturnedGoods,
  EXCHANGE_RULES_PATCH,
  PLATFORM_RULES_PATCH,
  recordRuleHold,
  ruleAgreement,
} from './audit.js';
import { waitFor, waiting } from '../../domain/waiting.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
/** The order a push named may still be on its way in: about ten minutes, then a person. */
/**
 * Amazon processes a feed in minutes (its processing report then ready): the activity's retries
 * are the wait, about every two minutes at most, for up to a day before a person looks.
 */
const feedActs = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', backoffCoefficient: 2 },
});
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
  /** Sets the case's decision (a rule's agreement), or clears it for a later decision point. */
  setDecision(decision: AfterSaleDecision | undefined): void;
  /** Finance's answer to a refund waiting above the shop's approval limit. */
  approval(): AfterSaleApproval | undefined;
  /**
   * A decision after the first: an exchange refused at second review or turned into a refund (the
   * case offers them in `view.exchangeChoices`).
   */
  exchangeDecision?(): AfterSaleDecision | undefined;
  /** The warehouse's receipt of the return parcel, once it arrived. */
  received: Received;
  /** Scans of the return parcel its tracking service pushed, not yet taken. */
  returnScans?(): TrackingSnapshot[];
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
/** Exchanges the platform takes answers to by API (Tmall): agreed, received, replaced, consigned. */
const PLATFORM_EXCHANGE_PATCH = 'after-sale-platform-exchange';
/** A platform exchange for another SKU that nobody here named a replacement for goes to a person. */
const EXCHANGE_SKU_PATCH = 'after-sale-platform-exchange-sku';
/**
 * Exchanges answered the Douyin way (`exchangeAnswers`): refused through the API, the parcel
 * received by the case id, the goods back confirmed with the replacement's waybill in one call.
 */
const EXCHANGE_RECEIVED_HERE_PATCH = 'after-sale-douyin-exchange';
/**
 * The exchange decisions after the first review on platforms that take them by API (Douyin operate
 * 312 拒绝换货（二审）, 321 换货转退款): goods back as a wrong item (or units missing, or more than the
 * case covers) wait for a reviewer to refuse the exchange or turn it into a refund (before: a person
 * in the back office), and an
 * exchange may be turned into a refund when asked or while its replacement waits for the carrier
 * (the replacement order then cancelled, its reservation released).
 */
const EXCHANGE_DECISIONS_PATCH = 'after-sale-douyin-exchange-decisions';
/**
 * A PDD exchange for another SKU whose PDD SKU id the shop's mappings name ships that SKU (before:
 * a person, whatever the mappings said).
 */
const EXCHANGE_SKU_MAPPED_PATCH = 'after-sale-pdd-exchange-sku-mapped';
/**
 * Exchanges the platform takes no agreement of by API (PDD, `exchangeAnswers.agreedInBackOffice`):
 * a person answers them in the back office while the case waits for the buyer's parcel (its waybill
 * as the platform reports it, or the case id the warehouse scans), receives and restocks the goods,
 * ships the replacement from our warehouse and tells the platform its waybill once.
 */
const EXCHANGE_BACK_OFFICE_PATCH = 'after-sale-pdd-exchange';
/**
 * An agreed return whose goods the platform wants registered back (JD service orders): received
 * and inspected at the warehouse here, then the platform told (the shop's `returnReceipt` rule).
 */
const PLATFORM_RETURN_RECEIPT_PATCH = 'after-sale-platform-return-receipt';
/**
 * A return received here follows the buyer's parcel back by tracking (pushes, polls, a person when
 * it sits or is delivered and not received), and picks up the buyer's waybill the platform reports
 * after the agreement (before: a waybill known at the agreement was stored, not followed, and one
 * reported later was not read).
 */
const PLATFORM_RETURN_FOLLOW_PATCH = 'after-sale-platform-return-follow';
/**
 * A return received here on a platform told per line what came back, without moving money (Shopify
 * `reverseFulfillmentOrderDispose`): damaged goods are disposed NOT_RESTOCKED instead of going to a
 * person, no finance approval comes before it, and the merchant's refund follows as before.
 */
const RECEIPT_WITHOUT_MONEY_PATCH = 'after-sale-shopify-return-dispose';
/**
 * The shop's refund approval limit (`refundApprovalAboveFen`): a refund above it waits for finance's
 * approval before the platform is told to move money (the agreement of a refund, or the goods-received
 * call of a return received here).
 */
const REFUND_APPROVAL_PATCH = 'after-sale-refund-approval';
/**
 * Amazon returns read from the returns report follow its later rows and the warehouse (the parcel
 * awaited, received and inspected here, the refund a person's in Seller Central, ended by the
 * report) instead of being handed to a person at once.
 */
const REPORTED_RETURN_PATCH = 'after-sale-amazon-report-follow';
/**
 * An Amazon return received and inspected here, on a shop whose `platformRefund` setting is `api`,
 * is refunded by the case itself: a payment adjustment feed sent once, its processing report read;
 * taken, the case ends refunded; refused, a person refunds with Amazon's message (before: every
 * such refund was a person's in Seller Central).
 */
const FEED_REFUND_PATCH = 'after-sale-amazon-refund-feed';

/**
 * Reship cases (补寄: the buyer says an item was missing or broken) wait for a decision like other
 * cases; agreed, the case's lines ship again from our warehouse as an order of its own named `-RS-`
 * (nothing back, nothing to pay), and once its waybill is known a person enters it in the
 * platform's back office (the facts name no 补寄 shipping call) while the case follows the platform
 * to its end. Refused: a person refuses it in the back office (no refuse call named for a 补寄).
 * Before: every reship case went to a person (`unsupported`).
 */
const RESHIP_PATCH = 'after-sale-platform-reship';
/**
 * An agreed reship whose case the platform ends (the buyer withdrew, it closed or refunded it)
 * before the parcel reached the carrier stops its `-RS-` order as a cancelled order (reservation
 * released, waybill cancelled, out of its wave) and ends as the platform says; after handover nothing
 * is recalled and the timeline tells a person (before: the parcel went out and the case read it
 * as reshipped or as the platform ended it).
 */
const RESHIP_STOP_PATCH = 'after-sale-platform-reship-stop';
/**
 * A case opened again by the buyer after its workflow ended (a newer request waiting for the
 * seller: a refused refund modified, PDD's 驳回 answered by a new request) runs again under the same
 * id and continues the case's row and timeline (before: such a snapshot was dropped). Only runs
 * started for a reopening ask it.
 */
const REOPEN_PATCH = 'after-sale-platform-reopen';

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
  if (input.reopened && patched(REOPEN_PATCH)) {
    // The buyer asked again after the case ended: the same case goes on, or, where it is no
    // longer ended or the snapshot is not newer than the last it took, nothing changes.
    const reopened = await acts.reopenAfterSaleCase({
      caseId: input.caseId,
      current: latest,
      lines,
      requestedFen: latest.amountFen,
    });
    if (!reopened) {
      // The run's last answer says what the case still is.
      view.status = input.reopened.after as AfterSaleStatus;
      view.outcome = view.status;
      return view;
    }
    waitFor(view, null);
    await ctx.record('reopened', 'open', 'reopened', `buyer:${input.platform}`, {
      platformStatus: latest.platformStatus,
      modifiedAt: latest.modifiedAt,
      requestedFen: latest.amountFen,
      previousStatus: input.reopened.after,
      previousPlatformStatus: input.reopened.platformStatus,
    });
  } else await acts.openAfterSaleCase({ ...input, lines });
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
  if (patched(REFUND_APPROVAL_PATCH)) {
    const limit = await acts.caseRefundApprovalLimit({ shopId: input.shopId, orderId: input.orderId });
    view.refundApproval = limit
      ? { limit, amountMinor: null, state: 'not_needed', by: null, at: null }
      : null;
  }
  const lineIds = lines.map((line) => line.lineId);
  const setLines = (status: RefundStatus) =>
    acts.changeOrderLineRefunds({ orderId: input.orderId, lineIds, status, caseId: input.caseId });

  /** The platform ended the case (back office, the buyer, the platform's own rules): follow it. */
  const settle = async (step: string) => {
    const status = OUTCOME[latest.status]!;
    await acts.notePlatformCase({ caseId: input.caseId, current: latest });
    await setLines(LINES_AFTER[latest.status]!);
    waitFor(view, null);
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
   * the case when the buyer's lapses. Answers whether the buyer's deadline closed it, or `timeout`
   * once `untilMs` (when given) passed first.
   */
  const wait = async (
    done: () => boolean,
    untilMs?: number,
  ): Promise<'done' | 'buyer_lapsed' | 'timeout'> => {
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
      const next = Math.min(...[escalateAt, buyer, untilMs ?? NaN].filter((t) => !Number.isNaN(t)), Infinity);
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
      if (untilMs !== undefined && Date.now() >= untilMs) return 'timeout';
    }
  };
  const closeForBuyer = async () => {
    await setLines('closed');
    waitFor(view, null);
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
   * A refund above the shop's approval limit waits for finance before the platform is told to move
   * money; at or within it (or where the shop sets no limit) it goes straight on. Answers null to go
   * on, or how the case ended: finance rejected it (a person answers the platform), or the platform
   * or the buyer ended it meanwhile.
   */
  const financeApproves = async (amountMinor: number): Promise<AfterSaleStateView | null> => {
    const pending = view.refundApproval;
    if (!pending || amountMinor <= pending.limit.aboveMinor) return null;
    const { limit } = pending;
    view.refundApproval = { ...pending, amountMinor, state: 'waiting' };
    waitFor(
      view,
      waiting('case_finance_approval', {
        amountMinor,
        currency: limit.currency,
        aboveMinor: limit.aboveMinor,
      }),
    );
    await ctx.record('finance-approval', 'open', 'finance_approval_awaited', 'system', {
      amountMinor,
      limit,
    });
    if ((await wait(() => ctx.approval() !== undefined || ended())) === 'buyer_lapsed')
      return closeForBuyer();
    const answer = ctx.approval();
    if (!answer) return settle('platform-ended');
    waitFor(view, null);
    const by = { by: answer.actor.id, at: new Date().toISOString() };
    if (answer.decision === 'reject') {
      view.refundApproval = { ...pending, amountMinor, state: 'rejected', ...by, reason: answer.reason };
      await ctx.record('finance-rejected', 'open', 'finance_rejected', answer.actor.id, {
        amountMinor,
        reason: answer.reason,
      });
      return handOver(
        'finance-rejected',
        `a person: finance did not approve the refund of ${amountMinor} (${answer.reason}); answer ${input.platform} in its back office`,
      );
    }
    view.refundApproval = { ...pending, amountMinor, state: 'approved', ...by };
    await ctx.record('finance-approved', 'refunding', 'finance_approved', answer.actor.id, {
      amountMinor,
      ...(answer.note ? { note: answer.note } : {}),
    });
    return null;
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
    const audit = await auditAtDecision(caseScope(), {
      shipped: true,
      financeAboveFen: input.financeAboveFen,
      patch: PLATFORM_RULES_PATCH,
    });
    waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
    await ctx.record('intercept-awaiting-decision', 'open', 'awaiting_decision', 'system', {
      lineIds,
      sellerDeadline: latest.sellerDeadline ?? null,
    });
    await recordRuleHold(ctx, audit, { shipped: true });
    return null;
  };

  /**
   * An exchange the platform takes answers to (Tmall): a person agrees (the platform is told with
   * the shop's return address) or refuses (in the back office); the buyer's parcel back is the
   * platform's to report, then followed by tracking and received by its number; goods back as
   * sold are confirmed on the platform, the replacement ships as an order of its own, and the
   * platform is told its tracking number.
   */
  const caseScope = (): CaseScope => ({
    input: { ...input, lines },
    view,
    decision: ctx.decision,
    setDecision: ctx.setDecision,
    notices: () => 0,
    retries: () => [],
    record: ctx.record,
    needsPerson: ctx.needsPerson,
    ...(ctx.returnScans ? { returnScans: ctx.returnScans } : {}),
  });
  /** The buyer's parcel back as the platform reported it, as a return waybill of ours. */
  const buyerWaybill = () => {
    const back = latest.buyerReturn;
    return back ? { carrierCode: carrierByName(back.company) ?? 'OTHER', trackingNo: back.trackingNo } : null;
  };

  /**
   * The case waits for the buyer's parcel back: the waybill the platform reported, or whatever the
   * warehouse scans with the case id on it.
   */
  const awaitReturnParcel = async () => {
    view.status = 'returning';
    const parcel = await acts.openReturn({
      caseId: input.caseId,
      orderId: input.orderId,
      waybill: buyerWaybill(),
    });
    view.returnParcel = parcel;
    waitFor(
      view,
      waiting(
        'case_return_parcel',
        parcel.trackingNo ? { carrier: parcel.carrierCode, trackingNo: parcel.trackingNo } : {},
      ),
    );
    await ctx.record('return-awaited', 'returning', 'return_awaited', 'system', {
      lineIds,
      returnWaybill: parcel.trackingNo
        ? { carrierCode: parcel.carrierCode, trackingNo: parcel.trackingNo }
        : null,
    });
    return parcel;
  };

  /**
   * The buyer's parcel back on a return received here, until the warehouse receives it or the
   * platform ends the case. Where the platform reports the buyer's waybill only after the agreement
   * (the buyer fills in company and number when sending the goods: Taobao's `company_name` / `sid`),
   * the case waits for it — the platform's pushes and polls bring it, and the case reads the
   * platform again every TRACKING_POLL_SECONDS — and writes it on the return's row. A parcel with a
   * waybill is followed by tracking as the case's own return waybills are (pushes, polls, a person
   * when it sits or is delivered and not received); meanwhile the platform's deadlines apply as
   * before. Answers the parcel as it now stands, and whether the buyer's deadline lapsed.
   */
  const followBuyerParcel = async (
    opened: ReturnParcelView,
  ): Promise<{ parcel: ReturnParcelView; lapsed: boolean }> => {
    let parcel = opened;
    const over = () => ctx.received() !== undefined || ended();
    if (!parcel.trackingNo) {
      const everyMs = (input.trackingPollSeconds ?? 1800) * 1000;
      for (;;) {
        const out = await wait(() => over() || latest.buyerReturn !== undefined, Date.now() + everyMs);
        if (out === 'buyer_lapsed') return { parcel, lapsed: true };
        if (out === 'done') break;
        take(await acts.readPlatformCase({ caseId: input.caseId, shopId: input.shopId, ref }));
      }
      if (over()) return { parcel, lapsed: false };
      const back = latest.buyerReturn!;
      parcel = await acts.noteBuyerReturnWaybill({ caseId: input.caseId, waybill: buyerWaybill()! });
      view.returnParcel = parcel;
      if (!parcel.trackingNo) return { parcel, lapsed: false };
      waitFor(
        view,
        waiting('case_return_parcel', { carrier: parcel.carrierCode, trackingNo: parcel.trackingNo }),
      );
      await ctx.record('return-waybill-reported', 'returning', 'return_waybill_reported', input.platform, {
        company: back.company,
        carrierCode: parcel.carrierCode,
        trackingNo: parcel.trackingNo,
        platformStatus: latest.platformStatus,
      });
    }
    // Followed by tracking while the platform's deadlines still apply; either ends the other.
    let lapsed = false;
    const tracked = parcel;
    await Promise.all([
      ctx.received() === undefined && !ended()
        ? followReturn(caseScope(), ctx.received, tracked, () => ended() || lapsed)
        : Promise.resolve(),
      wait(over).then((out) => {
        lapsed = out === 'buyer_lapsed';
      }),
    ]);
    return { parcel, lapsed };
  };

  /**
   * An agreed return the platform wants registered back (JD): the warehouse receives the parcel
   * here (scanned by the case id, or the buyer's number the platform reported) and inspects it;
   * goods back as sold are registered on the platform where the shop's `returnReceipt` rule says
   * so, and the case ends when the platform refunds. Damaged or missing goods, the rule `person`,
   * or a platform that turned the registration down: a person, while the case follows the
   * platform to its end.
   */
  const receiveOnPlatform = async (): Promise<AfterSaleStateView> => {
    let parcel = await awaitReturnParcel();
    if (patched(PLATFORM_RETURN_FOLLOW_PATCH)) {
      const followed = await followBuyerParcel(parcel);
      parcel = followed.parcel;
      if (followed.lapsed) return closeForBuyer();
    } else if ((await wait(() => ctx.received() !== undefined || ended())) === 'buyer_lapsed')
      return closeForBuyer();
    if (ctx.received() === undefined) return settle('platform-ended');
    const got = await receiveBack(caseScope(), ctx.received, parcel, 'return', false);
    if ('ended' in got) {
      if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
      return settle('platform-ended');
    }
    // A platform told per line what came back and how, without moving money (Shopify's dispose):
    // damaged goods are told as written off, and no finance approval comes before it.
    const toldAsIs = latest.receiptMovesNoMoney === true && patched(RECEIPT_WITHOUT_MONEY_PATCH);
    const damaged = got.inspection.lines.filter((line) => line.writeOff > 0).map((line) => line.lineId);
    if (damaged.length > 0 && !toldAsIs) {
      return handOver(
        'return-damaged',
        `a person: the goods came back damaged (${damaged.join(', ')}); register them on ${input.platform} as such`,
      );
    }
    // The goods are back: the rules look again with what inspection found before money moves.
    let lapsed = false;
    const verdict = await auditReturnedGoods(
      caseScope(),
      got.inspection,
      { financeAboveFen: input.financeAboveFen, status: 'refunding' },
      async () => {
        lapsed = (await wait(() => ctx.decision() !== undefined || ended())) === 'buyer_lapsed';
        return lapsed ? undefined : ctx.decision();
      },
    );
    if (!verdict.go) {
      if ('refused' in verdict) {
        return handOver(
          'return-refund-refused',
          `a person: the refund of the goods returned was refused (${verdict.refused.reason}); answer ${input.platform} in its back office`,
          { reason: verdict.refused.reason },
        );
      }
      return lapsed ? closeForBuyer() : settle('platform-ended');
    }
    // Telling the platform the goods are back makes it refund the buyer: finance first, above the limit.
    const stopped = toldAsIs ? null : await financeApproves(view.agreedFen ?? input.requestedFen);
    if (stopped) return stopped;
    const units = got.inspection.lines.reduce((sum, line) => sum + line.restock, 0);
    let confirmed: Awaited<ReturnType<typeof acts.confirmReturnOnPlatform>>;
    try {
      confirmed = await acts.confirmReturnOnPlatform({
        caseId: input.caseId,
        shopId: input.shopId,
        ref,
        units,
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      confirmed = {
        mode: 'platform',
        result: { outcome: 'rejected', code: 'not_asked', message: err.cause?.message ?? err.message },
        current: latest,
      };
    }
    if (confirmed.mode === 'person') {
      return handOver(
        'return-receipt-by-person',
        `a person: register the goods back on ${input.platform} (the shop's returnReceipt rule is person)`,
        { units },
      );
    }
    take(confirmed.current);
    const { result } = confirmed;
    await ctx.record('platform-return-received', 'refunding', 'platform_return_received', input.platform, {
      ...result,
      units,
      platformStatus: latest.platformStatus,
    });
    if (result.outcome !== 'done' && result.outcome !== 'already') {
      return handOver(
        'return-receipt-refused',
        `a person: ${input.platform} did not take the receipt of the goods: ${result.message}`,
      );
    }
    waitFor(view, waiting('case_platform_refund', { platform: input.platform }));
    if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
    return settle('refunded');
  };

  const exchangeOnPlatform = async (): Promise<AfterSaleStateView> => {
    const scope = caseScope();
    // Asked only by exchanges answered the Douyin way: Tmall's replay as they ran.
    const ways = latest.exchangeAnswers;
    const receivedHere = ways !== undefined && patched(EXCHANGE_RECEIVED_HERE_PATCH);
    const answer = async (
      step: 'agree' | 'confirm_returned' | 'consign' | 'refuse' | 'refuse_received' | 'refund',
      parcel?: ExchangeParcel,
      reason?: string,
    ): Promise<PlatformWriteResult> => {
      let result: PlatformWriteResult;
      try {
        const out = await acts.answerExchangeOnPlatform({
          caseId: input.caseId,
          shopId: input.shopId,
          ref,
          step,
          ...(parcel ? { parcel } : {}),
          ...(reason !== undefined ? { reason } : {}),
        });
        take(out.current);
        result = out.result;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        result = { outcome: 'rejected', code: 'not_asked', message: err.cause?.message ?? err.message };
      }
      platformView({
        action: step === 'refuse' || step === 'refuse_received' ? 'refuse' : 'agree',
        outcome: result.outcome,
        ...('code' in result && result.code ? { code: result.code } : {}),
        ...('message' in result && result.message ? { message: result.message } : {}),
      });
      await ctx.record(
        `platform-exchange-${step}`,
        view.status,
        `platform_exchange_${step}`,
        input.platform,
        {
          ...result,
          platformStatus: latest.platformStatus,
        },
      );
      return result;
    };
    const taken = (r: PlatformWriteResult) => r.outcome === 'done' || r.outcome === 'already';
    const why = (r: PlatformWriteResult) => ('message' in r ? r.message : r.outcome);

    /** The platform is told the replacement's waybill (Tmall consigngoods, Douyin operate 311). */
    const consignReplacement = async (): Promise<AfterSaleStateView> => {
      const out = view.exchange!;
      const known = (CARRIER_CODES as readonly string[]).includes(out.carrier ?? '');
      const companyName = known ? CARRIER_NAMES[out.carrier as CarrierCode].zh : (out.carrier ?? '');
      const consigned = await answer('consign', {
        trackingNo: out.trackingNo!,
        companyName,
        // Douyin names carriers by codes of its own (the adapter maps ours).
        ...(latest.exchangeAnswers && out.carrier ? { carrierCode: out.carrier } : {}),
      });
      if (!taken(consigned)) {
        return handOver(
          'exchange-consign-refused',
          `a person: tell ${input.platform} the replacement's tracking number ${out.trackingNo}: ${why(consigned)}`,
        );
      }
      waitFor(view, null);
      view.outcome = 'exchanged';
      await ctx.record('exchange-shipped', 'exchanged', 'exchange_shipped', 'system', {
        exchangeOrderId: out.orderId,
        carrier: out.carrier,
        trackingNo: out.trackingNo,
      });
      return view;
    };

    /**
     * Refused through the platform (Douyin operate 302; 312 at second review, once the goods are
     * back): the case ends refused, nothing moves.
     */
    const refuseOnPlatform = async (
      reason: string,
      actor: string,
      secondReview = false,
    ): Promise<AfterSaleStateView> => {
      await ctx.record(
        secondReview ? 'exchange-decided' : 'decided',
        secondReview ? view.status : 'open',
        'exchange_refusing',
        actor,
        { reason, ...(secondReview ? { secondReview } : {}) },
      );
      const refused = await answer(secondReview ? 'refuse_received' : 'refuse', undefined, reason);
      if (!taken(refused)) {
        return handOver(
          'exchange-refuse-rejected',
          `a person: ${input.platform} did not take the refusal: ${why(refused)}`,
          { reason },
        );
      }
      view.outcome = 'refused';
      await ctx.record('refused', 'refused', 'refused', actor, { reason, platform: refused.outcome });
      return view;
    };

    /**
     * The exchange becomes a refund the platform pays (Douyin operate 321), told once; the case then
     * follows the platform's refund to its end. Goods received and restocked here stay restocked.
     */
    const refundInstead = async (
      reason: string,
      actor: string,
      /** The timeline step: `decided` as the first decision, `exchange-decided` after it. */
      step: 'decided' | 'exchange-decided',
    ): Promise<AfterSaleStateView> => {
      await ctx.record(step, view.status, 'exchange_refund_deciding', actor, { reason });
      const refunded = await answer('refund', undefined, reason);
      if (!taken(refunded)) {
        return handOver(
          'exchange-refund-rejected',
          `a person: ${input.platform} did not take the exchange turned into a refund: ${why(refunded)}`,
          { reason },
        );
      }
      waitFor(view, waiting('case_platform_refund', { platform: input.platform }));
      if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
      return settle('refunded');
    };

    /**
     * The goods came back as a wrong item, short or over (inspection): a reviewer refuses the
     * exchange at second review (Douyin 312, with the reason) or turns it into a refund (321), or
     * the platform ends the case meanwhile (answered in its back office).
     */
    const reviewReceived = async (choices: Array<'refuse' | 'refund'>): Promise<AfterSaleStateView> => {
      const found = String(view.waiting?.params?.['why'] ?? '').replace(/^a person: /, '');
      view.exchangeChoices = choices;
      waitFor(view, waiting('case_exchange_review', { found, choices: choices.join(',') }));
      await ctx.record('exchange-review', 'needs_person', 'exchange_review', 'system', { found, choices });
      const out = await wait(() => ctx.exchangeDecision?.() !== undefined || ended());
      view.exchangeChoices = null;
      if (out === 'buyer_lapsed') return closeForBuyer();
      const later = ctx.exchangeDecision?.();
      if (!later) return settle('platform-ended');
      waitFor(view, null);
      if (later.decision === 'refund') return refundInstead(later.reason, later.actor.id, 'exchange-decided');
      return refuseOnPlatform(later.decision === 'refuse' ? later.reason : '', later.actor.id, true);
    };

    /**
     * The replacement waits for the carrier and a reviewer turned the exchange into a refund (the
     * SKU cannot be served): the replacement order is cancelled, which releases its reservation,
     * then the platform is told (321). A replacement that reached the carrier first goes on as sent.
     */
    const cancelReplacementForRefund = async (): Promise<AfterSaleStateView> => {
      const later = ctx.exchangeDecision!()!;
      const reason = later.decision === 'refund' ? later.reason : '';
      const replacementId = view.exchange!.orderId;
      const { cancelled } = await acts.cancelExchangeOrder({ orderId: replacementId });
      if (!cancelled) {
        await ctx.record('exchange-refund-too-late', 'exchanging', 'exchange_refund_too_late', 'system', {
          exchangeOrderId: replacementId,
          reason,
        });
        view.exchange = { orderId: replacementId, ...(await replacementOnItsWay(replacementId)) };
        return consignReplacement();
      }
      await ctx.record(
        'exchange-replacement-cancelled',
        'exchanging',
        'exchange_replacement_cancelled',
        later.actor.id,
        { exchangeOrderId: replacementId, reason },
      );
      return refundInstead(reason, later.actor.id, 'exchange-decided');
    };

    /**
     * The platform shows no buyer's waybill (Douyin): the warehouse receives the parcel by the case
     * id (or the platform ends the case meanwhile); goods back as sold, the replacement ships, and
     * the one call naming its waybill also confirms the goods back (operate 311).
     */
    const replaceReceivedHere = async (): Promise<AfterSaleStateView> => {
      const followed = await followBuyerParcel(await awaitReturnParcel());
      if (followed.lapsed) return closeForBuyer();
      if (ctx.received() === undefined) return settle('platform-ended');
      const got = await receiveBack(scope, ctx.received, followed.parcel, 'exchange', false);
      if ('ended' in got) {
        const choices = (['refuse', 'refund'] as const).filter((c) =>
          c === 'refuse' ? ways?.refuseReceived === true : ways?.refundInstead === true,
        );
        if (choices.length === 0 || !patched(EXCHANGE_DECISIONS_PATCH)) return got.ended;
        return reviewReceived([...choices]);
      }
      // Ended on the platform while the parcel came back (the buyer withdrew): nothing to send.
      take(await acts.readPlatformCase({ caseId: input.caseId, shopId: input.shopId, ref }));
      if (ended()) return settle('platform-ended');
      // While the replacement waits for the carrier, a reviewer may turn the exchange into a refund.
      const refundable = ways?.refundInstead === true && patched(EXCHANGE_DECISIONS_PATCH);
      if (refundable) view.exchangeChoices = ['refund'];
      const out = await shipReplacement(
        scope,
        undefined,
        refundable ? { stop: () => ctx.exchangeDecision?.()?.decision === 'refund' } : {},
      );
      view.exchangeChoices = null;
      if (out === 'stopped') return cancelReplacementForRefund();
      return consignReplacement();
    };

    /**
     * PDD: the platform takes no agreement, refusal or confirmation of the goods back by API, so a
     * person answers the exchange in its back office. The return is opened at once (the warehouse
     * may scan the case id whenever the parcel comes); the case waits for the buyer's waybill the
     * platform reports (followed by tracking where a service can) or the warehouse's receipt, while
     * the platform's seller deadline escalates and its end (refused, withdrawn) ends the case. Goods
     * back as sold: the replacement ships from our warehouse, and the platform is told its waybill.
     */
    const replaceAgreedInBackOffice = async (): Promise<AfterSaleStateView> => {
      if (latest.skuSwap) view.skuSwap = latest.skuSwap;
      const inBackOffice = () =>
        handOver(
          'exchange-in-back-office',
          `a person: the replacement was sent in ${input.platform}'s back office (${latest.platformStatus}); the case follows ${input.platform}`,
        );
      // Read as a function: `take` moves `latest` on between the two looks.
      const sentFromBackOffice = () => latest.exchangeStep === 'shipped';
      if (sentFromBackOffice()) return inBackOffice();
      await ctx.record('exchange-requested', 'open', 'exchange_requested', 'system', {
        lineIds,
        platformStatus: latest.platformStatus,
        sellerDeadline: latest.sellerDeadline ?? null,
        ...(latest.skuSwap ? { skuSwap: latest.skuSwap } : {}),
      });
      const opened = await acts.openReturn({
        caseId: input.caseId,
        orderId: input.orderId,
        waybill: buyerWaybill(),
      });
      view.returnParcel = opened;
      if (opened.trackingNo) {
        view.status = 'returning';
        waitFor(
          view,
          waiting('case_return_parcel', { carrier: opened.carrierCode, trackingNo: opened.trackingNo }),
        );
        await ctx.record('buyer-returned', 'returning', 'exchange_returned_by_buyer', input.platform, {
          company: latest.buyerReturn!.company,
          carrierCode: opened.carrierCode,
          trackingNo: opened.trackingNo,
        });
      } else {
        waitFor(view, waiting('case_exchange_back_office', { platform: input.platform }));
        await ctx.record('exchange-agree-in-back-office', 'open', 'exchange_agree_in_back_office', 'system', {
          why: `${input.platform} takes no agreement of an exchange by API: agree (or refuse) it in its back office; the case goes on when the buyer sends the goods back`,
        });
      }
      const followed = await followBuyerParcel(opened);
      if (followed.lapsed) return closeForBuyer();
      if (ctx.received() === undefined) return settle('platform-ended');
      const got = await receiveBack(scope, ctx.received, followed.parcel, 'exchange', false);
      if ('ended' in got) return got.ended;
      // Ended on the platform while the parcel came back (the buyer withdrew), or sent from the back
      // office meanwhile: nothing to send from here.
      take(await acts.readPlatformCase({ caseId: input.caseId, shopId: input.shopId, ref }));
      if (ended()) return settle('platform-ended');
      if (sentFromBackOffice()) return inBackOffice();
      let replacements: Array<{ lineId: string; skuCode: string; quantity?: number }> | undefined;
      if (latest.skuSwap) {
        const swap = latest.skuSwap;
        // The shop's SKU mappings may name the SKU the buyer wants (as order lines are mapped).
        const mapped =
          lineIds.length === 1 && patched(EXCHANGE_SKU_MAPPED_PATCH)
            ? await acts.mapExchangeSku({
                platform: input.platform,
                shopId: input.shopId,
                platformSkuId: swap.wanted,
              })
            : null;
        if (!mapped) {
          return handOver(
            'exchange-sku',
            `a person: the buyer asked for ${input.platform} SKU ${swap.wanted} instead of ${swap.bought} and no SKU mapping of the shop names ${input.platform} SKU id ${swap.wanted}; send that SKU and give ${input.platform} its waybill in the back office (or map the SKU id first)`,
            { bought: swap.bought, wanted: swap.wanted },
          );
        }
        replacements = [
          {
            lineId: lineIds[0]!,
            skuCode: mapped.skuCode,
            ...(swap.quantity ? { quantity: swap.quantity } : {}),
          },
        ];
        await ctx.record('exchange-sku-mapped', 'exchanging', 'exchange_sku_mapped', 'system', {
          bought: swap.bought,
          wanted: swap.wanted,
          skuCode: mapped.skuCode,
          ...(swap.quantity ? { quantity: swap.quantity } : {}),
        });
      }
      await shipReplacement(scope, latest.exchangeReceiver, replacements ? { replacements } : {});
      return consignReplacement();
    };
    if (ways?.agreedInBackOffice === true && patched(EXCHANGE_BACK_OFFICE_PATCH)) {
      return replaceAgreedInBackOffice();
    }

    if (latest.exchangeStep === 'requested') {
      if (latest.skuSwap) view.skuSwap = latest.skuSwap;
      // The rules may agree the exchange or hold it (who must agree) before anyone decides.
      const audit = await auditAtDecision(scope, {
        shipped: true,
        financeAboveFen: input.financeAboveFen,
        patch: EXCHANGE_RULES_PATCH,
      });
      waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
      // Where the platform takes it by API (Douyin 321), the exchange may become a refund instead.
      if (receivedHere && ways?.refundInstead && audit?.verdict !== 'agree')
        view.exchangeChoices = ['refund'];
      await ctx.record('exchange-requested', 'open', 'exchange_requested', 'system', {
        lineIds,
        platformStatus: latest.platformStatus,
        sellerDeadline: latest.sellerDeadline ?? null,
      });
      await recordRuleHold(ctx, audit);
      if ((await wait(() => ctx.decision() !== undefined || ended())) === 'buyer_lapsed') {
        return closeForBuyer();
      }
      view.exchangeChoices = null;
      const decided = ctx.decision();
      if (!decided) return settle('platform-ended');
      waitFor(view, null);
      if (decided.decision === 'refund' && patched(EXCHANGE_DECISIONS_PATCH)) {
        return refundInstead(decided.reason, decided.actor.id, 'decided');
      }
      if (decided.decision === 'refuse' && receivedHere && ways?.refuse) {
        return refuseOnPlatform(decided.reason, decided.actor.id);
      }
      if (decided.decision === 'refuse') {
        return handOver(
          'exchange-refuse',
          `a person: refuse the exchange in ${input.platform}'s back office (a refusal needs the platform's reason and proof images)`,
          { reason: decided.reason },
        );
      }
      await ctx.record('decided', 'open', 'exchange_agreed', decided.actor.id, {
        ...(decided.decision === 'agree' && decided.replacements
          ? { replacements: decided.replacements }
          : {}),
        ...ruleAgreement(view.audit, decided),
      });
      const agreed = await answer('agree');
      if (!taken(agreed)) {
        return handOver(
          'exchange-agree-refused',
          `a person: ${input.platform} did not take the agreement: ${why(agreed)}`,
        );
      }
    }

    if (receivedHere && latest.exchangeStep === 'shipped') {
      return handOver(
        'exchange-in-back-office',
        `a person: the replacement was sent in ${input.platform}'s back office (${latest.platformStatus}); the case follows ${input.platform}`,
      );
    }
    if (receivedHere && ways && !ways.buyerWaybill) return replaceReceivedHere();

    // The buyer sends the goods back and the platform reports the waybill: read again every
    // TRACKING_POLL_SECONDS besides the platform's pushes.
    view.status = 'returning';
    waitFor(view, waiting('case_buyer_return'));
    const every = `${input.trackingPollSeconds ?? 1800} seconds`;
    while (!latest.buyerReturn && !ended()) {
      const seen = news;
      if (!(await condition(() => news !== seen || ended(), every))) {
        take(await acts.readPlatformCase({ caseId: input.caseId, shopId: input.shopId, ref }));
      }
    }
    if (!latest.buyerReturn) return settle('platform-ended');
    const back = latest.buyerReturn;
    const waybill = buyerWaybill()!;
    const carrierCode = waybill.carrierCode;
    const parcel = await acts.openReturn({ caseId: input.caseId, orderId: input.orderId, waybill });
    view.returnParcel = parcel;
    waitFor(view, waiting('case_return_parcel', { carrier: carrierCode, trackingNo: back.trackingNo }));
    await ctx.record('buyer-returned', 'returning', 'exchange_returned_by_buyer', input.platform, {
      company: back.company,
      carrierCode,
      trackingNo: back.trackingNo,
    });
    const got = await receiveBack(scope, ctx.received, parcel, 'exchange', true);
    if ('ended' in got) return got.ended;
    // Another SKU asked for, and nobody here named it (agreed in the back office): a person ships it.
    const decided = ctx.decision();
    if (
      latest.skuSwap &&
      !(decided?.decision === 'agree' && decided.replacements) &&
      patched(EXCHANGE_SKU_PATCH)
    ) {
      return handOver(
        'exchange-sku',
        `a person: the buyer asked for ${latest.skuSwap.wanted} instead of ${latest.skuSwap.bought}; confirm the receipt on ${input.platform} and send that SKU`,
        { bought: latest.skuSwap.bought, wanted: latest.skuSwap.wanted },
      );
    }
    const confirmed = await answer('confirm_returned');
    if (!taken(confirmed)) {
      return handOver(
        'exchange-confirm-refused',
        `a person: ${input.platform} did not take the receipt of the goods: ${why(confirmed)}`,
      );
    }
    await shipReplacement(scope);
    return consignReplacement();
  };

  /**
   * A reship (补寄, docs/after-sales.md "Reships"): the rules may agree or hold it, else a person
   * decides. Agreed: the case's lines (or the SKUs a person named with `replacements`) go out as an
   * order of its own at no charge — reserved, waved, picked, packed, labelled, handed over and
   * tracked like any parcel — to the original order's receiver (a protected one read through the
   * platform, as an exchange's replacement); no buyer's parcel comes back and nothing is restocked.
   * With its waybill known, a person enters it in the platform's back office (none of PDD, Douyin
   * or Taobao names a 补寄 shipping call in the facts) and the case follows the platform to its end.
   * Refused: a person refuses it in the back office (no refuse call for a 补寄 in the facts); the
   * case follows the platform. The platform ending the case first (the buyer withdrew) ends it.
   */
  const reshipFromWarehouse = async (): Promise<AfterSaleStateView> => {
    const scope = caseScope();
    const audit = await auditAtDecision(scope, {
      shipped: true,
      financeAboveFen: input.financeAboveFen,
      patch: RESHIP_PATCH,
    });
    waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
    await ctx.record('reship-requested', 'open', 'reship_requested', 'system', {
      lineIds,
      platformStatus: latest.platformStatus,
      sellerDeadline: latest.sellerDeadline ?? null,
    });
    await recordRuleHold(ctx, audit);
    /**
     * The case ends as the platform ended it, the original order's lines untouched (a reship asked
     * nothing of them): done after the parcel went out (Douyin 12 售后成功, Taobao SUCCESS, PDD
     * closing it: nothing refunded) is `reshipped`; refused, refunded or closed before is as it says.
     */
    let stoppable = false;
    let tooLateNoted = false;
    /**
     * The platform ended the case (not as the reship's success) once the parcel was with the
     * carrier: nothing is recalled; the timeline tells a person what is left to them.
     */
    const noteTooLate = async () => {
      if (tooLateNoted) return;
      tooLateNoted = true;
      const reshipOrderId = view.exchange!.orderId;
      await ctx.record('reship-too-late', view.status, 'reship_too_late', 'system', {
        reshipOrderId,
        platformStatus: latest.platformStatus,
        why: `a person: ${input.platform} ended the case (${latest.platformStatus}) after the reship parcel reached the carrier; it is on its way and is not recalled: ask the carrier to intercept it, or the buyer to send it back, if it should not arrive`,
      });
    };
    const endAsPlatform = async (shipped: Record<string, unknown> | null): Promise<AfterSaleStateView> => {
      if (shipped && stoppable && latest.status !== 'closed') await noteTooLate();
      await acts.notePlatformCase({ caseId: input.caseId, current: latest });
      waitFor(view, null);
      const detail = { ...shipped, platformStatus: latest.platformStatus };
      if (shipped && latest.status === 'closed') {
        view.outcome = 'reshipped';
        await ctx.record('reshipped', 'reshipped', 'reshipped', input.platform, detail);
        return view;
      }
      const status = OUTCOME[latest.status]!;
      view.outcome = status;
      if (status === 'refunded') view.refundedFen = latest.amountFen;
      await ctx.record('platform-ended', status, status, input.platform, {
        ...detail,
        amountFen: latest.amountFen,
      });
      return view;
    };
    /** A person acts in the back office; the case follows the platform to its end. */
    const followPlatform = async (
      step: string,
      why: string,
      detail: Record<string, unknown>,
      shipped: Record<string, unknown> | null,
    ): Promise<AfterSaleStateView> => {
      if (!ended()) {
        await ctx.needsPerson(step, why, detail);
        if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
      }
      return endAsPlatform(shipped);
    };

    if ((await wait(() => ctx.decision() !== undefined || ended())) === 'buyer_lapsed')
      return closeForBuyer();
    const decided = ctx.decision();
    if (!decided) return endAsPlatform(null);
    waitFor(view, null);
    if (decided.decision === 'refuse') {
      await ctx.record('decided', 'open', 'reship_refused', decided.actor.id, { reason: decided.reason });
      return followPlatform(
        'reship-refuse',
        `a person: refuse the reship in ${input.platform}'s back office (no call to refuse a 补寄 is known): ${decided.reason}`,
        { reason: decided.reason },
        null,
      );
    }
    await ctx.record('decided', 'exchanging', 'reship_agreed', decided.actor.id, {
      ...(decided.decision === 'agree' && decided.replacements ? { replacements: decided.replacements } : {}),
      ...ruleAgreement(view.audit, decided),
    });
    // The platform ending the case (the buyer withdrew, it closed or refunded) before the parcel
    // left stops the reship order (`RESHIP_STOP_PATCH`).
    stoppable = patched(RESHIP_STOP_PATCH);
    const sent = await shipReplacement(scope, undefined, {
      purpose: 'reship',
      ...(stoppable ? { stop: ended } : {}),
    });
    if (sent === 'stopped') {
      const reshipOrderId = view.exchange!.orderId;
      const { cancelled } = await acts.cancelExchangeOrder({ orderId: reshipOrderId });
      if (cancelled) {
        await ctx.record('reship-order-cancelled', 'exchanging', 'reship_order_cancelled', input.platform, {
          reshipOrderId,
          platformStatus: latest.platformStatus,
        });
        return endAsPlatform(null);
      }
      // Its parcel reached the carrier first: it is on its way, nothing is recalled.
      await noteTooLate();
      view.exchange = { orderId: reshipOrderId, ...(await replacementOnItsWay(reshipOrderId)) };
    }
    const out = view.exchange!;
    const known = (CARRIER_CODES as readonly string[]).includes(out.carrier ?? '');
    const companyName = known ? CARRIER_NAMES[out.carrier as CarrierCode].zh : (out.carrier ?? '');
    const parcel = {
      reshipOrderId: out.orderId,
      carrier: out.carrier,
      companyName,
      trackingNo: out.trackingNo,
    };
    await ctx.record('reship-shipped', 'exchanging', 'reship_shipped', 'system', parcel);
    return followPlatform(
      'reship-waybill-in-back-office',
      `a person: enter the reship's waybill ${out.trackingNo} (${companyName}) in ${input.platform}'s back office (agree the 补寄 there first where it still waits); the case follows ${input.platform} to its end`,
      parcel,
      parcel,
    );
  };

  /**
   * An Amazon return read from the returns report (docs/platforms/amazon-returns.md, "Following a
   * return"). Amazon takes no answer by API, so the case follows what the report's later rows show
   * and what the warehouse does: it waits for the buyer's parcel (the report's Tracking ID, or the
   * case id on it), notes the day the report says it reached the seller, is received and inspected
   * at the warehouse (resaleable units back to stock through the ledger), then hands the refund to
   * a person in Seller Central and ends when the report shows it refunded. A refund or a closed
   * request the report shows before the parcel is here ends the case then.
   */
  const followReportedReturn = async (): Promise<AfterSaleStateView> => {
    const parcel = await awaitReturnParcel();
    let delivered: string | null = null;
    const noteDelivered = async () => {
      const at = latest.returnReport?.deliveredAt ?? null;
      if (at === null || delivered !== null) return;
      delivered = at;
      await acts.notePlatformCase({ caseId: input.caseId, current: latest });
      await ctx.record('return-delivered', 'returning', 'return_delivered', input.platform, {
        deliveredAt: at,
        platformStatus: latest.platformStatus,
      });
    };
    await noteDelivered();
    while (ctx.received() === undefined && !ended()) {
      const seen = news;
      await condition(() => ctx.received() !== undefined || ended() || news !== seen);
      if (ctx.received() === undefined && !ended()) await noteDelivered();
    }
    // Refunded (Amazon may refund before the parcel is back) or closed: the report says so.
    if (ctx.received() === undefined) return settle('platform-ended');
    const got = await receiveBack(caseScope(), ctx.received, parcel, 'return', false);
    if ('ended' in got) {
      // Wrong items or units missing: a person, while the case follows the report to its end.
      await condition(ended);
      return settle('platform-ended');
    }
    if (ended()) return settle('refunded');
    if (patched(FEED_REFUND_PATCH)) {
      const byFeed = await refundByFeed(got.inspection.lines);
      if (byFeed) return byFeed;
    }
    return handOver(
      'refund-in-seller-central',
      'a person: issue the refund in Seller Central (Amazon takes none by API); the case ends when the returns report shows it',
      { lines: got.inspection.lines },
    );
  };

  /**
   * The goods of an Amazon return are back and inspected: where the shop's `platformRefund` setting
   * is `api`, the case refunds them itself (docs/platforms/amazon-returns.md, "Refunds by feed") —
   * a payment adjustment feed of its lines, sent once (the feed id is kept per case), then
   * Amazon's processing report: taken, the case ends refunded; a record refused, or the feed not
   * processed, a person refunds in Seller Central with Amazon's message. Damaged goods are a
   * person's to refund (how much is a judgement). Answers null where a person refunds as before.
   */
  const refundByFeed = async (
    inspected: ReadonlyArray<{ lineId: string; writeOff: number }>,
  ): Promise<AfterSaleStateView | null> => {
    if ((await acts.amazonRefundMode({ shopId: input.shopId })) !== 'api') return null;
    const damaged = inspected.filter((line) => line.writeOff > 0).map((line) => line.lineId);
    if (damaged.length > 0) {
      return handOver(
        'refund-feed-damaged',
        `a person: the goods came back damaged (${damaged.join(', ')}); refund what is due in Seller Central`,
      );
    }
    const stopped = await financeApproves(input.requestedFen);
    if (stopped) return stopped;
    if (ended()) return settle('refunded');
    const person = (step: string, why: string, detail: Record<string, unknown> = {}) =>
      handOver(
        step,
        `a person: ${why}; refund in Seller Central (the case ends when the returns report shows it)`,
        detail,
      );
    let sent: Awaited<ReturnType<typeof acts.submitAmazonRefund>>;
    try {
      sent = await acts.submitAmazonRefund({
        caseId: input.caseId,
        shopId: input.shopId,
        orderId: input.orderId,
        platformOrderId: latest.platformOrderId,
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      return person(
        'refund-feed-failed',
        `Amazon could not be sent the refund (${err.cause?.message ?? err.message})`,
      );
    }
    if (sent.mode === 'person') return null;
    if (sent.mode === 'unsure') return person('refund-feed-unsure', sent.message);
    waitFor(view, waiting('case_platform_refund', { platform: input.platform }));
    await ctx.record('refund-feed-sent', 'refunding', 'refund_feed_sent', 'system', {
      feedId: sent.feedId,
      rows: sent.rows,
    });
    let result: Awaited<ReturnType<typeof acts.readAmazonRefund>>;
    try {
      result = await feedActs.readAmazonRefund({ caseId: input.caseId, shopId: input.shopId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      return person(
        'refund-feed-failed',
        `Amazon's processing report of feed ${sent.feedId} could not be read (${err.cause?.message ?? err.message}); check whether it refunded`,
        { feedId: sent.feedId },
      );
    }
    if (result.status === 'failed')
      return person('refund-feed-failed', result.message, { feedId: sent.feedId });
    if (result.refused.length > 0) {
      const said = result.refused.map((r) => `${r.orderItemId}: ${r.messages.join('; ')}`).join(' | ');
      return person('refund-feed-refused', `Amazon refused the refund (feed ${sent.feedId}) — ${said}`, {
        feedId: sent.feedId,
        refused: result.refused,
        refundedMinor: result.refundedMinor,
      });
    }
    await setLines('refunded');
    waitFor(view, null);
    view.outcome = 'refunded';
    view.refundedFen = result.refundedMinor;
    await ctx.record('refunded-by-feed', 'refunded', 'refunded', input.platform, {
      feedId: sent.feedId,
      refundedMinor: result.refundedMinor,
      currency: result.currency,
    });
    return view;
  };

  if (ended()) return settle('platform-ended');
  // Amazon returns from the returns report: followed through its later rows and the warehouse.
  if (input.kind === 'return_refund' && latest.returnReport && patched(REPORTED_RETURN_PATCH)) {
    return followReportedReturn();
  }
  // Exchanges answered through the platform's API (only such cases carry `exchangeStep`).
  if (input.kind === 'exchange' && latest.exchangeStep && patched(PLATFORM_EXCHANGE_PATCH)) {
    return exchangeOnPlatform();
  }
  // Reships (补寄): shipped again from our warehouse once agreed (only reship cases ask the patch).
  if (input.kind === 'reship' && patched(RESHIP_PATCH)) return reshipFromWarehouse();
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
    const audit = await auditAtDecision(caseScope(), {
      shipped: true,
      financeAboveFen: input.financeAboveFen,
      patch: PLATFORM_RULES_PATCH,
    });
    waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
    await ctx.record('awaiting-decision', 'open', 'awaiting_decision', 'system', {
      lineIds,
      shipped: true,
      sellerDeadline: latest.sellerDeadline ?? null,
    });
    await recordRuleHold(ctx, audit, { shipped: true });
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
      const audit = await auditAtDecision(caseScope(), {
        shipped: false,
        financeAboveFen: input.financeAboveFen,
        patch: PLATFORM_RULES_PATCH,
      });
      waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
      await ctx.record('lines-held', 'open', 'lines_held', 'system', {
        lineIds,
        orderStatus: stop.orderStatus,
        sellerDeadline: latest.sellerDeadline ?? null,
      });
      await recordRuleHold(ctx, audit, { shipped: false });
    }
  }

  if ((await wait(() => ctx.decision() !== undefined || ended())) === 'buyer_lapsed') return closeForBuyer();
  const decided = ctx.decision();
  if (!decided) return settle('platform-ended');
  waitFor(view, null);
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
        ? { agreedFen: amountFen, ...ruleAgreement(view.audit, decided) }
        : { reason: decided.decision === 'refuse' ? decided.reason : '' }),
    },
  );

  // Agreeing a refund makes the platform move the money: finance first, above the shop's limit. A
  // return received here moves none on its agreement (the goods-received call does, below).
  if (action === 'agree' && !(input.kind === 'return_refund' && latest.receivedByApi === true)) {
    const stopped = await financeApproves(amountFen);
    if (stopped) return stopped;
  }

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
  // A return the platform wants registered back: the goods come to the warehouse first.
  if (input.kind === 'return_refund' && latest.receivedByApi && patched(PLATFORM_RETURN_RECEIPT_PATCH)) {
    return receiveOnPlatform();
  }
  // Agreed: the platform moves the money; the case ends when the platform says it did.
  waitFor(view, waiting('case_platform_refund', { platform: input.platform }));
  if ((await wait(ended)) === 'buyer_lapsed') return closeForBuyer();
  return settle('refunded');
}

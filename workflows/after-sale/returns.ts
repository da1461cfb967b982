import { condition, patched } from '@temporalio/workflow';
import type { ReturnInspection } from '../../domain/after-sale-returns.js';
import { withReplacements } from '../../domain/lazy/after-sales.js';
import type { ReturnParcelView } from '../../activities/after-sale-returns.js';
import type { TrackingEvent } from '../../domain/carriers/tracking.js';
import type { PlatformCase } from '../../integrations/platforms/after-sales-types.js';
import type { AfterSaleStateView, ReturnParcelState } from '../messages.js';
import {
  auditAtDecision,
  auditReturnedGoods,
  EXCHANGE_RULES_PATCH,
  inspectionResult,
  recordRuleHold,
  ruleAgreement,
  RETURN_RULES_PATCH,
} from './audit.js';
import { caseActs as acts, type CaseScope } from './case.js';
import { refundCase } from './refund.js';
import { waitFor, waiting } from '../../domain/waiting.js';

/** How often an exchange looks whether its replacement parcel is with the carrier yet. */
const EXCHANGE_RECHECK = '30 seconds';
/**
 * Returns and exchanges issue the return waybill when the shop's rule says the seller provides the
 * label, and follow the return parcel by tracking until the warehouse scans it.
 */
const RETURN_WAYBILL_PATCH = 'after-sale-return-waybill';
/** Tracking statuses after which nobody polls the return parcel: the warehouse's scan comes next. */
const TRACKING_DONE = new Set(['delivered', 'returned', 'rejected']);

export type Received = () => { warehouse: string; at: string } | undefined;

/**
 * The return parcel is followed with the machinery of parcels going out: pushes from its tracking
 * service (subscribed when the case starts following), a poll when none came for a while, and a
 * person when it sits without a new scan, or is delivered and not received.
 */
const RETURN_FOLLOW_PATCH = 'after-sale-return-tracking-push';
/**
 * A return parcel's alerts are its case's (one open per case and kind, not one per shop the latest
 * case overwrites), and the case resolves them: a stalled parcel's when it moves again, a delivered
 * one's when it moves again, both once the warehouse received it.
 */
const RETURN_ALERT_PATCH = 'after-sale-return-alert-per-case';
/**
 * A return parcel no tracking service can follow (Shopee's own return logistics, a carrier we have
 * no code for, a deployment without tracking) never has a scan, so "no new scan for
 * RETURN_NO_SCAN_SECONDS" would raise `return_parcel_stalled` on every such return not yet back —
 * a false alarm. Such a parcel waits for the warehouse's receipt (the platform's own deadlines
 * still apply where the platform case runs them) with one reminder, `return_parcel_overdue`, when
 * it is not at the warehouse RETURN_UNTRACKED_SECONDS after it was sent (docs/after-sales.md).
 */
const UNTRACKED_RETURN_PATCH = 'after-sale-return-untracked';
/** The statuses that end a return parcel's journey with the carrier: the warehouse's receipt comes next. */
const JOURNEY_ENDS = new Set<string>(['delivered', 'returned', 'rejected']);

/**
 * Follows the return parcel until the warehouse receives it: every new status the carrier reports
 * (pushed, or read by a poll every TRACKING_POLL_SECONDS while it travels) goes on the timeline and
 * into the live state. No new scan for RETURN_NO_SCAN_SECONDS (from the waybill, then from its
 * latest scan), or a delivery RETURN_UNRECEIVED_SECONDS old without the receipt, goes to a person:
 * an alert for the shop, the timeline, and the case's live state say so — and the case goes on
 * waiting, since the warehouse's receipt (or a new scan) is what ends it.
 */
export async function followReturn(
  scope: CaseScope,
  received: Received,
  parcel: ReturnParcelView,
  stop: () => boolean = () => false,
): Promise<void> {
  const { input, view, record } = scope;
  const ownAlerts = patched(RETURN_ALERT_PATCH);
  /** The alerts this case raised and has not resolved yet. */
  const raised = new Set<ReturnAlertKind>();
  const settle = async (kinds: readonly ReturnAlertKind[]) => {
    const open = kinds.filter((kind) => raised.has(kind));
    if (!ownAlerts || open.length === 0) return;
    await acts.settleReturnAlerts({ caseId: input.caseId, kinds: open });
    for (const kind of open) raised.delete(kind);
  };
  const watch = await acts.watchReturnParcel({ caseId: input.caseId });
  // Asked only where no tracking service follows the parcel (older histories carry no `trackable`).
  if (watch.trackable === false && patched(UNTRACKED_RETURN_PATCH)) {
    await awaitUntracked(scope, received, parcel, watch, stop);
    return;
  }
  const pushed = () => scope.returnScans?.() ?? [];
  const events = new Map<string, TrackingEvent>();
  const key = (e: TrackingEvent) => `${e.at}|${e.description}`;
  let state: ReturnParcelState = { ...parcel, followedBy: watch.followedBy, attention: null };
  const show = (next: Partial<ReturnParcelState>) => {
    state = { ...state, ...next };
    view.returnParcel = state;
  };
  show({});
  const particulars = { carrier: parcel.carrierCode, trackingNo: parcel.trackingNo };
  const waitForParcel = () => waitFor(view, waiting('case_return_parcel', particulars));
  let status: string | null = null;
  /** When the parcel last moved: its latest scan, or when the case started following it. */
  let lastMoveMs = Date.now();
  /** When the carrier said its journey ended (delivered, back, refused). */
  let endedMs: number | null = null;
  let nextPollMs = Date.now();

  /** The carrier's time of the newest scan taken: an older scan arriving later is kept, not a movement now. */
  let newestMs = -Infinity;
  const take = async (fresh: TrackingEvent[], via: 'push' | 'poll') => {
    const unseen = fresh.filter((e) => !events.has(key(e)));
    if (unseen.length === 0) return;
    for (const e of unseen) events.set(key(e), e);
    // A scan stamped later than now (a carrier's clock ahead of ours) counts as now.
    const times = unseen.map((e) => Date.parse(e.at)).filter((t) => !Number.isNaN(t));
    lastMoveMs = Math.max(lastMoveMs, Math.min(Date.now(), ...times));
    const all = [...events.values()];
    const latest = all.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a));
    show({ scannedAt: latest.at });
    if (state.attention?.kind === 'stalled') {
      // It moves again: nobody needs to chase it now.
      show({ attention: null });
      waitForParcel();
      await record('return-moving', 'returning', 'return_moving_again', 'system', {
        ...particulars,
        description: latest.description,
        at: latest.at,
      });
      await settle(['return_parcel_stalled']);
    }
    // Every status the parcel passed goes on the timeline in the carrier's order, even when a poll
    // (or one push) brings several scans at once.
    const inOrder = [...unseen].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    for (const scan of inOrder) {
      const at = Date.parse(scan.at);
      if (at < newestMs) continue;
      newestMs = at;
      if (scan.status === status || scan.status === 'pending') continue;
      status = scan.status;
      show({ tracking: scan.status });
      await acts.noteReturnTracking({ caseId: input.caseId, status: scan.status });
      await record(`return-tracking-${scan.status}`, 'returning', `return_${scan.status}`, 'system', {
        ...particulars,
        description: scan.description,
        at: scan.at,
        ...(scan.location ? { location: scan.location } : {}),
        via,
      });
      endedMs = JOURNEY_ENDS.has(scan.status)
        ? Number.isNaN(at)
          ? Date.now()
          : Math.min(at, Date.now())
        : null;
      if (endedMs === null && state.attention?.kind === 'unreceived') {
        // Delivered, and now on the move again (a correction, or sent on): followed as before.
        show({ attention: null });
        waitForParcel();
        await settle(['return_not_received']);
      }
    }
  };

  const escalate = async (kind: 'stalled' | 'unreceived', sinceMs: number, seconds: number) => {
    const since = new Date(sinceMs).toISOString();
    show({ attention: { kind, since } });
    const detail = { ...particulars, seconds, since, ...(kind === 'unreceived' ? { tracking: status } : {}) };
    waitFor(
      view,
      kind === 'stalled'
        ? waiting('case_return_stalled', { ...particulars, seconds })
        : waiting('case_return_unreceived', { ...particulars, seconds, tracking: status }),
    );
    await acts.escalateReturnParcel({
      shopId: input.shopId,
      platformCaseId: input.platformCaseId,
      ...(ownAlerts ? { caseId: input.caseId } : {}),
      kind,
      carrier: parcel.carrierCode,
      trackingNo: parcel.trackingNo,
      seconds,
      ...(kind === 'unreceived' ? { tracking: status } : {}),
    });
    raised.add(kind === 'stalled' ? 'return_parcel_stalled' : 'return_not_received');
    if (kind === 'stalled') await record('return-stalled', 'returning', 'return_stalled', 'system', detail);
    else await record('return-unreceived', 'returning', 'return_unreceived', 'system', detail);
  };

  // `stop`: the case ended otherwise meanwhile (a marketplace ended it): nobody follows the parcel.
  const done = () => received() !== undefined || stop();
  while (!done()) {
    const news = pushed().splice(0);
    if (news.length > 0) {
      // A push is news: the next poll waits a whole interval from it.
      nextPollMs = Date.now() + watch.pollSeconds * 1000;
      await take(
        news.flatMap((snapshot) => snapshot.events),
        'push',
      );
    }
    const travelling = endedMs === null;
    // Read by a poll while it travels and no push came for TRACKING_POLL_SECONDS.
    if (travelling && Date.now() >= nextPollMs) {
      const read = await acts.readReturnTracking({ caseId: input.caseId });
      nextPollMs = Date.now() + watch.pollSeconds * 1000;
      if (read.events) await take(read.events, 'poll');
      continue;
    }
    if (done()) break;
    const quietUntil = lastMoveMs + watch.noScanSeconds * 1000;
    const receiveBy = endedMs === null ? Infinity : endedMs + watch.unreceivedSeconds * 1000;
    if (travelling && state.attention === null && Date.now() >= quietUntil) {
      await escalate('stalled', lastMoveMs, watch.noScanSeconds);
      continue;
    }
    if (endedMs !== null && state.attention?.kind !== 'unreceived' && Date.now() >= receiveBy) {
      await escalate('unreceived', endedMs, watch.unreceivedSeconds);
      continue;
    }
    const next = Math.min(
      travelling ? nextPollMs : Infinity,
      travelling && state.attention === null ? quietUntil : Infinity,
      state.attention?.kind !== 'unreceived' ? receiveBy : Infinity,
    );
    const woke = () => done() || pushed().length > 0;
    if (next === Infinity) await condition(woke);
    else await condition(woke, Math.max(1, next - Date.now()));
  }
  // At the warehouse (or the case ended): nobody needs to look for it any more.
  await settle(['return_parcel_stalled', 'return_not_received']);
}

type ReturnAlertKind = 'return_parcel_stalled' | 'return_not_received';

/**
 * The return parcel cannot be followed by tracking (`watch.trackable` false): the case says so on
 * its timeline and in its live state, and waits for the warehouse's receipt (or `stop`). Not there
 * `untrackedSeconds` after it was sent (when the case began waiting for it), a person is reminded
 * once — an alert for the shop about the case, the timeline, the live state — worded as a parcel
 * not yet arrived, and the case goes on waiting; the receipt (or the case ending) resolves it.
 */
async function awaitUntracked(
  scope: CaseScope,
  received: Received,
  parcel: ReturnParcelView,
  watch: { untrackedSeconds: number; why?: string },
  stop: () => boolean,
): Promise<void> {
  const { input, view, record } = scope;
  const particulars = { carrier: parcel.carrierCode, trackingNo: parcel.trackingNo };
  const seconds = watch.untrackedSeconds;
  const sentMs = Date.now();
  const state: ReturnParcelState = { ...parcel, followedBy: 'none', attention: null };
  view.returnParcel = state;
  waitFor(view, waiting('case_return_untracked', particulars));
  await record('return-untracked', 'returning', 'return_untracked', 'system', {
    ...particulars,
    why: watch.why ?? null,
    remindAfterSeconds: seconds,
  });
  const done = () => received() !== undefined || stop();
  if (await condition(done, Math.max(1, sentMs + seconds * 1000 - Date.now()))) return;
  const since = new Date(sentMs).toISOString();
  view.returnParcel = { ...state, attention: { kind: 'overdue', since } };
  waitFor(view, waiting('case_return_overdue', { ...particulars, seconds }));
  await acts.escalateReturnParcel({
    shopId: input.shopId,
    platformCaseId: input.platformCaseId,
    caseId: input.caseId,
    kind: 'overdue',
    carrier: parcel.carrierCode,
    trackingNo: parcel.trackingNo,
    seconds,
  });
  await record('return-overdue', 'returning', 'return_overdue', 'system', { ...particulars, seconds, since });
  await condition(done);
  // At the warehouse (or the case ended): nobody needs to look for it any more.
  await acts.settleReturnAlerts({ caseId: input.caseId, kinds: ['return_parcel_overdue'] });
}

/**
 * A case asked for after shipment (a return, an exchange, a reship): the rules may agree it or hold
 * it (who must agree) before anyone decides, then the decision is awaited. Refused, the case has
 * ended (recorded, the view says so) and the answer is null.
 */
async function decisionAfterShipment(
  scope: CaseScope,
  kind: 'return' | 'exchange' | 'reship',
  patch: string,
) {
  const { input, view, record } = scope;
  const audit = await auditAtDecision(scope, {
    shipped: true,
    financeAboveFen: input.financeAboveFen,
    patch,
  });
  waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
  await record(`${kind}-requested`, 'open', `${kind}_requested`, 'system', {
    lineIds: input.lines.map((line) => line.lineId),
  });
  await recordRuleHold(scope, audit);
  await condition(() => scope.decision() !== undefined);
  const decided = scope.decision()!;
  waitFor(view, null);
  if (decided.decision === 'refuse') {
    view.outcome = 'refused';
    await record('decided', 'refused', 'refused', decided.actor.id, { reason: decided.reason });
    return null;
  }
  return { audit, decided };
}

/**
 * What return and exchange cases share: a person agrees (or refuses), the case waits for the parcel
 * — the buyer's own waybill when they gave one, else whatever the warehouse scans with the case id
 * on it — and the warehouse counts and inspects each line (resaleable → available stock through the
 * ledger, damaged → written off, wrong items held). Returns the inspection when everything came
 * back as ours; otherwise the case has ended (refused) or waits for a person, and that view.
 */
async function takeBack(
  scope: CaseScope,
  received: Received,
  path: 'return' | 'exchange',
): Promise<{ inspection: ReturnInspection } | { ended: AfterSaleStateView }> {
  const { input, view, record } = scope;
  const asked = await decisionAfterShipment(
    scope,
    path,
    path === 'return' ? RETURN_RULES_PATCH : EXCHANGE_RULES_PATCH,
  );
  if (!asked) return { ended: view };
  const { audit, decided } = asked;
  if (path === 'return') {
    view.agreedFen = decided.decision === 'partial' ? decided.amountFen : input.requestedFen;
  }
  view.status = 'returning';
  let parcel = await acts.openReturn({
    caseId: input.caseId,
    orderId: input.orderId,
    waybill: input.returnWaybill ?? null,
  });
  // Cases opened before return waybills and tracking existed wait for the scan alone.
  const follows = patched(RETURN_WAYBILL_PATCH);
  let issued: { issuer: string; sortCode: string | null } | null = null;
  let notIssued: string | null = null;
  if (follows && !parcel.trackingNo) {
    try {
      const answer = await acts.issueReturnWaybill({ caseId: input.caseId, orderId: input.orderId });
      if (answer.issued) {
        parcel = answer.parcel;
        issued = { issuer: answer.parcel.source ?? '', sortCode: answer.sortCode };
      } else notIssued = answer.why;
    } catch (err) {
      // The carrier refused the return order: the buyer sends the parcel back themselves.
      notIssued = `the return waybill was refused: ${errorMessage(err)}`;
    }
  }
  view.returnParcel = parcel;
  waitFor(
    view,
    waiting('case_return_parcel', { carrier: parcel.carrierCode, trackingNo: parcel.trackingNo }),
  );
  await record('decided', 'returning', `${path}_agreed`, decided.actor.id, {
    agreedFen: view.agreedFen,
    ...ruleAgreement(audit, decided),
    ...(decided.decision === 'agree' && decided.replacements ? { replacements: decided.replacements } : {}),
    returnWaybill: parcel.trackingNo
      ? { carrierCode: parcel.carrierCode, trackingNo: parcel.trackingNo }
      : null,
  });
  if (issued) {
    await record('return-waybill', 'returning', 'return_waybill_issued', 'system', {
      issuer: issued.issuer,
      carrierCode: parcel.carrierCode,
      trackingNo: parcel.trackingNo,
      sortCode: issued.sortCode,
    });
  } else if (notIssued) {
    await record('return-waybill', 'returning', 'return_waybill_not_issued', 'system', { why: notIssued });
  }

  return receiveBack(scope, received, parcel, path, follows);
}

/**
 * The return parcel on its way back: followed by tracking (when `follows`) until delivered, then
 * received by the warehouse's scan and inspected per line. Returns the inspection when everything
 * came back as ours; otherwise the case waits for a person, and that view.
 */
export async function receiveBack(
  scope: CaseScope,
  received: Received,
  parcel: ReturnParcelView,
  path: 'return' | 'exchange',
  follows: boolean,
): Promise<{ inspection: ReturnInspection } | { ended: AfterSaleStateView }> {
  const { input, view, record, needsPerson } = scope;
  // The parcel is followed by tracking until it is delivered; the warehouse's scan receives it.
  // Cases that reach this after pushes existed follow it as parcels going out are followed.
  if (follows && parcel.trackingNo && patched(RETURN_FOLLOW_PATCH)) {
    await followReturn(scope, received, parcel);
  } else if (follows && parcel.trackingNo) {
    const every = `${input.trackingPollSeconds ?? 1800} seconds`;
    let last: string | null = null;
    while (received() === undefined) {
      const seen = await acts.followReturnParcel({ caseId: input.caseId });
      if (seen.status && seen.status !== 'pending' && seen.status !== last) {
        last = seen.status;
        view.returnParcel = { ...parcel, tracking: seen.status };
        await record(`return-tracking-${seen.status}`, 'returning', `return_${seen.status}`, 'system', {
          carrierCode: parcel.carrierCode,
          trackingNo: parcel.trackingNo,
          description: seen.description,
          at: seen.at,
        });
      }
      if (seen.status && TRACKING_DONE.has(seen.status)) break;
      await condition(() => received() !== undefined, every);
    }
  }

  await condition(() => received() !== undefined);
  const receipt = received()!;
  waitFor(view, null);
  const inspection = await acts.shelveReturn({
    caseId: input.caseId,
    orderId: input.orderId,
    lines: input.lines,
  });
  view.returnParcel = { ...parcel, status: 'inspected' };
  if (!inspection.refundable) {
    return {
      ended: await needsPerson('inspected', `a person: ${inspection.problems.join('; ')}`, {
        warehouse: receipt.warehouse,
        lines: inspection.lines,
      }),
    };
  }
  await record('inspected', path === 'return' ? 'refunding' : 'exchanging', 'return_inspected', 'system', {
    warehouse: receipt.warehouse,
    lines: inspection.lines,
    inspection: inspectionResult(inspection),
  });
  return { inspection };
}

/**
 * Return and refund (docs/after-sales.md): the goods come back and are inspected, and only a return
 * that came back whole is refunded (the same refund step as refund-only cases).
 */
export async function returnAndRefund(scope: CaseScope, received: Received): Promise<AfterSaleStateView> {
  const back = await takeBack(scope, received, 'return');
  if ('ended' in back) return back.ended;
  // The goods are back: the rules look again with what inspection found before money moves.
  const verdict = await auditReturnedGoods(
    scope,
    back.inspection,
    { financeAboveFen: scope.input.financeAboveFen, status: 'refunding' },
    async () => {
      await condition(() => scope.decision() !== undefined);
      return scope.decision();
    },
  );
  if (!verdict.go) {
    const { view, record } = scope;
    view.outcome = 'refused';
    const refused = 'refused' in verdict ? verdict.refused : null;
    await record('refund-decided', 'refused', 'refused', refused?.actor.id ?? 'system', {
      reason: refused?.reason ?? '',
      goodsBack: true,
    });
    return view;
  }
  return refundCase(
    scope,
    scope.input.lines.map((line) => line.lineId),
  );
}

/**
 * Exchange (docs/after-sales.md): once the goods came back whole, the replacement goes out as an
 * order of its own (allocated, waved, shipped and tracked like any parcel), and the case ends
 * `exchanged` with its tracking number once the parcel is with the carrier. No money moves.
 */
export async function exchangeOut(scope: CaseScope, received: Received): Promise<AfterSaleStateView> {
  const { view, record } = scope;
  const back = await takeBack(scope, received, 'exchange');
  if ('ended' in back) return back.ended;
  await shipReplacement(scope);
  waitFor(view, null);
  view.outcome = 'exchanged';
  await record('exchange-shipped', 'exchanged', 'exchange_shipped', 'system', {
    exchangeOrderId: view.exchange!.orderId,
    carrier: view.exchange!.carrier,
    trackingNo: view.exchange!.trackingNo,
  });
  return view;
}

/**
 * A reship (补寄 / 补发, docs/after-sales.md "Reships"): the buyer says an item was missing or broken.
 * The rules may agree or hold it, else a person decides; refused, nothing moves. Agreed, the case's
 * lines (or the SKUs a person named with `replacements`) go out again as an order of its own at no
 * charge (`-RS-`), worked by the warehouse like any parcel to the original order's receiver; no
 * goods come back and nothing is restocked. The case ends `reshipped` with its tracking number once
 * the parcel is with the carrier (the own store learns it as it learns any parcel's).
 */
export async function reshipOut(scope: CaseScope, patch: string): Promise<AfterSaleStateView> {
  const { view, record } = scope;
  const asked = await decisionAfterShipment(scope, 'reship', patch);
  if (!asked) return view;
  const { audit, decided } = asked;
  await record('decided', 'exchanging', 'reship_agreed', decided.actor.id, {
    ...(decided.decision === 'agree' && decided.replacements ? { replacements: decided.replacements } : {}),
    ...ruleAgreement(audit, decided),
  });
  await shipReplacement(scope, undefined, { purpose: 'reship' });
  waitFor(view, null);
  view.outcome = 'reshipped';
  await record('reshipped', 'reshipped', 'reshipped', 'system', {
    reshipOrderId: view.exchange!.orderId,
    carrier: view.exchange!.carrier,
    trackingNo: view.exchange!.trackingNo,
  });
  return view;
}

/**
 * The replacement goes out as an order of its own (started once: its id is the case's), and the
 * case waits until its parcel is with the carrier; `view.exchange` then names its tracking number.
 */
export async function shipReplacement(
  scope: CaseScope,
  /** Where the platform's exchange says the replacement goes (PDD); absent: the order's receiver. */
  receiver?: PlatformCase['exchangeReceiver'],
  more: {
    /**
     * The replacement SKU of each line where no person named it (a PDD exchange's SKU id mapped to
     * ours), and how many of it ship where the exchange says (one line).
     */
    replacements?: ReadonlyArray<{ lineId: string; skuCode: string; quantity?: number }>;
    /** A decision that stops the wait for the carrier (the exchange turned into a refund). */
    stop?: () => boolean;
    /** A reship (补寄): the case's lines sent again as an order of its own named `-RS-`. */
    purpose?: 'reship';
  } = {},
): Promise<'shipped' | 'stopped'> {
  const purpose = more.purpose;
  const { input, view, record } = scope;
  view.status = 'exchanging';
  // A person who agreed may have named the replacement SKUs (another size or colour).
  const decided = scope.decision();
  const named = decided?.decision === 'agree' ? decided.replacements : undefined;
  const counts = new Map((more.replacements ?? []).map((r) => [r.lineId, r.quantity]));
  const lines = withReplacements(input.lines, named ?? more.replacements).map((line) => {
    const quantity = named ? undefined : counts.get(line.lineId);
    return quantity ? { ...line, quantity } : line;
  });
  const replacement = await acts.startExchangeOrder({
    orderId: input.orderId,
    platformCaseId: input.platformCaseId,
    caseId: input.caseId,
    lines,
    ...(receiver ? { receiver } : {}),
    ...(purpose ? { purpose } : {}),
  });
  view.exchange = { orderId: replacement.orderId, carrier: null, trackingNo: null };
  waitFor(view, waiting('case_exchange_handover'));
  const started = {
    exchangeOrderId: replacement.orderId,
    ...(replacement.swaps ? { swaps: replacement.swaps } : {}),
  };
  if (purpose === 'reship')
    await record('reship-order', 'exchanging', 'reship_order_started', 'system', started);
  else await record('exchange-order', 'exchanging', 'exchange_order_started', 'system', started);
  for (;;) {
    const shipped = await acts.exchangeShipment({ orderId: replacement.orderId });
    if (shipped) {
      view.exchange = { orderId: replacement.orderId, ...shipped };
      return 'shipped';
    }
    const stop = more.stop;
    await condition(() => stop?.() === true, EXCHANGE_RECHECK);
    if (stop?.() === true) return 'stopped';
  }
}

/**
 * A replacement (or reship) order that could not be stopped any more: its parcel is with the
 * carrier or about to be. Waits until its waybill is known (read every 30 seconds).
 */
export async function replacementOnItsWay(
  orderId: string,
): Promise<{ carrier: string | null; trackingNo: string }> {
  for (;;) {
    const shipped = await acts.exchangeShipment({ orderId });
    if (shipped) return shipped;
    await condition(() => false, '30 seconds');
  }
}

function errorMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return (cause?.message ?? (err as Error).message ?? String(err)).slice(0, 300);
}

import { condition, patched } from '@temporalio/workflow';
import type { ReturnInspection } from '../../domain/after-sale-returns.js';
import { withReplacements } from '../../domain/lazy/after-sales.js';
import type { ReturnParcelView } from '../../activities/after-sale-returns.js';
import type { AfterSaleStateView } from '../messages.js';
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
  // A return or an exchange asked for: the rules may agree it or hold it (who must agree) before
  // anyone decides.
  const audit = await auditAtDecision(scope, {
    shipped: true,
    financeAboveFen: input.financeAboveFen,
    patch: path === 'return' ? RETURN_RULES_PATCH : EXCHANGE_RULES_PATCH,
  });
  waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
  await record(`${path}-requested`, 'open', `${path}_requested`, 'system', {
    lineIds: input.lines.map((line) => line.lineId),
  });
  await recordRuleHold(scope, audit);

  await condition(() => scope.decision() !== undefined);
  const decided = scope.decision()!;
  waitFor(view, null);
  if (decided.decision === 'refuse') {
    view.outcome = 'refused';
    await record('decided', 'refused', 'refused', decided.actor.id, { reason: decided.reason });
    return { ended: view };
  }
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
  if (follows && parcel.trackingNo) {
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
 * The replacement goes out as an order of its own (started once: its id is the case's), and the
 * case waits until its parcel is with the carrier; `view.exchange` then names its tracking number.
 */
export async function shipReplacement(scope: CaseScope): Promise<void> {
  const { input, view, record } = scope;
  view.status = 'exchanging';
  // A person who agreed may have named the replacement SKUs (another size or colour).
  const decided = scope.decision();
  const replacement = await acts.startExchangeOrder({
    orderId: input.orderId,
    platformCaseId: input.platformCaseId,
    caseId: input.caseId,
    lines: withReplacements(input.lines, decided?.decision === 'agree' ? decided.replacements : undefined),
  });
  view.exchange = { orderId: replacement.orderId, carrier: null, trackingNo: null };
  waitFor(view, waiting('case_exchange_handover'));
  await record('exchange-order', 'exchanging', 'exchange_order_started', 'system', {
    exchangeOrderId: replacement.orderId,
    ...(replacement.swaps ? { swaps: replacement.swaps } : {}),
  });
  for (;;) {
    const shipped = await acts.exchangeShipment({ orderId: replacement.orderId });
    if (shipped) {
      view.exchange = { orderId: replacement.orderId, ...shipped };
      break;
    }
    await condition(() => false, EXCHANGE_RECHECK);
  }
}

function errorMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return (cause?.message ?? (err as Error).message ?? String(err)).slice(0, 300);
}

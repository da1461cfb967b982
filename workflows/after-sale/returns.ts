import { condition } from '@temporalio/workflow';
import type { ReturnInspection } from '../../domain/after-sale-returns.js';
import type { AfterSaleStateView } from '../messages.js';
import { caseActs as acts, type CaseScope } from './case.js';
import { refundCase } from './refund.js';

/** How often an exchange looks whether its replacement parcel is with the carrier yet. */
const EXCHANGE_RECHECK = '30 seconds';

type Received = () => { warehouse: string; at: string } | undefined;

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
  const { input, view, record, needsPerson } = scope;
  view.waitingFor = 'a decision';
  await record(`${path}-requested`, 'open', `${path}_requested`, 'system', {
    lineIds: input.lines.map((line) => line.lineId),
  });

  await condition(() => scope.decision() !== undefined);
  const decided = scope.decision()!;
  view.waitingFor = null;
  if (decided.decision === 'refuse') {
    view.outcome = 'refused';
    await record('decided', 'refused', 'refused', decided.actor.id, { reason: decided.reason });
    return { ended: view };
  }
  if (path === 'return') {
    view.agreedFen = decided.decision === 'partial' ? decided.amountFen : input.requestedFen;
  }
  view.status = 'returning';
  const parcel = await acts.openReturn({
    caseId: input.caseId,
    orderId: input.orderId,
    waybill: input.returnWaybill ?? null,
  });
  view.returnParcel = parcel;
  view.waitingFor = parcel.trackingNo
    ? `the return parcel ${parcel.carrierCode} ${parcel.trackingNo} at the warehouse`
    : 'the return parcel at the warehouse';
  await record('decided', 'returning', `${path}_agreed`, decided.actor.id, {
    agreedFen: view.agreedFen,
    returnWaybill: parcel.trackingNo
      ? { carrierCode: parcel.carrierCode, trackingNo: parcel.trackingNo }
      : null,
  });

  await condition(() => received() !== undefined);
  const receipt = received()!;
  view.waitingFor = null;
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
  const { input, view, record } = scope;
  const back = await takeBack(scope, received, 'exchange');
  if ('ended' in back) return back.ended;
  view.status = 'exchanging';
  const replacement = await acts.startExchangeOrder({
    orderId: input.orderId,
    platformCaseId: input.platformCaseId,
    caseId: input.caseId,
    lines: input.lines,
  });
  view.exchange = { orderId: replacement.orderId, carrier: null, trackingNo: null };
  view.waitingFor = 'the exchange parcel to be handed to the carrier';
  await record('exchange-order', 'exchanging', 'exchange_order_started', 'system', {
    exchangeOrderId: replacement.orderId,
  });
  for (;;) {
    const shipped = await acts.exchangeShipment({ orderId: replacement.orderId });
    if (shipped) {
      view.exchange = { orderId: replacement.orderId, ...shipped };
      break;
    }
    await condition(() => false, EXCHANGE_RECHECK);
  }
  view.waitingFor = null;
  view.outcome = 'exchanged';
  await record('exchange-shipped', 'exchanged', 'exchange_shipped', 'system', {
    exchangeOrderId: replacement.orderId,
    carrier: view.exchange.carrier,
    trackingNo: view.exchange.trackingNo,
  });
  return view;
}

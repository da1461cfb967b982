import { condition } from '@temporalio/workflow';
import type { AfterSaleStateView } from '../messages.js';
import { caseActs as acts, type CaseScope } from './case.js';
import { refundCase } from './refund.js';

/**
 * Return and refund (docs/after-sales.md): a person agrees the return (and how much goes back),
 * the case waits for the parcel — the buyer's own waybill when they gave one, else whatever the
 * warehouse scans with the case id on it — the warehouse counts and inspects each line
 * (resaleable → available stock through the ledger, damaged → written off, wrong items held), and
 * only a return that came back whole is refunded; anything else waits for a person.
 */
export async function returnAndRefund(
  scope: CaseScope,
  received: () => { warehouse: string; at: string } | undefined,
): Promise<AfterSaleStateView> {
  const { input, view, record, needsPerson } = scope;
  const lineIds = input.lines.map((line) => line.lineId);
  view.waitingFor = 'a decision';
  await record('return-requested', 'open', 'return_requested', 'system', { lineIds });

  await condition(() => scope.decision() !== undefined);
  const decided = scope.decision()!;
  view.waitingFor = null;
  if (decided.decision === 'refuse') {
    view.outcome = 'refused';
    await record('decided', 'refused', 'refused', decided.actor.id, { reason: decided.reason });
    return view;
  }
  view.agreedFen = decided.decision === 'partial' ? decided.amountFen : input.requestedFen;
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
  await record('decided', 'returning', 'return_agreed', decided.actor.id, {
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
    return needsPerson('inspected', `a person: ${inspection.problems.join('; ')}`, {
      warehouse: receipt.warehouse,
      lines: inspection.lines,
    });
  }
  await record('inspected', 'refunding', 'return_inspected', 'system', {
    warehouse: receipt.warehouse,
    lines: inspection.lines,
  });
  return refundCase(scope, lineIds);
}

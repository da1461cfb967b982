import { condition, getExternalWorkflowHandle } from '@temporalio/workflow';
import { lineRefundStatus, linesNotShipping } from '../../domain/line-refunds.js';
import { shipmentOrderLockSignal } from '../messages.js';
import { lastApproval, reviewUntilClear, type ReviewOutcome } from './audit.js';
import type { OrderRun } from './run.js';
import { waiting } from '../../domain/waiting.js';

/** The lines' refund states as the platform reports them, for the timeline. */
export function lineRefundDetail(run: OrderRun): Record<string, unknown> {
  const snapshot = run.snapshot;
  return {
    refundStatus: snapshot.refundStatus,
    lines: snapshot.lines.map((l) => ({ lineId: l.lineId, refundStatus: lineRefundStatus(snapshot, l) })),
    notShipping: linesNotShipping(snapshot),
  };
}

/**
 * Every line has a refund request open: nothing ships until the platform decides. A refused or
 * withdrawn request lets its line ship again; every line refunded ends the order (an interception).
 */
export async function awaitShippableLines(run: OrderRun): Promise<'ready' | 'intercepted'> {
  if (run.shippable.lines.length > 0) return 'ready';
  const before = { status: run.status };
  run.wait(waiting('order_line_refunds'));
  await run.step('refund_hold', before.status, lineRefundDetail(run), 'platform');
  await condition(() => run.shippable.lines.length > 0 || run.interceptReason !== null);
  run.wait(null);
  if (run.interceptReason) return 'intercepted';
  await run.note('refund_hold_released', lineRefundDetail(run), 'platform');
  return 'ready';
}

export type PackedParcelDecision =
  | { kind: 'ship' }
  | { kind: 'repack' }
  | { kind: 'resumed' }
  | { kind: 'rejected'; review: Extract<ReviewOutcome, { approved: false }> };

/**
 * A line that must not ship sits in a packed parcel: the parcel stops (no waybill, not handed over)
 * and a person decides — approve with `packedParcel: 'ship'` to send it as packed and leave the
 * refund to after-sales, approve (`'repack'`, the default) to take it apart and pack the other lines
 * again. A refund refused or withdrawn meanwhile closes the hold and the parcel goes on.
 */
export async function refundInPackedParcel(
  run: OrderRun,
  parcelIds: string[],
): Promise<PackedParcelDecision> {
  const held = run.withoutKey;
  const lines = linesNotShipping(run.snapshot);
  const reason = `refund requested on line ${lines.join(', ')}`;
  for (const parcelId of parcelIds) {
    const parcel = run.parcels.get(parcelId);
    if (!parcel) continue;
    try {
      await getExternalWorkflowHandle(`shipment:${parcel.shipmentId}`).signal(shipmentOrderLockSignal, {
        orderId: run.orderId,
        locked: true,
        reason,
      });
    } catch {
      // The shipment already ended: nothing there to stop.
    }
  }
  run.openHoldsFrom(
    [
      {
        reason: 'refund_in_packed_parcel',
        stage: 1,
        clearedBy: 'ops',
        ruleId: null,
        detail: `parcel ${parcelIds.join(', ')} is packed with line ${lines.join(', ')}, whose refund the buyer requested`,
        message:
          'approve to repack the parcel without the line (packedParcel "repack"), or to ship it as packed and leave the refund to after-sales (packedParcel "ship")',
        keySuffix: `${parcelIds.join('+')}:${held}`,
      },
    ],
    new Date().toISOString(),
  );
  // The refund refused or withdrawn while the parcel waits: nothing is left to decide.
  const settled = () => linesNotShipping(run.snapshot).every((id) => !lines.includes(id));
  const review = await reviewUntilClear(run, settled);
  if (!review.approved) return { kind: 'rejected', review };
  if (review.settled) return { kind: 'resumed' };
  return { kind: lastApproval(run)?.packedParcel === 'ship' ? 'ship' : 'repack' };
}

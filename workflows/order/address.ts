import { condition, getExternalWorkflowHandle, isCancellation } from '@temporalio/workflow';
import { proxyLocalActivitiesInLine } from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import { shipmentReceiverChangedSignal } from '../messages.js';
import { runAudit } from './audit.js';
import type { HoldRecord } from '../../domain/order-projection.js';
import { SHIPPED_STAGES, type OrderRun } from './run.js';

const { raiseOrderAlert } = proxyLocalActivitiesInLine<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * Follows the buyer's address changes for the order's whole life (docs/order-semantics.md). Before
 * handover a change is recorded and the order's flow checks the address again at its next wait
 * (`addressRecheck`); after handover it is after-sales work: an alert names the order and no new
 * waybill is issued. Only fingerprints reach the timeline, never the receiver.
 */
export async function followAddressChanges(run: OrderRun): Promise<void> {
  try {
    for (;;) {
      await condition(() => run.addressChanges.length > 0);
      const change = run.addressChanges.shift()!;
      if (run.finished) return;
      if (run.shippedByUs) {
        const { platform, platformOrderId, shopId } = run.snapshot;
        const left = [...run.parcels.values()]
          .filter((p) => SHIPPED_STAGES.has(p.stage))
          .map((p) => `${p.carrier ?? ''} ${p.trackingNumber ?? ''}`.trim());
        await raiseOrderAlert({
          shopId,
          kind: 'address_changed_after_handover',
          message:
            `${platform} order ${platformOrderId}: the buyer changed the delivery address after parcel ` +
            `${left.join(', ') || 'of the order'} was handed over; ask the carrier to redirect it or ` +
            'contact the buyer (after-sales)',
        });
        await run.note('address_changed_after_handover', { ...change, parcels: left }, 'platform');
        continue;
      }
      await run.note('address_changed', { ...change, during: run.status }, 'platform');
      run.addressRecheck = true;
    }
  } catch (err) {
    // Interception cancels the order's scope, this wait with it; nothing to undo.
    if (!isCancellation(err)) throw err;
  }
}

/** Runs the audit's checks on the new address; returns the holds that it opened. */
export async function recheckAddress(run: OrderRun): Promise<HoldRecord[]> {
  run.addressRecheck = false;
  const { opened, dropped } = await runAudit(run);
  await run.note(
    'address_rechecked',
    { opened: opened.map((h) => h.reason), resolved: dropped.map((h) => h.reason) },
    'system',
  );
  return opened;
}

/**
 * Tells every parcel not yet with a carrier that ships to an older receiver where the order goes
 * now: its waybill, if any, is cancelled and issued again (the shipment decides).
 */
export async function readdressParcels(run: OrderRun): Promise<void> {
  if (!run.followsAddress) return;
  const key = run.receiverKey;
  for (const [, p] of run.parcels) {
    if (SHIPPED_STAGES.has(p.stage) || p.stage === 'cancelled' || p.receiverKey === key) continue;
    p.receiverKey = key;
    try {
      await getExternalWorkflowHandle(`shipment:${p.shipmentId}`).signal(shipmentReceiverChangedSignal, {
        orderId: run.orderId,
        receiver: run.order.receiver,
        fingerprint: key,
      });
    } catch {
      // The shipment already ended (taken apart or delivered): nothing there to change.
    }
  }
}

import {
  ActivityCancellationType,
  condition,
  getExternalWorkflowHandle,
  workflowInfo,
} from '@temporalio/workflow';
import { proxyLocalActivitiesInLine } from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import type { WarehouseShare } from '../../activities/stock/index.js';
import type { NormalizedOrder } from '../../domain/order.js';
import type { OrderStatus } from '../../domain/order-status.js';
import { readyOrdersFor } from '../../domain/parcels/ready.js';
import { shipmentCancelOrderSignal, shipmentOrderLockSignal, type ShipmentStage } from '../messages.js';
import { linesNotShipping } from '../../domain/line-refunds.js';
import { lastApproval, reviewUntilClear, type ReviewOutcome } from './audit.js';
import { awaitShippableLines, lineRefundDetail, refundInPackedParcel } from './line-refunds.js';
import { SHIPPED_STAGES, type OrderRun, type ParcelState } from './run.js';
import { waiting, type Waiting } from '../../domain/waiting.js';
import { readdressParcels, recheckAddress } from './address.js';
import {
  countedParcels,
  isLostNews,
  lostParcelsNeedAttention,
  lostWaiting,
  noteLostParcel,
  settledByLostParcels,
  takeLostParcelDecisions,
} from './lost-parcels.js';

// Short database transactions and signals: local activities. An interception waits for an
// allocation in flight to finish before releasing, so no reservation can outlive the order.
const { allocateOrder, releaseOrderStock, joinWave, withdrawFromWave } =
  proxyLocalActivitiesInLine<Activities>({
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
  });

export type FulfilmentOutcome =
  | { kind: 'delivered' }
  /** Every parcel was lost and its lines refunded: nothing reached the buyer, nothing is owed. */
  | { kind: 'refunded' }
  | { kind: 'rejected'; review: Extract<ReviewOutcome, { approved: false }> }
  | { kind: 'intercepted' };

const SHIPPED = SHIPPED_STAGES;
const STAGE_EVENT: Record<ShipmentStage, string> = {
  picking: 'picking',
  picked: 'picked',
  packed: 'packed',
  labelled: 'waybill_issued',
  shipped: 'shipped',
  tracking_uploaded: 'tracking_uploaded',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  exception: 'shipment_exception',
  cancelled: 'parcel_cancelled',
};

/**
 * From an audited order to delivered parcels: reserve stock (waiting for it when short, oldest
 * order first), join the wave of every warehouse that ships a share, then follow each parcel the
 * waves form until all are delivered. A parcel taken apart before handover sends the order back to
 * the wave (or, when units were missing, to allocation).
 */
export async function fulfil(run: OrderRun): Promise<FulfilmentOutcome> {
  let attempt = 0;
  for (;;) {
    attempt += 1;
    const allocated = await allocate(run, attempt);
    if (allocated !== 'allocated') return allocated;
    await joinWaves(run, run.allocation!.shares);
    const followed = await follow(run);
    if (followed === 'readdress') {
      // The new address failed a check: the order was taken out of the warehouse and waits for a
      // person; once cleared it is allocated and waved again, to the new address.
      await releaseOrderStock({
        key: `${run.orderId}:release:address:${attempt}`,
        orderId: run.orderId,
        allocationId: run.allocation!.allocationId,
        reason: 'the buyer changed the delivery address and the new one is held for review',
        actor: 'system',
      });
      run.allocation = null;
      const review = await reviewUntilClear(run);
      if (!review.approved) return { kind: 'rejected', review };
      continue;
    }
    if (followed !== 'reallocate') return followed;
    await releaseOrderStock({
      key: `${run.orderId}:release:${attempt}`,
      orderId: run.orderId,
      allocationId: run.allocation!.allocationId,
      reason: 'units missing at picking: allocating again',
      actor: 'system',
    });
    run.allocation = null;
  }
}

async function allocate(
  run: OrderRun,
  attempt: number | string,
  /** Only these lines of the order (what is still to ship); the whole order when absent. */
  part?: NormalizedOrder,
): Promise<'allocated' | FulfilmentOutcome> {
  for (let tries = 1; ; tries++) {
    await run.gate();
    if (run.interceptReason) return { kind: 'intercepted' };
    if (!part && (await awaitShippableLines(run)) === 'intercepted') return { kind: 'intercepted' };
    const allocationId = `${run.orderId}:alloc:${attempt}.${tries}`;
    run.stockTouched = true;
    run.allocatedWithout = run.withoutKey;
    // A further parcel after part of the order shipped was a person's decision already.
    const splits = !part && run.patch(SPLIT_HOLD_PATCH) ? run.splitChoice : undefined;
    const result = await allocateOrder({
      orderId: run.orderId,
      allocationId,
      order: part ?? run.shippable,
      ...(splits ? { splits } : {}),
    });
    switch (result.kind) {
      case 'allocated': {
        run.allocation = { allocationId: result.allocationId, shares: result.shares };
        run.splitChoice = 'hold';
        const allocated = {
          plan: result.plan,
          reason: result.reason,
          warehouses: result.shares.map((s) => s.warehouse),
        };
        // Straight on to the wave join, which writes it first.
        if (run.combinedWrites && !part && !run.locked && !run.interceptReason)
          run.pass('allocated', 'awaiting_wave', allocated);
        else await run.step('allocated', 'awaiting_wave', allocated);
        return 'allocated';
      }
      case 'out_of_stock':
      case 'waiting_together': {
        if (result.kind === 'out_of_stock') {
          const short = result.short.map((s) => `${s.sku} ×${s.needed - s.available}`).join(', ');
          run.wait(waiting('order_stock_short', { short }));
          await run.step('out_of_stock', 'out_of_stock', {
            short: result.short,
            reason: result.reason,
            replenishmentRequestIds: result.replenishmentRequestIds,
          });
        } else {
          run.wait(waiting('order_stock_together'));
          await run.step('waiting_to_ship_together', 'out_of_stock', { reason: result.reason });
        }
        const waited = await awaitReservation(run, `${attempt}.${tries}`);
        if (waited === 'again') continue;
        if (waited === 'allocated') run.splitChoice = 'hold';
        return waited;
      }
      case 'split_needed': {
        run.openHoldsFrom(
          [
            {
              reason: 'split_shipment',
              stage: 1,
              clearedBy: 'ops',
              detail: result.reason,
              ruleId: null,
              keySuffix: `alloc${attempt}.${tries}`,
              message: result.message,
            },
          ],
          new Date().toISOString(),
        );
        const review = await reviewUntilClear(run);
        if (!review.approved) return { kind: 'rejected', review };
        if (run.interceptReason) return { kind: 'intercepted' };
        run.splitChoice = lastApproval(run)?.split === 'split' ? 'split' : 'together';
        continue;
      }
      case 'unmapped':
      case 'unfulfillable': {
        const reason = result.kind === 'unmapped' ? 'unmapped_sku' : 'unfulfillable';
        run.openHoldsFrom(
          [
            {
              reason,
              stage: 1,
              clearedBy: 'ops',
              detail: result.reason,
              ruleId: null,
              keySuffix: `alloc${attempt}.${tries}`,
              message:
                result.kind === 'unmapped'
                  ? 'map the SKU, then approve'
                  : 'give a warehouse the capability or change the order, then approve',
            },
          ],
          new Date().toISOString(),
        );
        const review = await reviewUntilClear(run);
        if (!review.approved) return { kind: 'rejected', review };
        if (run.interceptReason) return { kind: 'intercepted' };
        continue;
      }
    }
  }
}

/** Orders of shops that do not split without a person are held instead (docs/order-semantics.md). */
const SPLIT_HOLD_PATCH = 'order-split-needs-a-decision';

/**
 * The order is in the stock-wait queue: waits until a receipt reserves for it (the stock-arrival
 * workflow signals the reservation), the buyer changes the address, a line's refund changes or the
 * order is stopped. `again`: allocate afresh.
 */
async function awaitReservation(
  run: OrderRun,
  key: string,
): Promise<'allocated' | 'again' | FulfilmentOutcome> {
  let readdressed = false;
  for (;;) {
    await condition(
      () =>
        run.stockReserved !== null || run.interceptReason !== null || run.linesChanged || run.addressRecheck,
    );
    if (!run.addressRecheck || run.interceptReason || run.stockReserved || run.linesChanged) break;
    // The buyer changed the address while the order waits for stock: checked again at once.
    if ((await recheckAddress(run)).length > 0) {
      readdressed = true;
      break;
    }
  }
  run.wait(null);
  if (run.interceptReason) return { kind: 'intercepted' };
  if (readdressed && !run.stockReserved) {
    await releaseOrderStock({
      key: `${run.orderId}:release:address:${key}`,
      orderId: run.orderId,
      reason: 'the buyer changed the delivery address and the new one is held for review',
      actor: 'system',
    });
    const review = await reviewUntilClear(run);
    if (!review.approved) return { kind: 'rejected', review };
    if (run.interceptReason) return { kind: 'intercepted' };
    return 'again';
  }
  if (run.linesChanged) {
    // A line's refund changed while it waited: what it waits for is planned again.
    await releaseOrderStock({
      key: `${run.orderId}:release:lines:${key}`,
      orderId: run.orderId,
      reason: 'a line’s refund changed while waiting for stock: allocating again',
      actor: 'system',
    });
    run.stockReserved = null;
    await run.note('refund_lines_changed', lineRefundDetail(run), 'platform');
    return 'again';
  }
  const reserved = run.stockReserved!;
  run.stockReserved = null;
  run.allocation = { allocationId: reserved.allocationId, shares: reserved.shares };
  await run.step('stock_reserved', 'awaiting_wave', {
    reason: reserved.reason,
    waitedSince: reserved.waitedSince,
    warehouses: reserved.shares.map((s) => s.warehouse),
  });
  return 'allocated';
}

const WAVE_JOIN_KEY_PATCH = 'order-wave-join-key';
/** Shipment news being recorded counts as ours when the platform says "shipped" (docs/order-semantics.md). */
const IN_FLIGHT_PROGRESS_PATCH = 'order-in-flight-progress-shipped';

async function joinWaves(run: OrderRun, shares: WarehouseShare[]): Promise<void> {
  await run.gate();
  const readyAt = new Date().toISOString();
  const urgent =
    run.flags.has('urgent') || run.order.type === 'livestream' || (run.route?.priority ?? 0) >= 90;
  const order = run.shippable;
  run.wavedReceiver = run.receiverKey;
  // The join's key: before, the allocation and the workflow time, which a retried workflow task
  // (the worker died or the task timed out after the local activity ran) sees later, so the order
  // joined a second wave. Now the run and a count kept in the workflow: the same on every retry.
  const joinKey = run.patch(WAVE_JOIN_KEY_PATCH)
    ? `${run.allocation!.allocationId}|${workflowInfo().runId}.${(run.waveJoins += 1)}`
    : undefined;
  for (const ready of readyOrdersFor({
    orderId: run.orderId,
    order,
    allocationId: run.allocation!.allocationId,
    shares,
    urgent,
    readyAt,
    locked: run.locked,
  })) {
    await run.carrying((orderEvents) =>
      joinWave({
        warehouse: ready.warehouse,
        ...(joinKey ? { joinKey } : {}),
        // The stage passed on the way here (allocated), written first.
        ...(orderEvents.length ? { orderEvents } : {}),
        entry: {
          ready,
          ref: {
            orderId: run.orderId,
            platform: order.platform,
            shopId: order.shopId,
            platformOrderId: order.platformOrderId,
            type: order.type,
            receiver: order.receiver,
            ...(order.buyerRemark ? { buyerRemark: order.buyerRemark } : {}),
            carrierPreference: run.edits.carrierPreference ?? null,
            platformCarrier: order.platformCarrier ?? null,
            paidAt: order.paidAt ?? null,
            orderLineIds: order.lines.map((l) => l.lineId),
          },
        },
      }),
    );
    run.awaitingWave.add(ready.warehouse);
  }
  // No share to join (nothing took the carried stage): written before the order waits.
  await run.flushCarried();
  run.wait(waiting('order_wave', { warehouses: [...run.awaitingWave].join(', ') }));
}

async function follow(run: OrderRun): Promise<FulfilmentOutcome | 'reallocate' | 'readdress'> {
  for (;;) {
    const parcels = [...run.parcels.values()];
    if (run.lostParcels) {
      // A reshipped or refunded lost parcel no longer counts; the rest must be delivered.
      const settled = settledByLostParcels(run);
      if (settled) return { kind: settled };
    } else if (
      run.awaitingWave.size === 0 &&
      parcels.length > 0 &&
      parcels.every((p) => p.stage === 'delivered')
    ) {
      return { kind: 'delivered' };
    }
    await condition(
      () =>
        run.assignments.length > 0 ||
        run.progress.length > 0 ||
        (run.lostParcels && lostParcelsNeedAttention(run)) ||
        (run.interceptReason !== null && !run.pastPointOfNoReturn) ||
        run.linesChanged ||
        (run.addressRecheck && !run.pastPointOfNoReturn),
    );
    if (run.interceptReason && !run.pastPointOfNoReturn) return { kind: 'intercepted' };

    for (const assigned of run.assignments.splice(0)) {
      if (!run.awaitingWave.delete(assigned.warehouse)) continue; // a repeated assignment
      for (const p of assigned.parcels) {
        run.parcels.set(p.parcelId, {
          shipmentId: p.shipmentId,
          warehouse: assigned.warehouse,
          stage: 'picking',
          mergedWith: p.mergedWith,
          carrier: null,
          trackingNumber: null,
          lineIds: [...new Set(p.contents.map((c) => c.lineId))],
          ...(run.followsAddress ? { receiverKey: run.wavedReceiver } : {}),
        });
      }
      if (run.locked)
        await tellParcelsLock(
          run,
          assigned.parcels.map((p) => p.parcelId),
        );
      await run.step('parcel_assigned', aggregateStatus(run), {
        wave: assigned.waveId,
        warehouse: assigned.warehouse,
        parcels: assigned.parcels.map((p) => ({
          parcelId: p.parcelId,
          mergedWith: p.mergedWith,
          reason: p.reason,
          lines: p.contents,
        })),
      });
    }

    let reallocate = false;
    const short: ShortParcel[] = [];
    let stopped: FulfilmentOutcome | undefined;
    const batch = run.progress.splice(0);
    // Seen beside a loaded run: the batch held our "shipped", the platform's own "shipped" (our
    // tracking upload) arrived while the earlier items were being recorded, and the order stopped
    // as shipped on the platform, cancelling the write of its own shipped event.
    if (batch.length > 0 && run.patch(IN_FLIGHT_PROGRESS_PATCH)) run.progressInFlight = batch;
    for (const progress of batch) {
      const parcel = run.parcels.get(progress.parcelId);
      if (!parcel) continue;
      if (progress.stage === 'cancelled') {
        run.parcels.delete(progress.parcelId);
        const share = run.allocation?.shares.find((s) => s.warehouse === parcel.warehouse);
        await run.step('parcel_cancelled', run.status, {
          parcelId: progress.parcelId,
          reason: progress.cancel?.reason ?? null,
        });
        if (progress.cancel?.reallocate) {
          reallocate = true;
          short.push({
            parcelId: progress.parcelId,
            warehouse: parcel.warehouse,
            reason: progress.cancel.reason,
            lineIds: parcel.lineIds ?? [],
          });
        } else if (
          share &&
          !run.awaitingWave.has(share.warehouse) &&
          ![...run.parcels.values()].some((p) => p.warehouse === share.warehouse)
        ) {
          await joinWaves(run, [share]);
        }
        continue;
      }
      if (run.lostParcels && isLostNews(progress)) {
        await noteLostParcel(run, progress.parcelId, parcel, progress);
        continue;
      }
      if (parcel.lost) continue; // a lost parcel's shipment has ended: nothing more comes of it
      if (rank(progress.stage) > rank(parcel.stage) || progress.stage === 'exception')
        parcel.stage = progress.stage;
      parcel.carrier = progress.carrier ?? parcel.carrier;
      parcel.trackingNumber = progress.trackingNumber ?? parcel.trackingNumber;
      if (SHIPPED.has(progress.stage)) run.pastPointOfNoReturn = true;
      run.wait(orderWaiting(run));
      await run.step(progress.event ?? STAGE_EVENT[progress.stage], aggregateStatus(run), {
        parcelId: progress.parcelId,
        ...progress.detail,
        ...(progress.carrier ? { carrier: progress.carrier } : {}),
        ...(progress.trackingNumber ? { trackingNumber: progress.trackingNumber } : {}),
      });
    }
    run.progressInFlight = [];

    if (reallocate) {
      if (run.pastPointOfNoReturn) {
        // Part of the order is with the carrier: a person decides, then only the missing lines
        // are allocated again and ship as a further parcel.
        const reallocates = run.patch(SHORT_AFTER_SHIPMENT_PATCH);
        run.shortfalls += 1;
        const where = short.map((p) => `parcel ${p.parcelId} at ${p.warehouse}: ${p.reason}`).join('; ');
        run.openHoldsFrom(
          [
            {
              reason: 'short_after_partial_shipment',
              stage: 1,
              clearedBy: 'ops',
              detail: reallocates
                ? `units were missing at picking after another parcel of the order already shipped (${where})`
                : 'units were missing at picking after another parcel of the order already shipped',
              ruleId: null,
              ...(reallocates
                ? {
                    message: 'approve to allocate the missing lines again as a further parcel, or reject',
                    keySuffix: `short${run.shortfalls}`,
                  }
                : {}),
            },
          ],
          new Date().toISOString(),
        );
        const review = await reviewUntilClear(run);
        if (!review.approved) return { kind: 'rejected', review };
        if (reallocates) {
          const again = await allocateMissing(run, short);
          if (again !== 'allocated') return again;
        }
        continue;
      }
      await cancelParcels(run, 'units missing at picking: the order is allocated again');
      return 'reallocate';
    }

    if (run.lostParcels && lostParcelsNeedAttention(run)) {
      const taken = await takeLostParcelDecisions(run, {
        reship: async (parcel, units) => {
          const again = await allocateLostLines(run, parcel, units);
          if (again === 'allocated') return 'allocated';
          stopped = again;
          return 'stopped';
        },
        status: () => aggregateStatus(run),
      });
      if (taken === 'stopped') return stopped!;
      run.wait(orderWaiting(run));
    }

    if (run.linesChanged) {
      const refunds = await followRefunds(run);
      if (refunds !== 'continue') return refunds;
    }

    if (run.addressRecheck && !run.pastPointOfNoReturn) {
      const readdress = await followAddress(run);
      if (readdress !== 'continue') return readdress;
    }
    // Parcels formed from a wave the order joined with an older address learn the new one.
    if (run.followsAddress && !run.pastPointOfNoReturn) await readdressParcels(run);
  }
}

/**
 * The buyer changed the address before handover. The new address passes the checks: its parcels
 * are told (a waybill already issued is cancelled and issued again). It fails one: the order leaves
 * its waves, its parcels are taken apart (waybills cancelled), and it waits for a person.
 */
async function followAddress(run: OrderRun): Promise<'readdress' | 'continue'> {
  const opened = await recheckAddress(run);
  if (opened.length === 0) return 'continue';
  const reason = `the new delivery address is held for review (${opened.map((h) => h.reason).join(', ')})`;
  // A parcel that left before it could be stopped makes the change after-sales work.
  return (await leaveWarehouse(run, reason)) ? 'readdress' : 'continue';
}

/**
 * A line's refund changed after allocation and before anything left. A packed parcel carrying a
 * line that must not ship waits for a person (repack without it, or ship it and leave the refund to
 * after-sales) unless the refund is refused or withdrawn meanwhile; otherwise the order leaves its
 * waves, its parcels are taken apart and the lines that ship are allocated again.
 */
async function followRefunds(run: OrderRun): Promise<FulfilmentOutcome | 'reallocate' | 'continue'> {
  const out = new Set(linesNotShipping(run.snapshot));
  const packed = [...run.parcels.entries()]
    .filter(
      ([, p]) => (p.stage === 'packed' || p.stage === 'labelled') && p.lineIds?.some((id) => out.has(id)),
    )
    .map(([parcelId]) => parcelId);
  if (packed.length) {
    const decided = await refundInPackedParcel(run, packed);
    if (decided.kind === 'rejected') return decided;
    if (decided.kind === 'ship' || decided.kind === 'resumed') {
      if (decided.kind === 'ship') run.allocatedWithout = run.withoutKey;
      await tellParcelsLock(run, packed);
      run.wait(orderWaiting(run));
      return 'continue';
    }
  }
  await run.note('refund_lines_changed', lineRefundDetail(run), 'platform');
  const reason = 'a line’s refund changed: the order is allocated again without the lines that do not ship';
  // A parcel that left before it could be stopped makes the refund after-sales work.
  return (await leaveWarehouse(run, reason)) ? 'reallocate' : 'continue';
}

/**
 * Takes the order out of the warehouse before handover: it leaves its waves (parcels a wave formed
 * meanwhile are awaited) and its parcels are taken apart. False when a parcel had already left
 * (the order is then past the point of no return).
 */
async function leaveWarehouse(run: OrderRun, reason: string): Promise<boolean> {
  for (const warehouse of [...run.awaitingWave]) {
    const { withdrawn } = await withdrawFromWave({ warehouse, orderId: run.orderId, reason });
    // The wave took the order already: its parcels are on their way here, and are taken apart.
    if (withdrawn === false)
      await condition(() => run.assignments.some((a) => a.warehouse === warehouse), 5 * 60_000);
    run.awaitingWave.delete(warehouse);
  }
  adoptLateAssignments(run);
  const { tooLate } = await cancelParcels(run, reason);
  if (tooLate.length) {
    run.pastPointOfNoReturn = true;
    return false;
  }
  return true;
}

const SHORT_AFTER_SHIPMENT_PATCH = 'order-short-after-shipment-reallocates';

interface ShortParcel {
  parcelId: string;
  warehouse: string;
  reason: string;
  lineIds: string[];
}

/**
 * After a person approved: what the short parcels' warehouses still hold for them is released, and
 * their lines are allocated again (waiting for stock if need be) and join the waves.
 */
async function allocateMissing(
  run: OrderRun,
  short: ShortParcel[],
): Promise<'allocated' | FulfilmentOutcome> {
  const prior = run.allocation!;
  for (const warehouse of new Set(short.map((p) => p.warehouse))) {
    await releaseOrderStock({
      key: `${run.orderId}:release:short${run.shortfalls}:${warehouse}`,
      orderId: run.orderId,
      allocationId: prior.allocationId,
      warehouse,
      reason: 'units missing at picking after part of the order shipped: its lines are allocated again',
      actor: 'system',
    });
  }
  const lineIds = new Set(short.flatMap((p) => p.lineIds));
  const order = run.order;
  run.allocation = null;
  const allocated = await allocate(run, `short${run.shortfalls}`, {
    ...order,
    lines: order.lines.filter((l) => lineIds.has(l.lineId)),
  });
  if (allocated !== 'allocated') return allocated;
  await joinWaves(run, run.allocation!.shares);
  return 'allocated';
}

/**
 * A person chose to reship a lost parcel: what it carried is allocated again (waiting for stock if
 * need be) and joins the waves, to leave as a new parcel with a new waybill. `units` names how much
 * of each line the parcel held; without it (orders recorded before) its lines go whole.
 */
async function allocateLostLines(
  run: OrderRun,
  parcel: ParcelState,
  units: ReadonlyArray<{ lineId: string; quantity: number }> | null,
): Promise<'allocated' | FulfilmentOutcome> {
  const lineIds = new Set(parcel.lineIds ?? []);
  const carried = new Map(units?.map((u) => [u.lineId, u.quantity]));
  const order = run.order;
  run.allocation = null;
  const allocated = await allocate(run, `reship${run.reships}`, {
    ...order,
    lines: units
      ? order.lines.filter((l) => carried.has(l.lineId)).map((l) => partOfLine(l, carried.get(l.lineId)!))
      : order.lines.filter((l) => lineIds.has(l.lineId)),
  });
  if (allocated !== 'allocated') return allocated;
  await joinWaves(run, run.allocation!.shares);
  return 'allocated';
}

/** `quantity` units of a line, its discount and tax in proportion. */
function partOfLine<L extends { quantity: number; discountFen: number; taxFen?: number | undefined }>(
  line: L,
  quantity: number,
): L {
  const share = (fen: number) => Math.round((fen * quantity) / line.quantity);
  return {
    ...line,
    quantity,
    discountFen: share(line.discountFen),
    ...(line.taxFen !== undefined ? { taxFen: share(line.taxFen) } : {}),
  };
}

const RANKS: ShipmentStage[] = [
  'picking',
  'picked',
  'packed',
  'labelled',
  'shipped',
  'tracking_uploaded',
  'in_transit',
  'out_for_delivery',
  'delivered',
];
function rank(stage: ShipmentStage): number {
  return RANKS.indexOf(stage);
}

/** The order is as far as its least advanced parcel; any parcel in trouble puts it in exception. */
function aggregateStatus(run: OrderRun): OrderStatus {
  const parcels = run.lostParcels ? countedParcels(run) : [...run.parcels.values()];
  if (parcels.some((p) => p.stage === 'exception')) return 'exception';
  if (run.awaitingWave.size > 0 || parcels.length === 0) return 'awaiting_wave';
  const least = Math.min(...parcels.map((p) => rank(p.stage)));
  if (least <= rank('picked')) return 'picking';
  if (least <= rank('labelled')) return 'packed';
  if (least < rank('delivered')) return 'shipped';
  return 'delivered';
}

export function orderWaiting(run: OrderRun): Waiting | null {
  const lost = run.lostParcels ? lostWaiting(run) : null;
  if (lost) return lost;
  const parcels = run.lostParcels ? countedParcels(run) : [...run.parcels.values()];
  if (run.locked && parcels.some((p) => !SHIPPED.has(p.stage)))
    return waiting('order_locked_parcel', { reason: run.lockReason });
  if (parcels.some((p) => p.stage === 'exception')) return waiting('order_shipment_exception');
  if (parcels.every((p) => p.stage === 'delivered')) return null;
  return waiting(parcels.some((p) => SHIPPED.has(p.stage)) ? 'order_delivery' : 'order_warehouse');
}

/**
 * Tells the parcels not yet with a carrier (all, or the ones named) that the order is locked or
 * unlocked: a lock taken after the order joined a wave stops its parcel before the waybill and at
 * the dock, not only before the wave.
 */
export async function tellParcelsLock(run: OrderRun, parcelIds?: string[]): Promise<void> {
  for (const [parcelId, p] of run.parcels) {
    if (SHIPPED.has(p.stage) || p.stage === 'cancelled' || (parcelIds && !parcelIds.includes(parcelId)))
      continue;
    try {
      await getExternalWorkflowHandle(`shipment:${p.shipmentId}`).signal(shipmentOrderLockSignal, {
        orderId: run.orderId,
        locked: run.locked,
        reason: run.lockReason,
      });
    } catch {
      // The shipment already ended (taken apart or delivered): nothing there to stop.
    }
  }
}

/** Parcels the waves formed while the order was leaving them: known, so they can be taken apart. */
function adoptLateAssignments(run: OrderRun): void {
  for (const assigned of run.assignments.splice(0)) {
    for (const p of assigned.parcels) {
      run.parcels.set(p.parcelId, {
        shipmentId: p.shipmentId,
        warehouse: assigned.warehouse,
        stage: 'picking',
        mergedWith: p.mergedWith,
        carrier: null,
        trackingNumber: null,
        lineIds: [...new Set(p.contents.map((c) => c.lineId))],
      });
    }
  }
}

/** Asks every parcel not yet with a carrier to drop this order, and waits for each answer. */
async function cancelParcels(run: OrderRun, reason: string): Promise<{ tooLate: string[] }> {
  const open = [...run.parcels.entries()].filter(([, p]) => !SHIPPED.has(p.stage) && p.stage !== 'exception');
  for (const [, p] of open) {
    await getExternalWorkflowHandle(`shipment:${p.shipmentId}`).signal(shipmentCancelOrderSignal, {
      orderId: run.orderId,
      reason,
    });
  }
  const tooLate: string[] = [];
  for (const [parcelId] of open) {
    // The shipment answers `cancelled`, or `shipped` when the parcel already left.
    const answered = await condition(
      () =>
        run.progress.some(
          (x) => x.parcelId === parcelId && (x.stage === 'cancelled' || SHIPPED.has(x.stage)),
        ),
      5 * 60_000,
    );
    const answer = run.progress.find(
      (x) => x.parcelId === parcelId && (x.stage === 'cancelled' || SHIPPED.has(x.stage)),
    );
    if (!answered || (answer && answer.stage !== 'cancelled')) tooLate.push(parcelId);
    run.parcels.delete(parcelId);
  }
  for (let i = run.progress.length - 1; i >= 0; i--)
    if (open.some(([id]) => id === run.progress[i]!.parcelId)) run.progress.splice(i, 1);
  return { tooLate };
}

/**
 * Undo for an intercepted order: leave waves, take its parcels apart (those already with a carrier
 * are reported, not stopped), then release every unit it still holds.
 */
export async function undoFulfilment(run: OrderRun, reason: string): Promise<Record<string, unknown>> {
  for (const warehouse of run.awaitingWave)
    await withdrawFromWave({ warehouse, orderId: run.orderId, reason });
  // Parcels formed while we were stopping still arrive: take those apart too.
  adoptLateAssignments(run);
  const { tooLate } = await cancelParcels(run, reason);
  if (!run.stockTouched) return {};
  const released = await releaseOrderStock({
    key: `${run.orderId}:release:intercept`,
    orderId: run.orderId,
    reason,
    actor: 'system',
  });
  return {
    releasedUnits: released.released.reduce((n, r) => n + r.qty, 0),
    ...(tooLate.length ? { alreadyWithCarrier: tooLate } : {}),
  };
}

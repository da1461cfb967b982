import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { formParcels } from '../domain/parcels/form.js';
import {
  waveOrderReadySignal,
  waveOrderWithdrawnSignal,
  waveStateQuery,
  type WaveEntry,
} from './messages.js';

const { loadWavePolicy, createWave, dispatchWave } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export interface WaveWorkflowInput {
  warehouse: string;
  /** Waves formed so far (carried across continue-as-new, part of each wave's id). */
  seq: number;
  pending: WaveEntry[];
}

/** Continue-as-new after this many waves so the history stays short. */
const WAVES_PER_RUN = 50;

/**
 * One per warehouse (`wave:{warehouse}`): collects orders ready to ship for the merge window or
 * until the size cap, then forms parcels (merging what may merge, splitting by handling and
 * carrier limits), creates the pick list and pack tasks, starts a shipment per parcel and tells
 * each order which parcels carry it. An urgent order (livestream, flagged) flushes at once.
 */
export async function waveWorkflow(input: WaveWorkflowInput): Promise<void> {
  const { warehouse } = input;
  let pending = [...input.pending];
  let seq = input.seq;
  let formed = 0;
  let lastWaveId: string | null = null;
  let nextFlushAt: string | null = null;

  setHandler(waveOrderReadySignal, (entry) => {
    const duplicate = pending.some(
      (p) => p.ready.orderId === entry.ready.orderId && p.ready.allocationId === entry.ready.allocationId,
    );
    if (!duplicate) pending.push(entry);
  });
  setHandler(waveOrderWithdrawnSignal, ({ orderId }) => {
    pending = pending.filter((p) => p.ready.orderId !== orderId);
  });
  setHandler(waveStateQuery, () => ({
    warehouse,
    pending: pending.map((p) => ({
      orderId: p.ready.orderId,
      urgent: p.ready.urgent,
      readyAt: p.ready.readyAt,
    })),
    nextFlushAt,
    wavesFormed: seq,
    lastWaveId,
  }));

  const policy = await loadWavePolicy({ warehouse });
  while (formed < WAVES_PER_RUN && !workflowInfo().continueAsNewSuggested) {
    await condition(() => pending.length > 0);
    const oldest = Math.min(...pending.map((p) => Date.parse(p.ready.readyAt)));
    const flushAtMs = oldest + policy.windowSeconds * 1000;
    nextFlushAt = new Date(flushAtMs).toISOString();
    await condition(
      () => pending.length === 0 || pending.some((p) => p.ready.urgent) || pending.length >= policy.sizeCap,
      Math.max(0, flushAtMs - Date.now()),
    );
    nextFlushAt = null;
    if (pending.length === 0) continue;

    const batch = pending.slice(0, policy.sizeCap);
    pending = pending.slice(policy.sizeCap);
    seq += 1;
    formed += 1;
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const waveId = `${warehouse}-${stamp}-${seq}`;
    const parcels = formParcels(
      batch.map((b) => b.ready),
      { carrierLimits: policy.carrierLimits, policy: policy.merge, idPrefix: waveId },
    );
    // An external WMS prints the receivers on its delivery orders; the built-in one ignores them.
    const orders = batch.map(({ ref }) => ({
      orderId: ref.orderId,
      platform: ref.platform,
      shopId: ref.shopId,
      platformOrderId: ref.platformOrderId,
      receiver: ref.receiver,
      ...(ref.buyerRemark ? { buyerRemark: ref.buyerRemark } : {}),
      paidAt: ref.paidAt ?? null,
    }));
    await createWave({ waveId, warehouse, parcels, orders });
    await dispatchWave({ waveId, warehouse, parcels, entries: batch });
    lastWaveId = waveId;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof waveWorkflow>({ warehouse, seq, pending });
}

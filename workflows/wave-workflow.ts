import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  waveCandidateSignal,
  waveFlushSignal,
  waveOrderWithdrawnSignal,
  waveStateQuery,
  type WaveWorkflowInput,
} from './messages.js';
import { historyFull } from './history.js';

const retry = { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 } as const;
// Forming a wave and releasing it to the WMS are single transactions or calls per parcel: bounded
// by a generous deadline, and heartbeating while they run, so an attempt lost with its worker is
// retried within half a minute instead of at that deadline (every order of the wave waited for it).
// Dispatch starts one shipment per parcel and heartbeats as it goes.
const { loadWavePolicy, formWave, createWave } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});
const { dispatchWave } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});

/** Continue-as-new after this many waves so the history stays short. */
const WAVES_PER_RUN = 50;
/** Before it, only the wave count (and the server's suggestion) ended a run. */
const HISTORY_LIMIT_PATCH = 'wave-history-limit';

/**
 * One per warehouse (`wave:{warehouse}`): collects orders ready to ship for the merge window or
 * until the size cap, then forms parcels (merging what may merge, splitting by handling and
 * carrier limits), creates the pick list and pack tasks, starts a shipment per parcel and tells
 * each order which parcels carry it. An urgent order (livestream, flagged) flushes at once.
 *
 * It holds only references to its orders; their entries, and the parcels a wave forms, live in the
 * database (the activities read them by wave id), so no payload grows with the wave's size.
 */
export async function waveWorkflow(input: WaveWorkflowInput): Promise<void> {
  const { warehouse } = input;
  let pending = [...input.pending];
  let seq = input.seq;
  let formed = 0;
  let lastWaveId: string | null = null;
  let nextFlushAt: string | null = null;
  // A person asked for the wave now (a truck came early, a livestream's first orders must leave).
  let flushAsked = false;

  setHandler(waveCandidateSignal, (candidate) => {
    const duplicate = pending.some((p) => p.orderId === candidate.orderId && p.joinKey === candidate.joinKey);
    if (!duplicate) pending.push(candidate);
  });
  setHandler(waveFlushSignal, () => void (flushAsked = pending.length > 0));
  setHandler(waveOrderWithdrawnSignal, ({ orderId }) => {
    pending = pending.filter((p) => p.orderId !== orderId);
  });
  setHandler(waveStateQuery, () => ({
    warehouse,
    pending: pending.map((p) => ({ orderId: p.orderId, urgent: p.urgent, readyAt: p.readyAt })),
    nextFlushAt,
    wavesFormed: seq,
    lastWaveId,
  }));

  const policy = await loadWavePolicy({ warehouse });
  // Runs recorded before it continued as new by wave count only: their replay must too.
  const bounded = patched(HISTORY_LIMIT_PATCH);
  const full = () => (bounded ? historyFull(policy.historyLimit) : workflowInfo().continueAsNewSuggested);
  while (formed < WAVES_PER_RUN && !full()) {
    await condition(() => pending.length > 0);
    const oldest = Math.min(...pending.map((p) => Date.parse(p.readyAt)));
    const flushAtMs = oldest + policy.windowSeconds * 1000;
    nextFlushAt = new Date(flushAtMs).toISOString();
    await condition(
      () =>
        pending.length === 0 ||
        flushAsked ||
        pending.some((p) => p.urgent) ||
        pending.length >= policy.sizeCap,
      Math.max(0, flushAtMs - Date.now()),
    );
    nextFlushAt = null;
    flushAsked = false;
    if (pending.length === 0) continue;

    const batch = pending.slice(0, policy.sizeCap);
    pending = pending.slice(policy.sizeCap);
    seq += 1;
    formed += 1;
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const waveId = `${warehouse}-${stamp}-${seq}`;
    const wave = await formWave({
      waveId,
      warehouse,
      candidates: batch.map(({ orderId, joinKey }) => ({ orderId, joinKey })),
      carrierLimits: policy.carrierLimits,
      merge: policy.merge,
    });
    // Every order of the batch withdrew meanwhile: nothing to release.
    if (wave.parcels === 0) continue;
    await createWave({ waveId, warehouse });
    await dispatchWave({ waveId, warehouse });
    lastWaveId = waveId;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof waveWorkflow>({ warehouse, seq, pending });
}

import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { TEST_DATA_KEYS } from '../support/data-keys.js';
import { decidedHistory, recordHistory } from '../support/histories.js';
import { orderPush } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { taobaoOrderDesk, type OrderDesk } from '../support/order-desk.js';
import { waitForStage } from '../support/waits.js';

// An order whose platform sent newer snapshots (a changed address, a seller memo) before its
// workflow first ran has several coroutines wanting local activities at once: the snapshot handler
// storing what arrived, the capture, the follower of address changes, the audit. Run together,
// their results can reach the workflow grouped one way live and another on replay, and the replay
// then schedules different activities than the ones recorded (workflows/local-activities.ts).
// One at a time, each result comes back alone: the markers follow the order they were scheduled
// in, and the history replays.

let h: Harness;
let push: OrderDesk['push'];

beforeAll(async () => {
  h = await createHarness();
  ({ push } = await taobaoOrderDesk(h));
});
afterAll(() => h.teardown());

/** The sequence numbers of the run's local activity markers, in the order the history holds them. */
function localActivitySeqs(events: NonNullable<Awaited<ReturnType<typeof fetchHistory>>['events']>) {
  return events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details!.data!.payloads![0]!.data!;
      const marker = JSON.parse(Buffer.from(data).toString('utf8')) as { seq: number; activity_type: string };
      return { seq: marker.seq, type: marker.activity_type };
    });
}

function fetchHistory(workflowId: string) {
  return h.client.workflow.getHandle(workflowId).fetchHistory();
}

it('runs an order’s local activities one at a time, so its history replays however their results were grouped', async () => {
  const order = orderPush();
  const modified = (ms: number) => new Date(Date.parse(order.modifiedAt) + ms).toISOString();
  // Everything arrives before a worker runs: the first workflow task starts with all three.
  const id = await push(order);
  await push({ ...order, sellerMemo: '加急', modifiedAt: modified(60_000) });
  await push({
    ...order,
    sellerMemo: '加急，改地址',
    receiver: { ...order.receiver, detail: '文一西路969号' },
    modifiedAt: modified(120_000),
  });
  await h.startWorker();
  await waitForStage(h.db, id, 'allocated');
  await waitForStage(h.db, id, 'address_changed');

  // The markers are recorded when the workflow task that ran them completes.
  const recorded = async () => localActivitySeqs((await fetchHistory(id)).events ?? []).map((m) => m.type);
  await expect
    .poll(recorded)
    .toEqual(expect.arrayContaining(['captureOrder', 'recordOrderSnapshot', 'auditOrder', 'allocateOrder']));
  await recordHistory(h.client, id, 'order-local-activities-in-line');
  const history = await fetchHistory(id);
  const markers = localActivitySeqs(history.events ?? []);
  // Each marker is recorded as its activity finishes: in scheduling order only when none overlapped.
  const seqs = markers.map((m) => m.seq);
  expect(seqs, JSON.stringify(markers)).toEqual([...seqs].sort((a, b) => a - b));

  const replay = Worker.runReplayHistory(
    {
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: temporalDataConverter({ ...TEST_DATA_KEYS, DATA_DIR: '.data', NODE_ENV: 'test' }),
    },
    decidedHistory(history),
    id,
  );
  await expect(replay).resolves.toBeUndefined();
});

import { writeFile } from 'node:fs/promises';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { OrderPush } from '../../domain/order.js';
import { createActivities } from '../../activities/index.js';
import { temporalDataConverter, workerDataConverter } from '../../services/temporal/payload-codec.js';
import { buildExternalServices } from '../../worker/services.js';
import { stateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { TEST_DATA_KEYS } from '../support/data-keys.js';
import { orderPush } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { decidedHistory, recordHistory } from '../support/histories.js';
import { taobaoOrderDesk, type OrderDesk } from '../support/order-desk.js';
import { PATIENCE_MS, timelineStages, waitForStage } from '../support/waits.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * A workflow task answering a query while a local activity's result is on its way is completed
 * with the activity's marker, and the result is handed to the workflow in the next task — after
 * the signals and Updates that came in meanwhile (sdk-core orders them first). On replay the
 * result comes back in the task that recorded its marker, before them. An order's signal handlers
 * therefore act only once no local activity is running or waiting, and it refuses an Update until
 * then (the API sends it again): its history replays (workflows/local-activities.ts).
 *
 * The test makes that moment happen on the dev server: the order's capture (its first local
 * activity) is held, a query is sent (the server hands it to the worker with the task that follows
 * the first task's heartbeat), the query's answer is held on its way out of the worker while a
 * newer snapshot or a person's lock arrives and the capture finishes, and only then is the answer
 * let go.
 */
let h: Harness;
let desk: OrderDesk;
let worker: Worker;
let running: Promise<void>;
let connection: NativeConnection;

/** A promise with its resolver. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** What the test holds and watches in the worker, for the scenario running now. */
interface Held {
  /** Opened to let the capture run. */
  capture: ReturnType<typeof gate>;
  captureStarted: ReturnType<typeof gate>;
  captureReturned: ReturnType<typeof gate>;
  /** Set while answers to state queries are held. */
  answers: null | { reached: ReturnType<typeof gate>; release: ReturnType<typeof gate> };
  /** The capture's result went through the codec on its way to sdk-core. */
  resultEncoded: ReturnType<typeof gate>;
  captureDone: boolean;
}

function holdNext(): Held {
  return {
    capture: gate(),
    captureStarted: gate(),
    captureReturned: gate(),
    answers: null,
    resultEncoded: gate(),
    captureDone: false,
  };
}
let held = holdNext();

const text = (p: Payload) => (p.data ? Buffer.from(p.data).toString('utf8') : '');

/**
 * First on encode (codecs encode first-last, decode last-first): sees the payloads as JSON, holds
 * a state query's answer while `held.answers` is set and notes the capture's result passing.
 */
const watching: PayloadCodec = {
  async encode(payloads) {
    const answers = held.answers;
    if (answers && payloads.some((p) => text(p).includes('"waitingFor"'))) {
      answers.reached.open();
      await answers.release.promise;
    } else if (held.captureDone && payloads.length > 0) {
      held.resultEncoded.open();
    }
    return payloads;
  },
  async decode(payloads) {
    return payloads;
  },
};

beforeAll(async () => {
  h = await createHarness();
  desk = await taobaoOrderDesk(h);
  const activities = createActivities({
    db: h.db,
    config: h.config,
    client: h.client,
    ...buildExternalServices(h.db, h.config),
  });
  const converter = workerDataConverter(h.config);
  connection = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
  worker = await Worker.create({
    connection,
    namespace: h.config.TEMPORAL_NAMESPACE,
    taskQueue: h.config.TASK_QUEUE_ORDERS,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: { ...converter, payloadCodecs: [watching, ...(converter.payloadCodecs ?? [])] },
    activities: {
      ...activities,
      async captureOrder(input: Parameters<typeof activities.captureOrder>[0]) {
        const now = held;
        now.captureStarted.open();
        await now.capture.promise;
        const policy = await activities.captureOrder(input);
        now.captureDone = true;
        now.captureReturned.open();
        return policy;
      },
    },
    stickyQueueScheduleToStartTimeout: `${h.config.STICKY_TIMEOUT_SECONDS} seconds`,
  });
  running = worker.run();
});
afterAll(async () => {
  held.capture.open();
  held.answers?.release.open();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await connection?.close();
  await h?.teardown();
});

const id = (v: unknown): number => Number(String(v));

/** The workflow task that recorded the capture's marker, and what came in before the next task started. */
function afterTheCapture(events: HistoryEvent[]) {
  const markers = events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const data = JSON.parse(text(marker.details!.data!.payloads![0]!)) as { activity_type: string };
    return [{ type: data.activity_type, task: id(marker.workflowTaskCompletedEventId) }];
  });
  const task = markers.find((m) => m.type === 'captureOrder')?.task;
  if (task === undefined) return { task, markers, arrivedBetween: [] };
  const completedAt = events.findIndex((e) => id(e.eventId) === task);
  const nextStarted = events.findIndex((e, i) => i > completedAt && e.workflowTaskStartedEventAttributes);
  return {
    task,
    markers,
    arrivedBetween: events
      .slice(completedAt + 1, nextStarted)
      .filter((e) => e.workflowExecutionSignaledEventAttributes)
      .map((e) => e.workflowExecutionSignaledEventAttributes!.signalName),
  };
}

/**
 * Places an order and, while its capture runs, makes a workflow task answer a query with the
 * capture's result on its way; `send` delivers the input meanwhile. Resolves once the held answer
 * was let go, with what `send` returned (not awaited before: an Update is answered only later).
 */
async function inputWhileCaptureResultOnItsWay<T>(
  order: OrderPush,
  send: (orderId: string) => { sent: Promise<unknown>; outcome: Promise<T> },
): Promise<{ orderId: string; outcome: Promise<T> }> {
  held = holdNext();
  const now = held;
  const orderId = await desk.push(order);
  await now.captureStarted.promise;
  // A query now waits at the server for the task after this one, which the first task's heartbeat
  // (at 80% of its timeout) starts; its answer is held on its way out of the worker.
  const answers = { reached: gate(), release: gate() };
  now.answers = answers;
  const query = h.client.workflow
    .getHandle(orderId)
    .query(stateQuery)
    .catch(() => undefined);
  await answers.reached.promise;
  // The input comes in while that task is being answered.
  const { sent, outcome } = send(orderId);
  await sent;
  // The capture finishes, and its result reaches sdk-core while the query's answer is still held.
  now.capture.open();
  await now.captureReturned.promise;
  await now.resultEncoded.promise;
  // From the codec to sdk-core is a hand-over inside the worker process: a moment is plenty.
  await new Promise((r) => setTimeout(r, 1_000));
  now.answers = null;
  answers.release.open();
  await query;
  return { orderId, outcome };
}

/** Why the workflow's tasks failed live, if any did. */
const failedTasks = (events: HistoryEvent[]) =>
  events.flatMap((e) =>
    e.workflowTaskFailedEventAttributes ? [e.workflowTaskFailedEventAttributes.failure?.message ?? '?'] : [],
  );

function replayed(orderId: string, history: temporal.api.history.v1.IHistory) {
  return Worker.runReplayHistory(
    {
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: temporalDataConverter({ ...TEST_DATA_KEYS, DATA_DIR: '.data', NODE_ENV: 'test' }),
    },
    history,
    orderId,
  );
}

const sellerMemo = (db: Harness['db'], orderId: string) =>
  db
    .selectFrom('orders')
    .select('seller_memo')
    .where('id', '=', orderId)
    .executeTakeFirst()
    .then((row) => row?.seller_memo);

it('replays an order whose newer snapshot came in while its capture’s result was on its way', async () => {
  const order = orderPush();
  const memo = '发顺丰，别放快递柜';
  const newer = {
    ...order,
    sellerMemo: memo,
    modifiedAt: new Date(Date.parse(order.modifiedAt) + 60_000).toISOString(),
  };
  const { orderId } = await inputWhileCaptureResultOnItsWay(order, () => {
    const sent = desk.push(newer);
    return { sent, outcome: sent };
  });

  await waitForStage(h.db, orderId, 'allocated');
  await expect.poll(() => sellerMemo(h.db, orderId), { timeout: PATIENCE_MS }).toBe(memo);
  await recordHistory(h.client, orderId, 'order-snapshot-after-cut-short');
  const fetched = await h.client.workflow.getHandle(orderId).fetchHistory();
  // Live, no workflow task failed (evicted and replayed, a worker fails it every time from then on).
  expect(failedTasks(fetched.events ?? [])).toEqual([]);
  const history = decidedHistory(fetched);

  // The moment happened: the capture's marker was recorded by the task that answered the query,
  // and the snapshot came in after it, handed to the workflow with the capture's result.
  const cut = afterTheCapture(history.events ?? []);
  await writeFile('tests/.tmp/snapshot-after-cut-short.json', historyToJSON(history)).catch(() => undefined);
  expect(cut.task, JSON.stringify(cut)).toBeDefined();
  expect(cut.arrivedBetween, JSON.stringify(cut)).toContain('orderSnapshot');

  await expect(replayed(orderId, history)).resolves.toBeUndefined();
  // What a person expects: the order went on as usual, with the memo the seller wrote.
  const stages = await timelineStages(h.db, orderId);
  expect(stages[0]).toBe('captured');
  expect(stages).toEqual(expect.arrayContaining(['payment_confirmed', 'audit_passed', 'allocated']));
});

it('replays an order locked by a person while its capture’s result was on its way', async () => {
  const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
  const { orderId, outcome } = await inputWhileCaptureResultOnItsWay(orderPush(), (id) => {
    const answer = desk.api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(id)}/lock`,
      headers: cs,
      payload: { reason: '买家来电要求暂缓' },
    });
    // The Update reaches the server as the request is sent; nothing of it can be read until the
    // workflow takes it, which is what is being held.
    return { sent: new Promise((r) => setTimeout(r, 2_000)), outcome: answer };
  });
  const answer = await outcome;
  expect(answer.statusCode, answer.body).toBe(200);

  await waitForStage(h.db, orderId, 'locked');
  await recordHistory(h.client, orderId, 'order-locked-after-cut-short');
  const fetched = await h.client.workflow.getHandle(orderId).fetchHistory();
  expect(failedTasks(fetched.events ?? [])).toEqual([]);
  const history = decidedHistory(fetched);
  await writeFile('tests/.tmp/locked-after-cut-short.json', historyToJSON(history)).catch(() => undefined);
  // The capture's marker was recorded by the task that answered the query (the refused Update
  // left nothing in the history).
  const cut = afterTheCapture(history.events ?? []);
  expect(cut.task, JSON.stringify(cut)).toBeDefined();
  await expect(replayed(orderId, history)).resolves.toBeUndefined();
  // What a person expects: the lock answered and applied once.
  const state = await h.client.workflow.getHandle(orderId).query(stateQuery);
  expect(state.locked).toBe(true);
  expect((await timelineStages(h.db, orderId)).filter((s) => s === 'locked')).toHaveLength(1);
});

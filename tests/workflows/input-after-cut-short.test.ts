import { writeFile } from 'node:fs/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OrderPush } from '../../domain/order.js';
import { stateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import {
  afterTheLocalActivity,
  CutShort,
  failedTasks,
  replayed,
  runWorkers,
  workerActivities,
} from '../support/cut-short.js';
import { orderPush } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { decidedHistory, recordHistory } from '../support/histories.js';
import { taobaoOrderDesk, type OrderDesk } from '../support/order-desk.js';
import { PATIENCE_MS, timelineStages, waitForStage } from '../support/waits.js';

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
let workers: { stop(): Promise<void> };
/** The order's capture (its first local activity) held, and its state query's answers. */
const cut = new CutShort('"waitingFor"');

beforeAll(async () => {
  await cut.watchSdkCore();
  h = await createHarness();
  desk = await taobaoOrderDesk(h);
  const activities = workerActivities(h);
  workers = await runWorkers(h, [
    {
      taskQueue: h.config.TASK_QUEUE_ORDERS,
      activities: { ...activities, captureOrder: cut.hold('capture', activities.captureOrder, 'before') },
      codec: cut.codec,
    },
  ]);
});
afterAll(async () => {
  cut.releaseAll();
  await workers?.stop();
  await h?.teardown();
});

/**
 * Places an order and, while its capture runs, makes a workflow task answer a query with the
 * capture's result on its way; `send` delivers the input meanwhile.
 */
function inputWhileCaptureResultOnItsWay<T>(
  order: OrderPush,
  send: (orderId: string) => { sent: Promise<unknown>; outcome: Promise<T> },
) {
  return cut.inputWhileResultOnItsWay(
    'capture',
    () => desk.push(order),
    (orderId) => h.client.workflow.getHandle(orderId).query(stateQuery),
    send,
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
  const { workflowId: orderId } = await inputWhileCaptureResultOnItsWay(order, () => {
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
  const cutAt = afterTheLocalActivity(history.events ?? [], 'captureOrder');
  await writeFile('tests/.tmp/snapshot-after-cut-short.json', historyToJSON(history)).catch(() => undefined);
  expect(cutAt.task, JSON.stringify(cutAt)).toBeDefined();
  expect(cutAt.arrivedBetween, JSON.stringify(cutAt)).toContain('orderSnapshot');

  await expect(replayed(orderId, history)).resolves.toBeUndefined();
  // What a person expects: the order went on as usual, with the memo the seller wrote.
  const stages = await timelineStages(h.db, orderId);
  expect(stages[0]).toBe('captured');
  expect(stages).toEqual(expect.arrayContaining(['payment_confirmed', 'audit_passed', 'allocated']));
});

it('replays an order locked by a person while its capture’s result was on its way', async () => {
  const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
  const { workflowId: orderId, outcome } = await inputWhileCaptureResultOnItsWay(orderPush(), (id) => {
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
  const cutAt = afterTheLocalActivity(history.events ?? [], 'captureOrder');
  expect(cutAt.task, JSON.stringify(cutAt)).toBeDefined();
  await expect(replayed(orderId, history)).resolves.toBeUndefined();
  // What a person expects: the lock answered and applied once.
  const state = await h.client.workflow.getHandle(orderId).query(stateQuery);
  expect(state.locked).toBe(true);
  expect((await timelineStages(h.db, orderId)).filter((s) => s === 'locked')).toHaveLength(1);
});

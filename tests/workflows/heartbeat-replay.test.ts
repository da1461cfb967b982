import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { cutAfterEachLocalActivity, localActivityMarkers, replayFailures } from '../support/cut-tasks.js';
import { createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { decidedHistory, HISTORIES_DIR, recordHistory } from '../support/histories.js';
import { submitOrder } from '../support/intake.js';
import { PATIENCE_MS, waitForOrderStatus } from '../support/waits.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * An order's first workflow task runs its stages one local activity after another (capture, audit,
 * the audit's write, allocation, the wave join). On a loaded machine that task outlives most of its
 * timeout and is cut short (its heartbeat): what ran so far is completed as one task and the rest
 * goes on in the next, at whichever local activity it had reached. Wherever that cut falls, the
 * order must replay — on another worker, or once evicted from the cache — or its workflow fails
 * every task from then on (TMPRL1100) and it is stuck: no live state, every decision 处理中. Before,
 * a cut between the audit's write and the split-hold patch's marker made such an order unreplayable
 * (seen in a loaded run of tests/ui/busy-parcels.test.ts).
 */
let h: Harness;
let shopId: string;
let ops: { authorization: string };

beforeAll(async () => {
  // The wave waits for a person: the orders here stay in it until they are cancelled.
  h = await createHarness({ WAVE_WINDOW_SECONDS: '3600' });
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'taobao');
  ops = bearer(await apiKeyFor(h.db, ['ops'])) as { authorization: string };
  await h.startWorker();
});
afterAll(async () => {
  await h?.teardown();
});

/** Places the order and waits until it is in its wave, its first task's stages written. */
async function orderInItsWave(push: OrderPush): Promise<string> {
  const api = await h.api();
  const res = await submitOrder(api, { platform: 'taobao', shopId, order: push }, ops);
  expect(res.statusCode, res.body).toBe(202);
  const orderId = orderWorkflowId('taobao', shopId, push.platformOrderId);
  await waitForOrderStatus(h.db, orderId, 'awaiting_wave');
  // Its stages are written while its first task runs: the history is read once that task completed.
  const handle = h.client.workflow.getHandle(orderId);
  await expect
    .poll(async () => localActivityMarkers((await handle.fetchHistory()).events ?? []).length, {
      timeout: PATIENCE_MS,
    })
    .toBeGreaterThanOrEqual(5);
  return orderId;
}

it('replays an order whose workflow task was cut short after any of its local activities', async () => {
  const orderId = await orderInItsWave(orderPush());
  await recordHistory(h.client, orderId, 'order-patches-asked-at-start');
  const history = decidedHistory(await h.client.workflow.getHandle(orderId).fetchHistory());
  await writeFile('tests/.tmp/heartbeat-replay-history.json', historyToJSON(history)).catch(() => undefined);
  const events = history.events ?? [];
  // Capture, audit, the audit's write, allocation, the wave join.
  const localActivities = localActivityMarkers(events);
  expect(localActivities.length).toBeGreaterThanOrEqual(5);
  const cuts = cutAfterEachLocalActivity(events);
  expect(await replayFailures(cuts)).toEqual({ replayed: cuts.length, failed: [] });
});

it('finds local activities only in orders and shipments: no other workflow has a task to cut between one and a patch', async () => {
  // After-sales cases, waves, shop and stock syncs and stock arrivals run ordinary activities only:
  // a task of theirs is never cut short while a local activity runs, so the patches they ask where
  // they stand stay in the task that asks them. A local activity added to one of them needs its
  // later patches asked at its start (workflows/patches-at-start.ts), as the order's and the
  // shipment's are.
  const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json'));
  const withLocalActivities = new Set<string>();
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')));
    const events = (history.events ?? []) as HistoryEvent[];
    const type = events[0]!.workflowExecutionStartedEventAttributes!.workflowType!.name!;
    if (localActivityMarkers(events).length > 0) withLocalActivities.add(type);
  }
  expect([...withLocalActivities].sort()).toEqual(['orderWorkflow', 'shipmentWorkflow']);
  expect(files.some((f) => f.startsWith('aftersale-'))).toBe(true);
});

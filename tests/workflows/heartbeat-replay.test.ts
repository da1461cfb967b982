import { writeFile } from 'node:fs/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { TEST_DATA_KEYS } from '../support/data-keys.js';
import { createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { submitOrder } from '../support/intake.js';
import { PATIENCE_MS, waitForOrderStatus } from '../support/waits.js';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = (await import('@temporalio/proto')).temporal.api.enums.v1;

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

beforeAll(async () => {
  h = await createHarness();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  await h.startWorker();
});
afterAll(async () => {
  await h?.teardown();
});

const is = (e: HistoryEvent, type: keyof typeof EventType) => e.eventType === EventType[type];

/** The history up to the end of its first workflow task's commands (nothing after refers back). */
function firstTask(events: HistoryEvent[]): HistoryEvent[] {
  const completed = events.findIndex((e) => is(e, 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED'));
  const end = events.findIndex(
    (e, i) =>
      i > completed &&
      (is(e, 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED') || is(e, 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED')),
  );
  return events.slice(0, end < 0 ? events.length : end);
}

/** The same history with its first task cut after event `index`: a task completed there, the next one started. */
function cutAfter(events: HistoryEvent[], index: number): HistoryEvent[] {
  const at = events[index]!.eventTime;
  // The task cut short completed as the first one did (the same SDK flags).
  const completedBefore = events.find(
    (e) => e.workflowTaskCompletedEventAttributes,
  )!.workflowTaskCompletedEventAttributes!;
  const task = (type: keyof typeof EventType, attributes: Partial<HistoryEvent>): HistoryEvent => ({
    eventType: EventType[type],
    eventTime: at,
    ...attributes,
  });
  const cut = [
    ...events.slice(0, index + 1),
    task('EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', {
      workflowTaskScheduledEventAttributes: { taskQueue: { name: 'replay' }, attempt: 1 },
    }),
    task('EVENT_TYPE_WORKFLOW_TASK_STARTED', { workflowTaskStartedEventAttributes: {} }),
    task('EVENT_TYPE_WORKFLOW_TASK_COMPLETED', { workflowTaskCompletedEventAttributes: {} }),
    ...events.slice(index + 1),
  ];
  // Numbered again, each task's events pointing at the one before; the rest of their attributes
  // kept (a completed task's SDK flags say how it ran). Plain numbers, as the decoder takes them.
  const numbered = cut.map((e, i) => {
    const eventId = i + 1;
    if (e.workflowTaskStartedEventAttributes)
      return {
        ...e,
        eventId,
        workflowTaskStartedEventAttributes: {
          ...e.workflowTaskStartedEventAttributes,
          scheduledEventId: eventId - 1,
        },
      };
    if (e.workflowTaskCompletedEventAttributes)
      return {
        ...e,
        eventId,
        workflowTaskCompletedEventAttributes: {
          ...completedBefore,
          ...e.workflowTaskCompletedEventAttributes,
          scheduledEventId: eventId - 2,
          startedEventId: eventId - 1,
        },
      };
    return { ...e, eventId };
  });
  return numbered as unknown as HistoryEvent[];
}

/** An order placed and allocated: its history (recorded as order-patches-asked-at-start). */
async function allocatedOrderHistory(): Promise<History> {
  const shopId = await createShop(h.db, 'taobao');
  const ops = bearer(await apiKeyFor(h.db, ['ops'])) as { authorization: string };
  const api = await h.api();
  const push = orderPush();
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
  await recordHistory(h.client, orderId, 'order-patches-asked-at-start');
  const history = await handle.fetchHistory();
  await writeFile('tests/.tmp/heartbeat-replay-history.json', historyToJSON(history)).catch(() => undefined);
  return history;
}

/** Where the local activities' markers are. */
const localActivityMarkers = (events: HistoryEvent[]) =>
  events.flatMap((e, i) =>
    e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? [i] : [],
  );

it('replays an order whose first workflow task was cut short after any of its local activities', async () => {
  const history = await allocatedOrderHistory();
  const events = firstTask(history.events ?? []);
  const localActivities = localActivityMarkers(events);
  // Capture, audit, the audit's write, allocation, the wave join.
  expect(localActivities.length).toBeGreaterThanOrEqual(4);
  const cuts = [
    { workflowId: 'uncut', history: { events } },
    ...localActivities.map((i) => ({
      workflowId: `cut-after-event-${i + 1}`,
      history: { events: cutAfter(events, i) },
    })),
  ];
  const results = Worker.runReplayHistories(
    {
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: temporalDataConverter({ ...TEST_DATA_KEYS, DATA_DIR: '.data', NODE_ENV: 'test' }),
    },
    cuts,
  );
  const replayed: string[] = [];
  for await (const result of results) {
    expect(result.error, `${result.workflowId}: ${result.error?.message}`).toBeUndefined();
    replayed.push(result.workflowId);
  }
  expect(replayed).toHaveLength(cuts.length);
});

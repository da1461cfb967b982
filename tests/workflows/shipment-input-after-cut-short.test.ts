import { afterAll, beforeAll, expect, it } from 'vitest';
import { shipmentTaskQueue, waveTaskQueue } from '../../config/index.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { loadLabel } from '../../db/queries/labels.js';
import { shipmentStateQuery, type ShipmentStateView } from '../../workflows/messages.js';
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
import {
  packParcel,
  setupCarrierAccounts,
  shipmentStages,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { decidedHistory, recordHistory } from '../support/histories.js';
import { taobaoOrderDesk, type OrderDesk } from '../support/order-desk.js';
import { waitForShipmentState, waitForState } from '../support/waits.js';

/**
 * The shipment's side of tests/workflows/input-after-cut-short.test.ts: a workflow task answering a
 * query while a local activity's result is on its way is completed with the activity's marker, and
 * the result reaches the workflow in the next task, after the signals that came in meanwhile; on
 * replay it comes back a task earlier, before them. The shipment's handlers act only once no local
 * activity is running or waiting (workflows/local-activities.ts), so its history replays.
 *
 * The moment is made on the dev server (tests/support/cut-short.ts): a local activity of the
 * shipment ran and its result is held; a state query is sent (the server hands it to the worker
 * with the task that follows the first task's heartbeat) and its answer held on its way out of the
 * worker, while what comes in at that moment in a warehouse arrives; only then is the answer let
 * go. At the shipment's start (`startShipment`: its created event, what the warehouse confirmed so
 * far, its policy), the crew's pick confirmation or customer service locking the order; as its
 * carrier is chosen (the `carrier_selected` event's write), the buyer moving the delivery.
 */
let h: Harness;
let desk: OrderDesk;
let carriers: CarrierSandboxServer;
let workers: { stop(): Promise<void> };
let wh: { authorization: string };
let cs: { authorization: string };
/** The shipment's start or its carrier's write held with its result, and its state query's answers. */
const cut = new CutShort('"lockedOrders"');

beforeAll(async () => {
  await cut.watchSdkCore();
  carriers = await startCarrierSandbox();
  // The wave closes a second after the order joins it: the shipment starts by itself.
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1' });
  desk = await taobaoOrderDesk(h);
  await setupCarrierAccounts(h.db, desk.shopId);
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  cs = bearer(await apiKeyFor(h.db, ['customer-service']));
  // The worker's three task queues (worker/create-worker.ts); the shipments' holds what is cut.
  const activities = workerActivities(h);
  workers = await runWorkers(h, [
    { taskQueue: h.config.TASK_QUEUE_ORDERS, activities },
    { taskQueue: waveTaskQueue(h.config), activities },
    {
      taskQueue: shipmentTaskQueue(h.config),
      activities: {
        ...activities,
        startShipment: cut.hold('start', activities.startShipment, 'after'),
        recordShipmentEvent: cut.hold(
          'carrier',
          activities.recordShipmentEvent,
          'after',
          (event) => event.stage === 'carrier_selected',
        ),
      },
      codec: cut.codec,
    },
  ]);
});
afterAll(async () => {
  cut.releaseAll();
  await workers?.stop();
  await h?.teardown();
  await carriers?.close();
});

/**
 * Places an order and, once `reach` brought its shipment to the activity `holding` names and that
 * activity ran, makes a workflow task answer a query with its result on its way; `send` delivers
 * the input meanwhile. Resolves with the order's and the parcel's ids.
 */
async function inputWhileResultOnItsWay(
  holding: 'start' | 'carrier',
  send: (ids: { orderId: string; parcelId: string }) => Promise<unknown>,
  reach: (parcelId: string) => Promise<unknown> = async () => {},
  order = orderPush(),
) {
  const orderId = await desk.push(order);
  let parcelId = '';
  await cut.inputWhileResultOnItsWay(
    holding,
    async () => {
      const state = await waitForState(h.client, orderId, (s) => s.parcels.length === 1);
      parcelId = state.parcels[0]!.parcelId;
      await reach(parcelId);
      return `shipment:${parcelId}`;
    },
    (workflowId) => h.client.workflow.getHandle(workflowId).query(shipmentStateQuery),
    () => {
      const sent = send({ orderId, parcelId });
      return { sent, outcome: sent };
    },
  );
  return { orderId, parcelId };
}

async function waveOf(parcelId: string): Promise<string> {
  const row = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  return row.wave_id;
}

const shipmentState = (parcelId: string, predicate: (s: ShipmentStateView) => boolean) =>
  waitForShipmentState(h.client, parcelId, predicate);

/**
 * The order told its parcel (`signal`): the shipment's signal was accepted by the server (read in
 * the order's history; the shipment's own shows it only once the held task completes).
 */
async function orderToldParcel(orderId: string, signal: string): Promise<void> {
  await expect
    .poll(async () => {
      const events = (await h.client.workflow.getHandle(orderId).fetchHistory()).events ?? [];
      const initiated = new Set(
        events
          .filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === signal)
          .map((e) => String(e.eventId)),
      );
      return events.some(
        (e) =>
          e.externalWorkflowExecutionSignaledEventAttributes &&
          initiated.has(String(e.externalWorkflowExecutionSignaledEventAttributes.initiatedEventId)),
      );
    })
    .toBe(true);
}

/** Checks the moment happened on the parcel's shipment and that its history replays. */
async function cutAndReplayed(
  parcelId: string,
  activityType: string,
  signal: string,
  scenario: string,
): Promise<void> {
  const workflowId = `shipment:${parcelId}`;
  await recordHistory(h.client, workflowId, scenario);
  const fetched = await h.client.workflow.getHandle(workflowId).fetchHistory();
  // Live, no workflow task failed (evicted and replayed, a worker fails it every time from then on).
  expect(failedTasks(fetched.events ?? [])).toEqual([]);
  const history = decidedHistory(fetched);
  // The moment happened: the held activity's marker was recorded by the task that answered the
  // query, and the input came in after it, handed to the workflow with the activity's result.
  const cutAt = afterTheLocalActivity(history.events ?? [], activityType, signal);
  expect(cutAt.task, JSON.stringify(cutAt)).toBeDefined();
  expect(cutAt.arrivedBetween, JSON.stringify(cutAt)).toContain(signal);
  await expect(replayed(workflowId, history)).resolves.toBeUndefined();
}

const times = (stages: string[], stage: string) => stages.filter((s) => s === stage).length;

it('replays a shipment whose pick the crew confirmed while its start’s result was on its way', async () => {
  // The pick list shows as the wave is dispatched: the crew confirms its line at once.
  const { parcelId } = await inputWhileResultOnItsWay('start', async ({ parcelId }) =>
    workWave(desk.api, wh, await waveOf(parcelId)),
  );
  await shipmentState(parcelId, (s) => s.stage === 'picked');
  await packParcel(desk.api, wh, parcelId);
  const labelled = await shipmentState(parcelId, (s) => s.stage === 'labelled');

  await cutAndReplayed(parcelId, 'startShipment', 'wmsEvent', 'shipment-picked-after-cut-short');
  // What a person expects: the parcel picked once, then packed and labelled as usual.
  expect(labelled.trackingNumber).not.toBeNull();
  const stages = await shipmentStages(h.db, parcelId);
  expect(stages.slice(0, 3)).toEqual(['created', 'picked', 'packed']);
  for (const stage of ['picked', 'packed', 'labelled']) expect(times(stages, stage), stage).toBe(1);
});

it('replays a shipment whose order was locked while its start’s result was on its way', async () => {
  const reason = '买家来电要求暂缓发货';
  const { orderId, parcelId } = await inputWhileResultOnItsWay('start', async ({ orderId }) => {
    const answer = await desk.api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(orderId)}/lock`,
      headers: cs,
      payload: { reason },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    await orderToldParcel(orderId, 'orderLock');
  });
  await shipmentState(parcelId, (s) => s.lockedOrders.some((l) => l.orderId === orderId));
  // The crew works the parcel: it is packed and waits at the bench, with no waybill.
  await workWave(desk.api, wh, await waveOf(parcelId));
  await packParcel(desk.api, wh, parcelId);
  const held = await shipmentState(parcelId, (s) => s.waitingFor?.startsWith('unlock') ?? false);

  await cutAndReplayed(parcelId, 'startShipment', 'orderLock', 'shipment-locked-after-cut-short');
  // What a person expects: held for the lock once, before any carrier or waybill.
  expect(held).toMatchObject({ stage: 'packed', carrier: null, trackingNumber: null });
  expect(held.waitingFor).toContain(reason);
  const stages = await shipmentStages(h.db, parcelId);
  expect(times(stages, 'held_for_lock')).toBe(1);
  expect(stages).not.toContain('carrier_selected');
});

it('replays a shipment whose buyer moved the delivery while its carrier choice’s result was on its way', async () => {
  const order = orderPush();
  const moved = {
    ...order,
    receiver: { ...order.receiver, district: '拱墅区', detail: '湖墅南路88号' },
    modifiedAt: new Date(Date.parse(order.modifiedAt) + 60_000).toISOString(),
  };
  const { parcelId } = await inputWhileResultOnItsWay(
    'carrier',
    async ({ orderId }) => {
      // The buyer changes the address on the platform; the order tells its parcel.
      await desk.push(moved);
      await orderToldParcel(orderId, 'receiverChanged');
    },
    // The crew picks and packs the parcel: its carrier is chosen next.
    async (parcelId) => {
      await waitForShipments(h.db, [parcelId]);
      await workWave(desk.api, wh, await waveOf(parcelId));
      await packParcel(desk.api, wh, parcelId);
    },
    order,
  );
  const ring = dataKeyring(h.config);
  const newAddress = async () => JSON.stringify((await loadLabel(h.db, ring, parcelId))?.label ?? null);
  await expect.poll(newAddress).toContain('湖墅南路88号');
  await shipmentState(parcelId, (s) => s.stage === 'labelled' && s.waitingFor !== null);

  await cutAndReplayed(
    parcelId,
    'recordShipmentEvent',
    'receiverChanged',
    'shipment-readdressed-after-cut-short',
  );
  // What a person expects: the label in force goes to the new address, under the waybill the
  // shipment holds.
  const label = await loadLabel(h.db, ring, parcelId);
  expect(JSON.stringify(label!.label)).not.toContain('文三路100号');
  const row = await h.db
    .selectFrom('shipments')
    .select('tracking_number')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  expect(row.tracking_number).toBe(label!.trackingNumber);
});

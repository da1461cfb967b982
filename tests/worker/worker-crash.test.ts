import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import {
  PAID_LATER_STAGES,
  PAID_ORDER_STAGES,
  createShop,
  orderPush,
  seedCatalog,
} from '../support/fixtures.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { shipmentStateQuery } from '../../workflows/messages.js';
import { startWorkerProcess } from '../support/worker-process.js';

let h: Harness;
let child: ChildProcess | undefined;
let carriers: CarrierSandboxServer;
const settings = { WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({ ...carriers.env, ...settings });
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await h.teardown();
  await carriers.close();
});

/** The production worker entry point (`npm run worker`) as a separate process we can kill -9. */
function startWorker(): ChildProcess {
  return startWorkerProcess(h, { STICKY_TIMEOUT_SECONDS: '1', ...carriers.env, ...settings });
}

it('finishes an order exactly once after its worker is killed mid-workflow and another worker takes over', async () => {
  const shopId = await createShop(h.db, 'jd', { unpaidCancelSeconds: 600 });
  const api = await h.api();
  const opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  const warehouseAuth = bearer(await apiKeyFor(h.db, ['warehouse']));
  await setupCarrierAccounts(h.db, shopId);
  const now = Date.now();
  const order = orderPush({
    status: 'awaiting_payment',
    paidAt: undefined,
    createdAt: new Date(now).toISOString(),
    modifiedAt: new Date(now).toISOString(),
  });
  const id = orderWorkflowId('jd', shopId, order.platformOrderId);

  child = startWorker();
  expect((await submitOrder(api, { platform: 'jd', shopId, order }, opsAuth)).statusCode).toBe(202);
  // The first worker captured the order and parked it waiting for payment...
  await waitForOrderStatus(h.db, id, 'awaiting_payment');
  // ...and dies without any chance to clean up.
  child.kill('SIGKILL');
  await new Promise((resolve) => child!.once('exit', resolve));

  // Payment arrives while no worker is running: it is stored durably in the workflow's history.
  const paidAt = new Date().toISOString();
  const paid = { ...order, status: 'paid' as const, paidAt, modifiedAt: paidAt };
  expect((await submitOrder(api, { platform: 'jd', shopId, order: paid }, opsAuth)).statusCode).toBe(202);

  await h.startWorker({ identity: 'replacement-worker' });
  // The new worker carries the order all the way: wave, warehouse, carrier, delivery.
  const assigned = await waitForState(h.client, id, (s) => s.parcels.length === 1);
  const parcelId = assigned.parcels[0]!.parcelId;
  await expect
    .poll(() => h.db.selectFrom('shipments').select('wave_id').where('id', '=', parcelId).executeTakeFirst())
    .toBeTruthy();
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, warehouseAuth, wave_id);
  await packParcel(api, warehouseAuth, parcelId);
  const labelled = await waitForState(h.client, id, (s) => s.parcels[0]?.trackingNumber != null);
  await handOver(api, warehouseAuth, parcelId);
  await waitForOrderStatus(h.db, id, 'shipped');
  carriers.sandbox.network.finish(labelled.parcels[0]!.trackingNumber!);
  await waitForOrderStatus(h.db, id, 'completed');
  const final = await waitForState(h.client, id, (s) => s.status === 'completed');

  const rows = await h.db
    .selectFrom('orders')
    .select('id')
    .where('platform_order_id', '=', order.platformOrderId)
    .execute();
  expect(rows).toHaveLength(1);
  const events = await h.db
    .selectFrom('order_events')
    .select(['seq', 'stage'])
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();
  const stages = events.map((e) => e.stage);
  // The stored timeline is the workflow's own, event for event. Which path the order took depends
  // on where the kill fell: if the first worker's last workflow task (the one that parked the order)
  // was lost, the replacement re-executes it with the payment already in history and never waits —
  // and whatever the lost task wrote gives way (db/queries/timeline-fence.ts).
  expect(final.timeline.map((t) => t.stage)).toEqual(stages);
  const waited = stages[1] === 'awaiting_payment';
  const start = waited ? PAID_LATER_STAGES : PAID_ORDER_STAGES;
  expect(stages.slice(0, start.length)).toEqual(start);
  expect(stages).toContain('payment_confirmed');
  expect(stages.slice(start.length)).toEqual(
    expect.arrayContaining([
      'parcel_assigned',
      'picked',
      'packed',
      'waybill_issued',
      'shipped',
      'in_transit',
      'delivered',
      'completed',
    ]),
  );
  // Every stage happened once: nothing was repeated by the replacement worker.
  expect(new Set(stages).size).toBe(stages.length);
  // The parcel's timeline too is its workflow's, event for event.
  const parcel = await h.client.workflow.getHandle(`shipment:${parcelId}`).query(shipmentStateQuery);
  const parcelEvents = await h.db
    .selectFrom('shipment_events')
    .select('stage')
    .where('shipment_id', '=', parcelId)
    .orderBy('seq')
    .execute();
  expect(parcelEvents.map((e) => e.stage)).toEqual(parcel.timeline.map((t) => t.stage));

  // One run of the workflow, completed once.
  const history = await h.client.workflow.getHandle(id).fetchHistory();
  const completions = history.events?.filter((e) => e.workflowExecutionCompletedEventAttributes) ?? [];
  expect(completions).toHaveLength(1);
  // Visibility is eventually consistent: poll until the closed run is listed, then count.
  await expect
    .poll(async () => {
      const runs: string[] = [];
      for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${id}'` }))
        runs.push(wf.status.name);
      return runs;
    })
    .toEqual(['COMPLETED']);
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createShop } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts } from '../support/fulfilment.js';
import { recordHistory, workflowRuns } from '../support/histories.js';
import { PATIENCE_MS, waitForOrderStatus } from '../support/waits.js';
import {
  shipmentState,
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from './shipment-flow.js';

/**
 * Long-lived workflows keep their histories short: with a small WORKFLOW_HISTORY_LIMIT a parcel
 * polled every second continues as new again and again, and still reaches the buyer; the wave that
 * formed its parcels continues as new too and keeps forming waves.
 */
let ctx: ShipmentWorld;
const LIMIT = 80;

beforeAll(async () => {
  ctx = await startShipmentWorld({
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '86400',
    WORKFLOW_HISTORY_LIMIT: String(LIMIT),
  });
});
afterAll(() => ctx.close());

/** A ZTO parcel of a new shop's order, handed over to the carrier. */
async function handedOver() {
  const shopId = await createShop(ctx.h.db, 'taobao');
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
  const orderId = await submitOwnOrder(ctx, shopId);
  const { parcelId, trackingNumber } = await toLabelled(ctx, orderId);
  await handOver(ctx.api, ctx.wh, parcelId);
  return { shopId, orderId, parcelId, trackingNumber, workflowId: `shipment:${parcelId}` };
}

it('a shipment polling tracking many times continues as new and still reaches delivered', async () => {
  const { shopId, orderId, parcelId, trackingNumber, workflowId } = await handedOver();

  // No scans yet: the shipment polls every second, handing over to a new run as its history fills.
  await expect
    .poll(async () => (await workflowRuns(ctx.h.client, workflowId)).length, {
      timeout: PATIENCE_MS,
      interval: 1_000,
    })
    .toBeGreaterThanOrEqual(3);
  // Every run but the first stays within the limit (plus the one step that crosses it).
  const older = (await workflowRuns(ctx.h.client, workflowId)).slice(1, -1);
  for (const run of older) expect(run.events).toBeLessThan(LIMIT + 20);

  // The parcel moves: the run that sees it records it, and later runs go on from there.
  ctx.carriers.sandbox.network.advance(trackingNumber, 2);
  await expect
    .poll(
      async () =>
        (
          await ctx.h.db
            .selectFrom('shipment_events')
            .select('stage')
            .where('shipment_id', '=', parcelId)
            .where('stage', '=', 'in_transit')
            .execute()
        ).length,
      { timeout: PATIENCE_MS },
    )
    .toBe(1);
  const runsBefore = (await workflowRuns(ctx.h.client, workflowId)).length;
  await expect
    .poll(async () => (await workflowRuns(ctx.h.client, workflowId)).length, {
      timeout: PATIENCE_MS,
      interval: 1_000,
    })
    .toBeGreaterThan(runsBefore);

  ctx.carriers.sandbox.network.finish(trackingNumber);
  await waitForOrderStatus(ctx.h.db, orderId, 'completed');
  const result = await ctx.h.client.workflow.getHandle(workflowId).result();
  expect(result).toEqual({ stage: 'delivered' });

  // One timeline across all runs: every stage once, numbered without gaps or repeats.
  const events = await ctx.h.db
    .selectFrom('shipment_events')
    .select(['stage', 'seq'])
    .where('shipment_id', '=', parcelId)
    .orderBy('seq')
    .execute();
  const stages = events.map((e) => e.stage);
  for (const stage of ['shipped', 'in_transit', 'delivered'])
    expect(stages.filter((s) => s === stage)).toHaveLength(1);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  await recordHistory(ctx.h.client, workflowId, 'shipment-continued-as-new');

  // The wave that formed the parcel continued as new as well and still forms waves.
  const { warehouse_code: warehouse } = await ctx.h.db
    .selectFrom('shipments')
    .select('warehouse_code')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  // One wave after another (each picked before the next order comes).
  for (let i = 0; i < 2; i++) await toLabelled(ctx, await submitOwnOrder(ctx, shopId));
  await expect
    .poll(async () => (await workflowRuns(ctx.h.client, `wave:${warehouse}`)).length, {
      timeout: PATIENCE_MS,
    })
    .toBeGreaterThanOrEqual(2);
});

it('an exception waiting for a person survives continue-as-new: not raised twice, resumed, delivered', async () => {
  const { orderId, parcelId, trackingNumber, workflowId } = await handedOver();
  await expect.poll(async () => (await shipmentState(ctx, parcelId)).waitingFor).toBe('delivery');
  ctx.carriers.sandbox.network.script(trackingNumber, 'address_problem');
  ctx.carriers.sandbox.network.finish(trackingNumber);
  await waitForOrderStatus(ctx.h.db, orderId, 'exception');

  // The shipment keeps polling while it waits for a person, and hands over to new runs meanwhile.
  const runsAtException = (await workflowRuns(ctx.h.client, workflowId)).length;
  await expect
    .poll(async () => (await workflowRuns(ctx.h.client, workflowId)).length, {
      timeout: PATIENCE_MS,
      interval: 1_000,
    })
    .toBeGreaterThanOrEqual(runsAtException + 2);
  const held = await shipmentState(ctx, parcelId);
  expect(held.exception).toMatchObject({ kind: 'address_problem' });
  expect(held.waitingFor).toBe('a person to resolve the address problem (resume or mark lost)');

  const res = await ctx.api.inject({
    method: 'POST',
    url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
    headers: ctx.ops,
    payload: { action: 'resume', note: '已联系买家更正门牌号' },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().state.exception).toBeNull();
  ctx.carriers.sandbox.network.script(trackingNumber, 'redeliver');
  ctx.carriers.sandbox.network.finish(trackingNumber);
  await waitForOrderStatus(ctx.h.db, orderId, 'completed');
  const stages = (
    await ctx.h.db
      .selectFrom('shipment_events')
      .select('stage')
      .where('shipment_id', '=', parcelId)
      .orderBy('seq')
      .execute()
  ).map((e) => e.stage);
  expect(stages.filter((s) => s === 'exception')).toHaveLength(1);
  expect(stages.filter((s) => s === 'exception_resolved')).toHaveLength(1);
  expect(stages.at(-1)).toBe('delivered');
});

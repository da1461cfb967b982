import { afterAll, beforeAll, expect, it } from 'vitest';
import { handOver, shipmentStages } from '../support/fulfilment.js';
import { recordHistory, workflowRuns } from '../support/histories.js';
import { startShopeeLogisticsWorld, type ShopeeLogisticsWorld } from '../support/shopee-logistics.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { shipmentState, toPacked } from '../carriers/shipment-flow.js';

// A parcel Shopee never reports delivered is not followed forever: PLATFORM_DELIVERY_HORIZON_SECONDS
// after handover it is closed as delivered, unconfirmed (here ten seconds instead of 30 days).

let sp: ShopeeLogisticsWorld;

beforeAll(async () => {
  sp = await startShopeeLogisticsWorld({
    TRACKING_POLL_SECONDS: '1',
    PLATFORM_DELIVERY_HORIZON_SECONDS: '10',
    // Followed every second, the shipment continues as new on the way: the horizon spans its runs.
    WORKFLOW_HISTORY_LIMIT: '80',
  });
});
afterAll(async () => {
  await sp?.close();
});

it('a parcel Shopee has not reported delivered by the horizon is closed delivered-unconfirmed, its order ends', async () => {
  const shop = await sp.shop();
  const { orderId } = await sp.order(shop);
  const { parcelId } = await toPacked(sp.world, orderId);
  await waitForState(sp.world.h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
  await handOver(sp.world.api, sp.world.wh, parcelId);

  // Shopee never says more than PROCESSED (its carrier did not scan it): the horizon closes it.
  await expect
    .poll(
      async () => (await sp.world.h.client.workflow.getHandle(`shipment:${parcelId}`).describe()).status.name,
    )
    .toBe('COMPLETED');
  await waitForOrderStatus(sp.world.h.db, orderId, 'completed');
  expect((await workflowRuns(sp.world.h.client, `shipment:${parcelId}`)).length).toBeGreaterThanOrEqual(2);
  const state = await shipmentState(sp.world, parcelId).catch(() => null);
  if (state) expect(state.stage).toBe('delivered');
  const stages = await shipmentStages(sp.world.h.db, parcelId);
  expect(stages.at(-1)).toBe('delivered');
  const last = await sp.world.h.db
    .selectFrom('shipment_events')
    .select('detail')
    .where('shipment_id', '=', parcelId)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  expect(last.detail).toMatchObject({
    platform: 'shopee',
    unconfirmed: true,
    horizonSeconds: 10,
    lastStatus: 'PROCESSED / LOGISTICS_REQUEST_CREATED',
    reason: expect.stringMatching(
      /^shopee had not reported the parcel delivered 10 seconds after handover \(last status: PROCESSED \/ LOGISTICS_REQUEST_CREATED\): closed as delivered, unconfirmed$/,
    ),
  });
  const row = await sp.world.h.db
    .selectFrom('shipments')
    .select(['stage', 'tracking_status'])
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ stage: 'delivered', tracking_status: 'delivered_unconfirmed' });
  // The order's timeline says so in its own words.
  const orderEvents = await sp.world.h.db
    .selectFrom('order_events')
    .select(['stage', 'detail'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  expect(orderEvents.find((e) => e.stage === 'delivered_unconfirmed')?.detail).toMatchObject({
    unconfirmed: true,
    parcelId,
  });
  await recordHistory(sp.world.h.client, `shipment:${parcelId}`, 'shipment-shopee-delivery-unconfirmed');
});

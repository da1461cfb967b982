import { afterAll, beforeAll, expect, it } from 'vitest';
import { shipmentStages } from '../support/fulfilment.js';
import { recordHistory, workflowRuns } from '../support/histories.js';
import {
  handedOverShopeeParcel,
  startShopeeLogisticsWorld,
  type ShopeeLogisticsWorld,
} from '../support/shopee-logistics.js';
import { waitForOrderStatus } from '../support/waits.js';
import { shipmentState } from '../carriers/shipment-flow.js';

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
  const { orderId, parcelId } = await handedOverShopeeParcel(sp);

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

it('a return waiting for a person is not closed by the horizon, survives continue-as-new unraised again, and delivery settles it', async () => {
  const { shop, orderId, parcelId, move, askReturn, withdrawReturn } = await handedOverShopeeParcel(sp);
  move('picked_up');
  askReturn();
  await expect
    .poll(async () => (await shipmentState(sp.world, parcelId)).exception?.kind ?? null)
    .toBe('returned');
  // Still asking Shopee every second while it waits, the shipment continues as new, past the horizon.
  const workflowId = `shipment:${parcelId}`;
  await expect
    .poll(async () => (await workflowRuns(sp.world.h.client, workflowId)).length)
    .toBeGreaterThanOrEqual(3);
  const held = await shipmentState(sp.world, parcelId);
  expect(held).toMatchObject({ stage: 'exception', exception: { kind: 'returned' } });
  expect((await shipmentStages(sp.world.h.db, parcelId)).filter((s) => s === 'exception')).toHaveLength(1);

  // The buyer keeps it after all and Shopee reports it delivered: settled without a person.
  withdrawReturn();
  move('delivered');
  await expect
    .poll(async () => (await sp.world.h.client.workflow.getHandle(workflowId).describe()).status.name)
    .toBe('COMPLETED');
  await waitForOrderStatus(sp.world.h.db, orderId, 'completed');
  const row = await sp.world.h.db
    .selectFrom('shipments')
    .select(['stage', 'exception_kind', 'tracking_status'])
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({
    stage: 'delivered',
    exception_kind: null,
    tracking_status: 'TO_CONFIRM_RECEIVE / LOGISTICS_DELIVERY_DONE',
  });
  const open = await sp.world.h.db
    .selectFrom('alerts')
    .select('kind')
    .where('shop_id', '=', shop.id)
    .where('resolved_at', 'is', null)
    .execute();
  expect(open).toEqual([]);
  await recordHistory(sp.world.h.client, workflowId, 'shipment-shopee-return-settled-continued');
});

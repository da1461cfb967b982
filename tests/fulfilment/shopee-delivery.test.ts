import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveShopeeParcel } from '../../sandbox/platforms/shopee/index.js';
import { handOver, shipmentStages } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { startShopeeLogisticsWorld, type ShopeeLogisticsWorld } from '../support/shopee-logistics.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { shipmentState, toPacked } from '../carriers/shipment-flow.js';

// After handover a parcel Shopee's logistics carries is followed through Shopee's order detail
// (order_status, the package's logistics_status), polled as carrier tracking is.

let sp: ShopeeLogisticsWorld;

beforeAll(async () => {
  sp = await startShopeeLogisticsWorld({ TRACKING_POLL_SECONDS: '1' });
});
afterAll(async () => {
  await sp?.close();
});

/** A Shopee order shipped through Shopee's logistics and handed over: its parcel and Shopee's words. */
async function handedOver() {
  const shop = await sp.shop();
  const { sim, orderId } = await sp.order(shop);
  const { parcelId } = await toPacked(sp.world, orderId);
  await waitForState(sp.world.h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
  await handOver(sp.world.api, sp.world.wh, parcelId);
  await expect.poll(async () => (await shipmentState(sp.world, parcelId)).stage).toBe('shipped');
  const move = (step: Parameters<typeof moveShopeeParcel>[3]) =>
    moveShopeeParcel(sp.store, shop.key, sim.id, step);
  return { shop, sim, orderId, parcelId, move };
}

const workflowStatus = async (workflowId: string) =>
  (await sp.world.h.client.workflow.getHandle(workflowId).describe()).status.name;

async function events(table: 'order' | 'shipment', id: string) {
  const rows =
    table === 'order'
      ? await sp.world.h.db
          .selectFrom('order_events')
          .select(['stage', 'detail'])
          .where('order_id', '=', id)
          .orderBy('seq')
          .execute()
      : await sp.world.h.db
          .selectFrom('shipment_events')
          .select(['stage', 'detail'])
          .where('shipment_id', '=', id)
          .orderBy('seq')
          .execute();
  return rows;
}

describe('a parcel Shopee’s logistics carries is followed to the buyer', () => {
  it('collected (SHIPPED) it is in transit; TO_CONFIRM_RECEIVE delivers it and the order ends delivered', async () => {
    const { orderId, parcelId, move } = await handedOver();

    move('picked_up');
    await expect.poll(async () => (await shipmentState(sp.world, parcelId)).stage).toBe('in_transit');
    expect((await shipmentState(sp.world, parcelId)).trackingStatus).toBe('SHIPPED / LOGISTICS_PICKUP_DONE');

    move('delivered');
    await expect.poll(() => workflowStatus(`shipment:${parcelId}`)).toBe('COMPLETED');
    await waitForOrderStatus(sp.world.h.db, orderId, 'completed');
    await expect.poll(() => workflowStatus(orderId)).toBe('COMPLETED');

    const shipment = await sp.world.h.db
      .selectFrom('shipments')
      .select(['stage', 'tracking_status', 'delivered_at'])
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(shipment).toMatchObject({
      stage: 'delivered',
      tracking_status: 'TO_CONFIRM_RECEIVE / LOGISTICS_DELIVERY_DONE',
    });
    expect(shipment.delivered_at).not.toBeNull();
    const stages = await shipmentStages(sp.world.h.db, parcelId);
    expect(stages.slice(stages.indexOf('shipped'))).toEqual(['shipped', 'in_transit', 'delivered']);
    expect((await events('shipment', parcelId)).at(-1)!.detail).toMatchObject({
      platform: 'shopee',
      orderStatus: 'TO_CONFIRM_RECEIVE',
      logisticsStatus: 'LOGISTICS_DELIVERY_DONE',
      confirmedByBuyer: false,
    });
    // The order's own timeline: shipped, in transit, delivered, completed.
    const orderStages = (await events('order', orderId)).map((e) => e.stage);
    expect(orderStages).toEqual(expect.arrayContaining(['shipped', 'in_transit', 'delivered']));
    expect(orderStages.indexOf('delivered')).toBeGreaterThan(orderStages.indexOf('in_transit'));
    await recordHistory(sp.world.h.client, `shipment:${parcelId}`, 'shipment-shopee-delivered');
  });

  it('COMPLETED (the buyer confirmed) delivers it, confirmed', async () => {
    const { orderId, parcelId, move } = await handedOver();
    move('confirmed');
    await expect.poll(() => workflowStatus(`shipment:${parcelId}`)).toBe('COMPLETED');
    await waitForOrderStatus(sp.world.h.db, orderId, 'completed');
    expect((await events('shipment', parcelId)).at(-1)).toMatchObject({
      stage: 'delivered',
      detail: { orderStatus: 'COMPLETED', confirmedByBuyer: true },
    });
  });

  it('TO_RETURN is an exception for a person, with the shop alerted; resumed, delivery still ends it', async () => {
    const { sim, shop, orderId, parcelId, move } = await handedOver();
    move('picked_up');
    await expect.poll(async () => (await shipmentState(sp.world, parcelId)).stage).toBe('in_transit');
    // The buyer asks to return it on Shopee: the order shows TO_RETURN.
    sp.store.update(shop.key, sim.id, (o) => {
      const at = new Date();
      o.refund = {
        id: `R${sim.id}`,
        status: 'requested',
        kind: 'return_and_refund',
        amountMinor: o.paidMinor,
        reason: 'damaged',
        createdAt: at,
        modifiedAt: at,
      };
    });
    await expect
      .poll(async () => (await shipmentState(sp.world, parcelId)).exception?.kind ?? null)
      .toBe('returned');
    const held = await shipmentState(sp.world, parcelId);
    expect(held.stage).toBe('exception');
    expect(held.exception!.detail).toMatch(
      /shopee reports .* TO_RETURN \(LOGISTICS_PICKUP_DONE\): the buyer is returning it/,
    );
    expect(held.waitingFor).toMatch(/a person to resolve the returned/);
    const alert = await sp.world.h.db
      .selectFrom('alerts')
      .select(['kind', 'message'])
      .where('shop_id', '=', shop.id)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    expect(alert).toMatchObject({
      kind: 'shipment_exception',
      message: expect.stringMatching(/returned: shopee reports/),
    });

    // The return is settled on Shopee; a person resumes and the parcel is followed again.
    sp.store.update(shop.key, sim.id, (o) => void (o.refund!.status = 'closed'));
    const resumed = await sp.world.api.inject({
      method: 'POST',
      url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
      headers: sp.world.ops,
      payload: { action: 'resume', note: 'return withdrawn on Shopee' },
    });
    expect(resumed.statusCode, resumed.body).toBe(200);
    move('delivered');
    await expect.poll(() => workflowStatus(`shipment:${parcelId}`)).toBe('COMPLETED');
    await waitForOrderStatus(sp.world.h.db, orderId, 'completed');
    const stages = await shipmentStages(sp.world.h.db, parcelId);
    expect(stages.slice(stages.indexOf('shipped'))).toEqual(
      expect.arrayContaining(['in_transit', 'exception', 'exception_resolved', 'delivered']),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shipmentStages } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import {
  handedOverShopeeParcel,
  startShopeeLogisticsWorld,
  type ShopeeLogisticsWorld,
} from '../support/shopee-logistics.js';
import { waitForOrderStatus } from '../support/waits.js';
import { shipmentCancelOrderSignal } from '../../workflows/messages.js';
import { shipmentState } from '../carriers/shipment-flow.js';

// After handover a parcel Shopee's logistics carries is followed through Shopee's order detail
// (order_status, the package's logistics_status), polled as carrier tracking is.

let sp: ShopeeLogisticsWorld;

beforeAll(async () => {
  sp = await startShopeeLogisticsWorld({ TRACKING_POLL_SECONDS: '1' });
});
afterAll(async () => {
  await sp?.close();
});

const handedOver = () => handedOverShopeeParcel(sp);

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

  it('a cancellation while it is followed is told it is too late; COMPLETED (the buyer confirmed) delivers it, confirmed', async () => {
    const { orderId, parcelId, move } = await handedOver();
    // A cancellation that reaches the parcel after handover: the order hears its parcel already left.
    await sp.world.h.client.workflow
      .getHandle(`shipment:${parcelId}`)
      .signal(shipmentCancelOrderSignal, { orderId, reason: 'buyer cancelled' });
    await expect
      .poll(async () => (await events('order', orderId)).some((e) => e.detail.interceptTooLate === true))
      .toBe(true);
    expect((await shipmentState(sp.world, parcelId)).stage).toBe('shipped');
    move('confirmed');
    await expect.poll(() => workflowStatus(`shipment:${parcelId}`)).toBe('COMPLETED');
    await waitForOrderStatus(sp.world.h.db, orderId, 'completed');
    expect((await events('shipment', parcelId)).at(-1)).toMatchObject({
      stage: 'delivered',
      detail: { orderStatus: 'COMPLETED', confirmedByBuyer: true },
    });
  });

  it('TO_RETURN is an exception for a person, with the shop alerted; resumed, delivery still ends it', async () => {
    const { shop, orderId, parcelId, move, askReturn, withdrawReturn } = await handedOver();
    move('picked_up');
    await expect.poll(async () => (await shipmentState(sp.world, parcelId)).stage).toBe('in_transit');
    askReturn();
    await expect
      .poll(async () => (await shipmentState(sp.world, parcelId)).exception?.kind ?? null)
      .toBe('returned');
    const held = await shipmentState(sp.world, parcelId);
    expect(held.stage).toBe('exception');
    expect(held.exception!.detail).toMatch(
      /shopee reports .* TO_RETURN \(LOGISTICS_PICKUP_DONE\): the buyer is returning it/,
    );
    expect(held.waitingFor).toMatch(/a person to resolve the returned/);
    // The alert is raised by the step after the one that opened the exception.
    await expect
      .poll(() =>
        sp.world.h.db
          .selectFrom('alerts')
          .select(['kind', 'message'])
          .where('shop_id', '=', shop.id)
          .where('resolved_at', 'is', null)
          .executeTakeFirst(),
      )
      .toMatchObject({
        kind: 'shipment_exception',
        message: expect.stringMatching(/returned: shopee reports/),
      });

    // The return is settled on Shopee; a person resumes and the parcel is followed again.
    withdrawReturn();
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

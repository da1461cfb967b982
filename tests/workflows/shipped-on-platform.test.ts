import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { labelledParcel } from '../support/fulfilment.js';
import type { Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import {
  onPlatform as onTop,
  paidTrade,
  startTopWorld,
  type TopSandbox,
  type TopWorld,
} from '../support/top.js';
import { waitForOrderStatus } from '../support/waits.js';

// Orders the platform already reports shipped are history, not work; an order the seller ships from
// Taobao's back office while it waits here is stopped before a second parcel leaves.

const SKU = 'TS-001-BLK-M';
const MINUTES = 5 * 60_000;

let h: Harness;
let api: FastifyInstance;
let top: TopSandbox;
let warehouse: string;
let wh: { authorization: string };
let world: TopWorld;

beforeAll(async () => {
  world = await startTopWorld(
    'tb-history',
    { [SKU]: 10 },
    { WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' },
  );
  ({ h, api, top, warehouse, wh } = world);
});
afterAll(() => world.close());

const connectedShop = () => world.connectedShop();

const onPlatform = (shopId: string, order: SimOrder, change?: (o: SimOrder) => void) =>
  onTop(h.client, h.config.TASK_QUEUE_ORDERS, top, shopId, order, change);

/** The seller ships the trade from Taobao's back office, with a carrier of its own choosing. */
function shippedByTheSeller(o: SimOrder): void {
  o.status = 'shipped';
  o.shipment = { carrierCode: 'YTO', trackingNumber: `YT${Date.now()}`, shippedAt: new Date() };
}

async function stock() {
  return h.db
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', SKU)
    .executeTakeFirstOrThrow();
}

async function stages(id: string): Promise<string[]> {
  return (
    await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).orderBy('seq').execute()
  ).map((e) => e.stage);
}

describe('orders shipped on the platform are history, not work', () => {
  it.each([
    ['shipped', 'shipped'],
    ['completed', 'completed'],
  ] as const)(
    'a trade already %s on Taobao is captured into the projection and never audited, allocated or shipped',
    async (simStatus, platformStatus) => {
      const shopId = await connectedShop();
      const tid = `42${Date.now()}`;
      const trade = paidTrade(top, tid, [{ code: SKU, priceFen: 9_900 }]);
      const before = await stock();
      await onPlatform(shopId, trade, (o) => {
        shippedByTheSeller(o);
        o.status = simStatus;
      });
      const id = orderWorkflowId('taobao', shopId, tid);
      await waitForOrderStatus(h.db, id, 'completed', MINUTES);
      const row = await h.db
        .selectFrom('orders')
        .select(['platform_status'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.platform_status).toBe(platformStatus);
      expect(await stages(id)).toEqual(['captured', 'completed']);
      expect(await stock()).toEqual(before);
      const shipments = await h.db
        .selectFrom('shipment_orders')
        .select('shipment_id')
        .where('order_id', '=', id)
        .execute();
      expect(shipments).toEqual([]);
      await recordHistory(h.client, id, `order-platform-history-${simStatus}`);
    },
    3 * MINUTES,
  );

  it(
    'a trade shipped on Taobao while packed here with a waybill: the waybill is cancelled, nothing leaves twice, the shop is alerted',
    async () => {
      const shopId = await connectedShop();
      const tid = `43${Date.now()}`;
      const trade = paidTrade(top, tid, [{ code: SKU, priceFen: 9_900 }]);
      const id = orderWorkflowId('taobao', shopId, tid);
      const before = await stock();
      await onPlatform(shopId, trade);

      const { parcelId, waybill: ourWaybill } = await labelledParcel(h, api, wh, id, MINUTES);
      expect((await stock()).reserved).toBe(before.reserved + 1);

      await onPlatform(shopId, trade, shippedByTheSeller);
      await waitForOrderStatus(h.db, id, 'completed', MINUTES);
      const last = await h.db
        .selectFrom('order_events')
        .select(['stage', 'detail'])
        .where('order_id', '=', id)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(last.detail).toMatchObject({ outcome: 'shipped_on_platform', platformStatus: 'shipped' });

      // Our waybill is cancelled with the carrier, the parcel is out of the wave, the unit back on the shelf.
      await expect
        .poll(() => world.carriers.sandbox.network.get(ourWaybill)?.cancelledAt, { timeout: MINUTES })
        .toBeInstanceOf(Date);
      const shipment = await h.db
        .selectFrom('shipments')
        .select('stage')
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      expect(shipment.stage).toBe('cancelled');
      await expect.poll(() => stock(), { timeout: MINUTES }).toEqual(before);
      // The dock refuses the parcel: nothing of ours leaves as a second parcel.
      const handover = await api.inject({
        method: 'POST',
        url: '/wms/handovers',
        headers: wh,
        payload: { parcelId },
      });
      expect(handover.statusCode).not.toBe(202);
      expect(await stock()).toEqual(before);

      // The alert is the order's own step, not the shipment's: waited for, not assumed written.
      const alerts = () =>
        h.db
          .selectFrom('alerts')
          .select(['kind', 'message'])
          .where('shop_id', '=', shopId)
          .where('kind', '=', 'shipped_on_platform')
          .execute();
      await expect.poll(async () => (await alerts()).length, { timeout: MINUTES }).toBe(1);
      expect((await alerts())[0]!.message).toContain(tid);
      await recordHistory(h.client, id, 'order-shipped-on-platform-while-packed');
    },
    3 * MINUTES,
  );
});

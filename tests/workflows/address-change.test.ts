import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { loadLabel } from '../../db/queries/labels.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { handOver, labelledParcel as labelled } from '../support/fulfilment.js';
import type { Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import {
  onPlatform as onTop,
  paidTrade,
  startTopWorld,
  type TopSandbox,
  type TopWorld,
} from '../support/top.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

// A buyer changes the delivery address on Taobao. Before handover the checks run again and a
// waybill already issued is cancelled and issued again to the new address, its label printed
// again; after handover the shop is alerted and no second waybill is issued.

const SKU = 'TS-001-BLK-M';
const UNSTOCKED = 'TS-001-BLK-L';
const MINUTES = 5 * 60_000;

let h: Harness;
let api: FastifyInstance;
let top: TopSandbox;
let wh: { authorization: string };
let world: TopWorld;

beforeAll(async () => {
  world = await startTopWorld('tb-readdress', { [SKU]: 10 }, { WAVE_WINDOW_SECONDS: '1' });
  ({ h, api, top, wh } = world);
});
afterAll(() => world.close());

const onPlatform = (shopId: string, order: SimOrder, change?: (o: SimOrder) => void) =>
  onTop(h.client, h.config.TASK_QUEUE_ORDERS, top, shopId, order, change);

/** The buyer moves the delivery to another address in another city. */
function movedTo(detail: string, district = '鼓楼区', city = '南京市', province = '江苏省') {
  return (o: SimOrder) => {
    o.receiver = { ...o.receiver, province, city, district, detail };
  };
}

async function stages(id: string): Promise<string[]> {
  return (
    await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).orderBy('seq').execute()
  ).map((e) => e.stage);
}

/** The order's parcel packed and labelled in the warehouse; its waybill number. */
const labelledParcel = (id: string) => labelled(h, api, wh, id, MINUTES);

describe('a buyer’s address change is followed', () => {
  it(
    'before any waybill: the new address is checked again, and one that fails is held for a person',
    async () => {
      const shopId = await world.connectedShop();
      const tid = `51${Date.now()}`;
      const trade = paidTrade(top, tid, [{ code: UNSTOCKED, priceFen: 9_900 }]);
      const id = orderWorkflowId('taobao', shopId, tid);
      await onPlatform(shopId, trade);
      await waitForOrderStatus(h.db, id, 'out_of_stock', MINUTES);

      // A district that does not exist: the address check the audit passed now fails.
      await onPlatform(shopId, trade, movedTo('中山路1号', '不存在区'));
      const held = await waitForState(h.client, id, (s) => s.status === 'held', MINUTES);
      expect(held.holds.map((x) => x.reason)).toContain('address_invalid');
      const events = await stages(id);
      expect(events).toEqual(expect.arrayContaining(['address_changed', 'address_rechecked', 'held']));
      // Only fingerprints reach the timeline, never the receiver.
      const changed = await h.db
        .selectFrom('order_events')
        .select('detail')
        .where('order_id', '=', id)
        .where('stage', '=', 'address_changed')
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(changed.detail)).not.toContain('中山路');
      expect(changed.detail).toMatchObject({ from: expect.any(String), to: expect.any(String) });
      await recordHistory(h.client, id, 'order-address-changed-held');
    },
    3 * MINUTES,
  );

  it(
    'after the waybill, before handover: the old waybill is cancelled, a new one issued and the label shows the new address',
    async () => {
      const shopId = await world.connectedShop();
      const tid = `52${Date.now()}`;
      const trade = paidTrade(top, tid, [{ code: SKU, priceFen: 9_900 }]);
      const id = orderWorkflowId('taobao', shopId, tid);
      await onPlatform(shopId, trade);
      const { parcelId, waybill: oldWaybill } = await labelledParcel(id);
      const ring = dataKeyring(h.config);
      expect(JSON.stringify((await loadLabel(h.db, ring, parcelId))!.label)).toContain('文三路200号');

      await onPlatform(shopId, trade, movedTo('中山路88号'));
      await expect
        .poll(() => world.carriers.sandbox.network.get(oldWaybill)?.cancelledAt, { timeout: MINUTES })
        .toBeInstanceOf(Date);
      const relabelled = await waitForState(
        h.client,
        id,
        (s) => (s.parcels[0]?.trackingNumber ?? oldWaybill) !== oldWaybill,
        MINUTES,
      );
      const newWaybill = relabelled.parcels[0]!.trackingNumber!;
      expect(world.carriers.sandbox.network.get(newWaybill)?.cancelledAt).toBeUndefined();
      const label = await loadLabel(h.db, ring, parcelId);
      expect(label!.trackingNumber).toBe(newWaybill);
      expect(JSON.stringify(label!.label)).toContain('中山路88号');
      expect(JSON.stringify(label!.label)).not.toContain('文三路200号');
      await waitForStage(h.db, id, 'waybill_reissued', MINUTES);

      // The parcel goes out under the new waybill.
      await handOver(api, wh, parcelId);
      await waitForState(h.client, id, (s) => s.parcels[0]?.stage === 'shipped' || s.status === 'shipped');
      const shipment = await h.db
        .selectFrom('shipments')
        .select('tracking_number')
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      expect(shipment.tracking_number).toBe(newWaybill);
      await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-readdressed');
      await recordHistory(h.client, id, 'order-address-changed-reissued');
    },
    3 * MINUTES,
  );

  it(
    'after handover: the shop is alerted about the order and no new waybill is issued',
    async () => {
      const shopId = await world.connectedShop();
      const tid = `53${Date.now()}`;
      const trade = paidTrade(top, tid, [{ code: SKU, priceFen: 9_900 }]);
      const id = orderWorkflowId('taobao', shopId, tid);
      await onPlatform(shopId, trade);
      const { parcelId, waybill } = await labelledParcel(id);
      await handOver(api, wh, parcelId);
      await waitForState(h.client, id, (s) => s.parcels[0]?.stage === 'shipped' || s.status === 'shipped');

      await onPlatform(shopId, trade, movedTo('中山路99号'));
      await waitForStage(h.db, id, 'address_changed_after_handover', MINUTES);
      const alerts = () =>
        h.db
          .selectFrom('alerts')
          .select(['kind', 'message'])
          .where('shop_id', '=', shopId)
          .where('kind', '=', 'address_changed_after_handover')
          .execute();
      await expect.poll(() => alerts().then((a) => a.length), { timeout: MINUTES }).toBe(1);
      const [alert] = await alerts();
      expect(alert!.message).toContain(tid);
      expect(alert!.message).toContain(waybill);
      const state = await waitForState(h.client, id, () => true);
      expect(state.parcels.map((p) => p.trackingNumber)).toEqual([waybill]);
      expect(world.carriers.sandbox.network.get(waybill)?.cancelledAt).toBeUndefined();
      expect(await stages(id)).not.toContain('address_changed');
      await recordHistory(h.client, id, 'order-address-changed-after-handover');
    },
    3 * MINUTES,
  );
});

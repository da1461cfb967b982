import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { packParcel, waitForShipments, workWave } from '../support/fulfilment.js';
import type { Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { paidPddOrder, startPddWorld, type PddWorld } from '../support/pdd.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

// Order types come from the platforms: a PDD group still forming (拼团中) never ships until the
// platform says it formed, a failed group ends, and a shop's live room makes its orders urgent.

const SKU = 'TS-001-BLK-M';
const MINUTES = 5 * 60_000;

let world: PddWorld;
let h: Harness;

beforeAll(async () => {
  world = await startPddWorld({ [SKU]: 20 }, { WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' });
  h = world.h;
});
afterAll(() => world.close());

async function stock() {
  return h.db
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('warehouse_code', '=', world.warehouse)
    .where('sku_code', '=', SKU)
    .executeTakeFirstOrThrow();
}

async function stages(id: string): Promise<string[]> {
  return (
    await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).orderBy('seq').execute()
  ).map((e) => e.stage);
}

async function shipmentsOf(id: string) {
  return h.db.selectFrom('shipment_orders').select('shipment_id').where('order_id', '=', id).execute();
}

describe('order types from the platforms', () => {
  it(
    'a PDD group still forming waits with nothing reserved or waybilled, and ships once PDD says it formed',
    async () => {
      const shopId = await world.connectedShop();
      const order = paidPddOrder(world.mallId, [{ code: SKU, priceFen: 3_900 }], {
        type: 'group_buy',
        groupStatus: 'forming',
      });
      const id = orderWorkflowId('pdd', shopId, order.id);
      const before = await stock();
      await world.onPlatform(shopId, order);

      const waiting = await waitForState(
        h.client,
        id,
        (s) => /group to form/.test(s.waitingFor ?? ''),
        MINUTES,
      );
      expect(waiting.parcels).toEqual([]);
      expect(await stages(id)).toEqual(['captured', 'payment_confirmed', 'group_forming']);
      expect(await stock()).toEqual(before);
      expect(await shipmentsOf(id)).toEqual([]);
      const row = await h.db
        .selectFrom('orders')
        .select(['order_type', 'platform_status'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ order_type: 'group_buy', platform_status: 'paid' });

      await world.onPlatform(shopId, order, (o) => (o.groupStatus = 'formed'));
      const assigned = await waitForState(h.client, id, (s) => s.parcels.length === 1, MINUTES);
      expect(await stages(id)).toEqual(
        expect.arrayContaining(['group_forming', 'group_formed', 'audit_passed', 'allocated']),
      );
      expect((await stock()).reserved).toBe(before.reserved + 1);
      const parcelId = assigned.parcels[0]!.parcelId;
      await waitForShipments(h.db, [parcelId]);
      const { wave_id } = await h.db
        .selectFrom('shipments')
        .select('wave_id')
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      await workWave(world.api, world.wh, wave_id);
      await packParcel(world.api, world.wh, parcelId);
      await waitForState(h.client, id, (s) => s.parcels[0]?.trackingNumber != null, MINUTES);
      await recordHistory(h.client, id, 'order-group-formed');
    },
    4 * MINUTES,
  );

  it(
    'a PDD group that fails ends the order without allocating anything',
    async () => {
      const shopId = await world.connectedShop();
      const order = paidPddOrder(world.mallId, [{ code: SKU, priceFen: 3_900 }], {
        type: 'group_buy',
        groupStatus: 'forming',
      });
      const id = orderWorkflowId('pdd', shopId, order.id);
      const before = await stock();
      await world.onPlatform(shopId, order);
      await waitForStage(h.db, id, 'group_forming', MINUTES);

      await world.onPlatform(shopId, order, (o) => (o.groupStatus = 'failed'));
      await waitForOrderStatus(h.db, id, 'cancelled', MINUTES);
      const last = await h.db
        .selectFrom('order_events')
        .select(['detail'])
        .where('order_id', '=', id)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(last.detail).toMatchObject({ outcome: 'group_failed', platformStatus: 'cancelled' });
      expect(await stages(id)).not.toContain('allocated');
      expect(await stock()).toEqual(before);
      expect(await shipmentsOf(id)).toEqual([]);
      await recordHistory(h.client, id, 'order-group-failed');
    },
    4 * MINUTES,
  );

  it(
    "an order from a shop marked as a live room is a livestream order: first in its wave's queue, urgent to the carrier the shop set",
    async () => {
      const shopId = await world.connectedShop({ liveRoom: { wholeShop: true }, urgentCarrier: 'SF' });
      const order = paidPddOrder(world.mallId, [{ code: SKU, priceFen: 3_900 }]);
      const id = orderWorkflowId('pdd', shopId, order.id);
      await world.onPlatform(shopId, order);

      const assigned = await waitForState(h.client, id, (s) => s.parcels.length === 1, MINUTES);
      expect(assigned.route).toMatchObject({ group: 'livestream', priority: 100 });
      expect(assigned.flags).toContain('urgent');
      expect(assigned.timeline.map((t) => t.stage)).toContain('typed_livestream');
      const parcelId = assigned.parcels[0]!.parcelId;
      await waitForShipments(h.db, [parcelId]);
      const shipment = await h.db
        .selectFrom('shipments')
        .select(['wave_id', 'urgent'])
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      expect(shipment.urgent).toBe(true);
      await workWave(world.api, world.wh, shipment.wave_id);
      await packParcel(world.api, world.wh, parcelId);
      // ZTO is cheaper for this parcel; the shop's urgent carrier takes it.
      const labelled = await waitForState(h.client, id, (s) => s.parcels[0]?.carrier != null, MINUTES);
      expect(labelled.parcels[0]!.carrier).toBe('SF');
      const { carrier_reason } = await h.db
        .selectFrom('shipments')
        .select('carrier_reason')
        .where('id', '=', parcelId)
        .executeTakeFirstOrThrow();
      expect(carrier_reason).toMatch(/urgent parcel/);
    },
    4 * MINUTES,
  );
});

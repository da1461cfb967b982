import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { recordHistory } from '../support/histories.js';
import { formWaveNow, handOver, packParcel, waitForShipments, workWave } from '../support/fulfilment.js';
import type { Harness } from '../support/harness.js';
import {
  onPlatform as onTop,
  paidTrade,
  startTopWorld,
  type TopSandbox,
  type TopWorld,
} from '../support/top.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

// Refunds on Taobao are per sub-order (oid): a refund on one line holds that line, the others ship;
// a refused request lets its line ship again; only every line refunded ends the order. Orders reach
// the ERP the way TMC-named changes do: fetched from the simulated TOP gateway and normalized.

const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
const MINUTES = 5 * 60_000;

let h: Harness;
let api: FastifyInstance;
let top: TopSandbox;
let warehouse: string;
let wh: { authorization: string };
let world: TopWorld;

beforeAll(async () => {
  world = await startTopWorld(
    'tb-refunds',
    { [SKU_A]: 10, [SKU_B]: 10 },
    // Refunds must reach orders before (or after) their wave is cut, whatever the machine's load:
    // the window is longer than any test, and each test asks for its wave when it is ready.
    { WAVE_WINDOW_SECONDS: '3600', TRACKING_POLL_SECONDS: '1' },
  );
  ({ h, api, top, warehouse, wh } = world);
});
afterAll(() => world.close());

const connectedShop = () => world.connectedShop();
const waveNow = (orderId: string, readyAfter?: Date) =>
  formWaveNow(h.client, api, wh, warehouse, orderId, readyAfter);

/** A paid two-line Taobao trade: line `${tid}1` is SKU A, line `${tid}2` SKU B. */
const twoLineTrade = (tid: string) =>
  paidTrade(top, tid, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);

const onPlatform = (shopId: string, order: SimOrder, change?: (o: SimOrder) => void) =>
  onTop(h.client, h.config.TASK_QUEUE_ORDERS, top, shopId, order, change);

function refund(status: SimRefund['status'], lineIds: string[]): SimRefund {
  const now = new Date();
  return {
    id: `7${Date.now()}`,
    status,
    kind: 'refund_only',
    amountMinor: 16_800,
    reason: '不想要了',
    createdAt: now,
    modifiedAt: now,
    lineIds,
  };
}

async function reserved(sku: string): Promise<number> {
  const row = await h.db
    .selectFrom('stock')
    .select(['reserved'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', sku)
    .executeTakeFirstOrThrow();
  return row.reserved;
}

async function onHand(sku: string): Promise<number> {
  const row = await h.db
    .selectFrom('stock')
    .select(['on_hand'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', sku)
    .executeTakeFirstOrThrow();
  return row.on_hand;
}

/** The warehouse picks the parcel's wave, packs and hands it over; the order ships. */
async function shipThroughWarehouse(orderId: string, parcelId: string): Promise<void> {
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, wh, wave_id);
  await packParcel(api, wh, parcelId);
  await waitForState(h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null, MINUTES);
  await handOver(api, wh, parcelId);
  await waitForOrderStatus(h.db, orderId, 'shipped', MINUTES);
}

describe('a refund on one line is not a refund of the order', () => {
  it(
    'a refund requested on one line of an allocated order: that line is released, the other ships alone',
    async () => {
      const shopId = await connectedShop();
      const tid = `39${Date.now()}`;
      const trade = twoLineTrade(tid);
      const id = orderWorkflowId('taobao', shopId, tid);
      const [reservedA, reservedB, onHandA, onHandB] = [
        await reserved(SKU_A),
        await reserved(SKU_B),
        await onHand(SKU_A),
        await onHand(SKU_B),
      ];
      await onPlatform(shopId, trade);
      await waitForStage(h.db, id, 'allocated', MINUTES);

      const asked = new Date();
      await onPlatform(shopId, trade, (o) => void (o.refund = refund('requested', [`${tid}2`])));
      await waitForStage(h.db, id, 'refund_lines_changed', MINUTES);
      await waveNow(id, asked);

      // The order goes on with line 1 only: its parcel carries nothing of line 2.
      const state = await waitForState(
        h.client,
        id,
        (s) => s.parcels.length === 1 && s.awaitingWave.length === 0,
        MINUTES,
      );
      expect(state.status).not.toBe('cancelled');
      expect(state.refundStatus).toBe('requested');
      const parcel = state.parcels[0]!;
      expect(parcel.lineIds).toEqual([`${tid}1`]);
      await expect.poll(() => reserved(SKU_B), { timeout: MINUTES }).toBe(reservedB);
      expect(await reserved(SKU_A)).toBe(reservedA + 1);

      await shipThroughWarehouse(id, parcel.parcelId);

      // One unit of line 1 left the warehouse; line 2's unit is still on the shelf and free.
      expect(await onHand(SKU_A)).toBe(onHandA - 1);
      expect(await onHand(SKU_B)).toBe(onHandB);
      expect(await reserved(SKU_B)).toBe(reservedB);
      await recordHistory(h.client, id, 'order-line-refund-ships-the-rest');
    },
    3 * MINUTES,
  );

  it(
    'a refund on a line whose parcel is in a wave but not yet packed takes the line out: its pick is cancelled, the rest packs without it',
    async () => {
      const shopId = await connectedShop();
      const tid = `42${Date.now()}`;
      const trade = twoLineTrade(tid);
      const id = orderWorkflowId('taobao', shopId, tid);
      const [reservedB, onHandA, onHandB] = [await reserved(SKU_B), await onHand(SKU_A), await onHand(SKU_B)];
      await onPlatform(shopId, trade);
      await waveNow(id);

      // The wave is cut: the parcel carries both lines and the pick list asks for both SKUs.
      const waved = await waitForState(h.client, id, (s) => s.parcels.length === 1, MINUTES);
      const first = waved.parcels[0]!;
      expect(first.lineIds?.sort()).toEqual([`${tid}1`, `${tid}2`]);
      await waitForShipments(h.db, [first.parcelId]);
      const { wave_id: firstWave } = await h.db
        .selectFrom('shipments')
        .select('wave_id')
        .where('id', '=', first.parcelId)
        .executeTakeFirstOrThrow();

      // Before anyone picks, the buyer asks for line 2's refund.
      const asked = new Date();
      await onPlatform(shopId, trade, (o) => void (o.refund = refund('requested', [`${tid}2`])));
      await waitForStage(h.db, id, 'refund_lines_changed', MINUTES);

      // Line 2's pick is cancelled in the wave that held it: nobody picks the tea.
      const pickOf = async (waveId: string, sku: string) =>
        h.db
          .selectFrom('wms_pick_demands')
          .innerJoin('wms_pick_lines', 'wms_pick_lines.id', 'wms_pick_demands.pick_line_id')
          .select(['wms_pick_demands.qty', 'wms_pick_demands.cancelled', 'wms_pick_demands.picked'])
          .where('wms_pick_lines.wave_id', '=', waveId)
          .where('wms_pick_lines.sku_code', '=', sku)
          .where('wms_pick_demands.parcel_id', '=', first.parcelId)
          .execute();
      await expect
        .poll(() => pickOf(firstWave, SKU_B), { timeout: MINUTES })
        .toEqual([{ qty: 1, cancelled: 1, picked: 0 }]);
      // The parcel is taken apart whole (not trimmed in place): line 1's pick there is cancelled too.
      expect(await pickOf(firstWave, SKU_A)).toEqual([{ qty: 1, cancelled: 1, picked: 0 }]);
      await waveNow(id, asked);

      // The order packs without line 2: its parcel carries line 1 only; line 2's unit is free again.
      const without = await waitForState(
        h.client,
        id,
        (s) =>
          s.parcels.length === 1 &&
          s.awaitingWave.length === 0 &&
          s.parcels[0]!.lineIds?.join() === `${tid}1`,
        MINUTES,
      );
      expect(without.status).not.toBe('cancelled');
      const parcel = without.parcels[0]!;
      expect(parcel.parcelId).not.toBe(first.parcelId);
      await expect.poll(() => reserved(SKU_B), { timeout: MINUTES }).toBe(reservedB);
      await shipThroughWarehouse(id, parcel.parcelId);
      expect(await onHand(SKU_A)).toBe(onHandA - 1);
      expect(await onHand(SKU_B)).toBe(onHandB);
      await recordHistory(h.client, id, 'order-line-refund-in-wave-taken-apart');
    },
    6 * MINUTES,
  );

  it(
    'a refund requested on every line holds the order; the seller refusing it lets the whole order ship',
    async () => {
      const shopId = await connectedShop();
      const tid = `40${Date.now()}`;
      const trade = twoLineTrade(tid);
      trade.refund = refund('requested', [`${tid}1`, `${tid}2`]);
      const id = orderWorkflowId('taobao', shopId, tid);
      await onPlatform(shopId, trade);

      const held = await waitForState(
        h.client,
        id,
        (s) => s.waitingFor?.includes('refund') ?? false,
        MINUTES,
      );
      expect(held.status).not.toBe('cancelled');
      expect(held.parcels).toEqual([]);
      const stages = async () =>
        (await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).execute()).map(
          (e) => e.stage,
        );
      expect(await stages()).toContain('refund_hold');
      expect(await stages()).not.toContain('allocated');

      await onPlatform(shopId, trade, (o) => {
        o.refund = { ...o.refund!, status: 'refused', modifiedAt: new Date() };
      });
      await waveNow(id);
      const resumed = await waitForState(h.client, id, (s) => s.parcels.length === 1, MINUTES);
      expect(resumed.parcels[0]!.lineIds?.sort()).toEqual([`${tid}1`, `${tid}2`]);
      expect(resumed.refundStatus).toBe('refused');
      expect(await stages()).toEqual(expect.arrayContaining(['refund_hold_released', 'allocated']));
      await recordHistory(h.client, id, 'order-line-refund-refused');
    },
    3 * MINUTES,
  );

  it(
    'every line refunded ends the order and releases what it held',
    async () => {
      const shopId = await connectedShop();
      const tid = `41${Date.now()}`;
      const trade = twoLineTrade(tid);
      const id = orderWorkflowId('taobao', shopId, tid);
      const before = [await reserved(SKU_A), await reserved(SKU_B)];
      await onPlatform(shopId, trade);
      await waitForStage(h.db, id, 'allocated', MINUTES);

      await onPlatform(shopId, trade, (o) => void (o.refund = refund('refunded', [`${tid}1`, `${tid}2`])));
      await waitForOrderStatus(h.db, id, 'cancelled', MINUTES);
      const last = await h.db
        .selectFrom('order_events')
        .select(['stage', 'detail'])
        .where('order_id', '=', id)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(last.detail).toMatchObject({ outcome: 'refunded', refundStatus: 'refunded' });
      await expect
        .poll(async () => [await reserved(SKU_A), await reserved(SKU_B)], { timeout: MINUTES })
        .toEqual(before);
    },
    3 * MINUTES,
  );
});

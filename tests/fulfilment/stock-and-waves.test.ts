import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, createSku, orderPush, seedCatalog, TEST_SKU } from '../support/fixtures.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let ops: { authorization: string };
let wh: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({
    ...carriers.env,
    WAVE_WINDOW_SECONDS: '2',
    TRACKING_POLL_SECONDS: '1',
  });
  api = await h.api();
  await seedCatalog(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

const sku = (flags: string[] = [], weightG = 250) => createSku(h.db, flags, weightG);

function line(code: string, quantity = 1, lineId = '1') {
  return {
    lineId,
    platformSkuId: '',
    skuCode: code,
    title: code,
    quantity,
    unitPriceFen: 1_000,
    discountFen: 0,
  };
}

function paidFor(lines: ReturnType<typeof line>[], overrides: Partial<OrderPush> = {}): OrderPush {
  const goods = lines.reduce((n, l) => n + l.quantity * l.unitPriceFen, 0);
  return orderPush({
    lines,
    amounts: { goodsFen: goods, discountFen: 0, shippingFen: 0, paidFen: goods },
    ...overrides,
  });
}

async function submit(shopId: string, order: OrderPush, platform = 'taobao') {
  const res = await submitOrder(api, { platform, shopId, order }, ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId(platform as 'taobao', shopId, order.platformOrderId);
}

async function reserved(warehouse: string, code: string) {
  const row = await h.db
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', code)
    .executeTakeFirst();
  return row ?? { on_hand: 0, reserved: 0 };
}

/** Conditions over a burst of orders wait as long as the burst's work can take on a busy machine. */
const BURST_PATIENCE_MS = 10 * 60_000;

describe('stock reservation under concurrency', () => {
  it('80 concurrent orders for 20 units: exactly 20 reserved, the rest wait and resume oldest first', async () => {
    const code = await sku();
    const warehouse = await setupWarehouse(h.db, { stock: { [code]: 20 } });
    const shopId = await createShop(h.db, 'taobao');
    const ids = await Promise.all(Array.from({ length: 80 }, () => submit(shopId, paidFor([line(code)]))));

    await expect
      .poll(
        async () => {
          const rows = await h.db.selectFrom('orders').select('status').where('id', 'in', ids).execute();
          return rows.filter((r) => r.status === 'out_of_stock').length;
        },
        // Eighty orders through capture, audit and allocation at once (two hundred took over ten
        // minutes on a machine busy with a full suite, a dev stack and more: a benchmark's work,
        // which bench/ measures). The deadline scales with the work, the condition is the same.
        { interval: 500, timeout: BURST_PATIENCE_MS },
      )
      .toBe(60);
    expect(await reserved(warehouse, code)).toEqual({ on_hand: 20, reserved: 20 });

    const queue = (
      await h.db
        .selectFrom('stock_waits')
        .select(['order_id', 'seq'])
        .where('order_id', 'in', ids)
        .orderBy('seq')
        .execute()
    ).map((w) => w.order_id);
    expect(queue).toHaveLength(60);
    const receipt = await api.inject({
      method: 'POST',
      url: '/stock/receipts',
      headers: wh,
      payload: { warehouse, lines: [{ sku: code, qty: 12 }] },
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
    const firstTwelve = queue.slice(0, 12);
    await expect
      .poll(
        async () => {
          const rows = await h.db
            .selectFrom('order_events')
            .select('order_id')
            .where('order_id', 'in', ids)
            .where('stage', '=', 'stock_reserved')
            .execute();
          return rows.map((r) => r.order_id).sort();
        },
        { interval: 250, timeout: BURST_PATIENCE_MS },
      )
      .toEqual([...firstTwelve].sort());
    expect(await reserved(warehouse, code)).toEqual({ on_hand: 32, reserved: 32 });

    await api.inject({
      method: 'POST',
      url: '/stock/receipts',
      headers: wh,
      payload: { warehouse, lines: [{ sku: code, qty: 48 }] },
    });
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('order_events')
              .select('order_id')
              .where('order_id', 'in', ids)
              .where('stage', '=', 'stock_reserved')
              .execute()
          ).length,
        { interval: 250, timeout: BURST_PATIENCE_MS },
      )
      .toBe(60);
    expect(await reserved(warehouse, code)).toEqual({ on_hand: 80, reserved: 80 });
    const consistency = await api.inject({ method: 'GET', url: '/stock/consistency', headers: ops });
    expect(consistency.json()).toMatchObject({ mismatches: [] });
  });
});

describe('merge and split into parcels', () => {
  it('splits cold-chain goods from ordinary goods, and an order too heavy for one parcel (30 kg limit)', async () => {
    const cold = await sku(['cold_chain'], 500);
    const plain = await sku([], 500);
    const heavy = await sku([], 12_000);
    await setupWarehouse(h.db, {
      stock: { [cold]: 5, [plain]: 5, [heavy]: 5 },
      capabilities: ['cold_chain'],
    });
    const shopId = await createShop(h.db, 'taobao');
    const mixed = await submit(shopId, paidFor([line(cold, 1, '1'), line(plain, 1, '2')]));
    const split = await waitForState(h.client, mixed, (s) => s.parcels.length === 2);
    expect(new Set(split.parcels.map((p) => p.parcelId)).size).toBe(2);
    await waitForShipments(
      h.db,
      split.parcels.map((p) => p.parcelId),
    );
    const handlings = await h.db
      .selectFrom('shipments')
      .select('handling')
      .where(
        'id',
        'in',
        split.parcels.map((p) => p.parcelId),
      )
      .execute();
    expect(handlings.map((r) => r.handling).sort()).toEqual(['cold_chain', 'normal']);

    const tooHeavy = await submit(shopId, paidFor([line(heavy, 3)]));
    const byWeight = await waitForState(h.client, tooHeavy, (s) => s.parcels.length >= 2);
    const parcelIds = byWeight.parcels.map((p) => p.parcelId);
    await waitForShipments(h.db, parcelIds);
    const { weights } = await h.db
      .selectFrom('wms_pack_tasks')
      .select((eb) => eb.fn.agg<number[]>('array_agg', ['estimated_weight_g']).as('weights'))
      .where('parcel_id', 'in', parcelIds)
      .executeTakeFirstOrThrow();
    for (const w of weights) expect(w).toBeLessThanOrEqual(30_000);
  });

  it('splits an order across two warehouses when neither has all of it', async () => {
    const left = await sku();
    const right = await sku();
    const w1 = await setupWarehouse(h.db, { stock: { [left]: 3 } });
    const w2 = await setupWarehouse(h.db, { stock: { [right]: 3 } });
    const shopId = await createShop(h.db, 'taobao');
    const id = await submit(shopId, paidFor([line(left, 1, '1'), line(right, 1, '2')]));
    const state = await waitForState(h.client, id, (s) => s.parcels.length === 2);
    expect(state.parcels.map((p) => p.warehouse).sort()).toEqual([w1, w2].sort());
    const allocated = await h.db
      .selectFrom('order_events')
      .select('detail')
      .where('order_id', '=', id)
      .where('stage', '=', 'allocated')
      .executeTakeFirstOrThrow();
    expect(allocated.detail).toMatchObject({ plan: 'split' });
  });
});

describe('warehouse exceptions and cancellation', () => {
  it('a short pick takes the parcel apart, writes the units off and allocates the order again', async () => {
    const code = await sku();
    const warehouse = await setupWarehouse(h.db, { stock: { [code]: 3 } });
    const shopId = await createShop(h.db, 'taobao');
    const id = await submit(shopId, paidFor([line(code, 2)]));
    const first = await waitForState(h.client, id, (s) => s.parcels.length === 1);
    const parcelId = first.parcels[0]!.parcelId;
    await expect
      .poll(() => h.db.selectFrom('shipments').select('id').where('id', '=', parcelId).executeTakeFirst())
      .toBeTruthy();
    const { wave_id } = await h.db
      .selectFrom('shipments')
      .select('wave_id')
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    await workWave(api, wh, wave_id, { short: { line: 1, qty: 1 } });
    await waitForStage(h.db, id, 'parcel_cancelled');
    // One unit was missing from the shelf: written off; the order re-reserves 2 of the 2 left.
    await waitForState(h.client, id, (s) => s.parcels.some((p) => p.parcelId !== parcelId));
    const stages = (
      await h.db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.stage);
    expect(stages.filter((s) => s === 'allocated')).toHaveLength(2);
    expect(await reserved(warehouse, code)).toEqual({ on_hand: 2, reserved: 2 });
    const replenishment = await h.db
      .selectFrom('replenishment_requests')
      .selectAll()
      .where('sku_code', '=', code)
      .execute();
    expect(replenishment.length).toBeGreaterThan(0);
  });

  it.each([
    ['waiting for its wave', 'awaiting_wave'],
    ['picking', 'picking'],
    ['packed with a waybill', 'labelled'],
  ])('releases every reserved unit when the buyer cancels while %s', async (_name, until) => {
    const code = await sku();
    const warehouse = await setupWarehouse(h.db, { stock: { [code]: 5 } });
    const shopId = await createShop(h.db, 'taobao');
    await setupCarrierAccounts(h.db, shopId);
    const order = paidFor([line(code, 2)]);
    const id = await submit(shopId, order);
    let trackingNumber: string | null = null;
    if (until === 'awaiting_wave') {
      await waitForStage(h.db, id, 'allocated');
    } else {
      const state = await waitForState(h.client, id, (s) => s.parcels.length === 1);
      const parcelId = state.parcels[0]!.parcelId;
      await expect
        .poll(() => h.db.selectFrom('shipments').select('id').where('id', '=', parcelId).executeTakeFirst())
        .toBeTruthy();
      if (until === 'labelled') {
        const { wave_id } = await h.db
          .selectFrom('shipments')
          .select('wave_id')
          .where('id', '=', parcelId)
          .executeTakeFirstOrThrow();
        await workWave(api, wh, wave_id);
        await packParcel(api, wh, parcelId);
        const labelled = await waitForState(h.client, id, (s) => s.parcels[0]?.trackingNumber != null);
        trackingNumber = labelled.parcels[0]!.trackingNumber;
      }
    }
    expect((await reserved(warehouse, code)).reserved).toBe(2);
    await submit(shopId, { ...order, refundStatus: 'refunded', modifiedAt: new Date().toISOString() });
    await waitForOrderStatus(h.db, id, 'cancelled');
    expect(await reserved(warehouse, code)).toEqual({ on_hand: 5, reserved: 0 });
    if (trackingNumber)
      expect(carriers.sandbox.network.get(trackingNumber)?.cancelledAt).toBeInstanceOf(Date);
    const last = await h.db
      .selectFrom('order_events')
      .select('detail')
      .where('order_id', '=', id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.detail).toMatchObject({ outcome: 'refunded', releasedUnits: 2 });
  });

  it('a parcel already with the carrier is not stopped: the cancellation is recorded as too late', async () => {
    const code = await sku();
    await setupWarehouse(h.db, { stock: { [code]: 5 } });
    const shopId = await createShop(h.db, 'taobao');
    await setupCarrierAccounts(h.db, shopId);
    const order = paidFor([line(code)]);
    const id = await submit(shopId, order);
    const state = await waitForState(h.client, id, (s) => s.parcels.length === 1);
    const parcelId = state.parcels[0]!.parcelId;
    await expect
      .poll(() => h.db.selectFrom('shipments').select('id').where('id', '=', parcelId).executeTakeFirst())
      .toBeTruthy();
    const { wave_id } = await h.db
      .selectFrom('shipments')
      .select('wave_id')
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    await workWave(api, wh, wave_id);
    await packParcel(api, wh, parcelId);
    await waitForState(h.client, id, (s) => s.parcels[0]?.trackingNumber != null);
    await handOver(api, wh, parcelId);
    await waitForOrderStatus(h.db, id, 'shipped');
    await submit(shopId, { ...order, refundStatus: 'requested', modifiedAt: new Date().toISOString() });
    // Shipped orders keep going: the refund becomes an after-sales case, not an interception.
    const after = await waitForState(h.client, id, (s) => s.refundStatus === 'requested');
    expect(after.status).not.toBe('cancelled');
    expect(after.waitingFor).toBe('delivery');
    const stages = (
      await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).execute()
    ).map((e) => e.stage);
    expect(stages).not.toContain('cancelled');
    expect(carriers.sandbox.network.get(trackingNumberOf(after))?.cancelledAt).toBeUndefined();
  });
});

function trackingNumberOf(state: { parcels: Array<{ trackingNumber: string | null }> }): string {
  return state.parcels[0]!.trackingNumber!;
}

void TEST_SKU;

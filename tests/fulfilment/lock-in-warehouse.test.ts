import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import type { ShipmentStateView } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
  shipmentStages as stagesOf,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForShipmentState, waitForStage, waitForState } from '../support/waits.js';

// Customer service can lock an order after it reached the warehouse: its parcel may be picked
// and packed, but it gets no waybill and does not leave the dock until the order is unlocked.

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let ops: { authorization: string };
let wh: { authorization: string };
let cs: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' });
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  cs = bearer(await apiKeyFor(h.db, ['customer-service']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

async function newSku(): Promise<string> {
  const code = uniqueId('SKU');
  await h.db
    .insertInto('skus')
    .values({ code, name: code, weight_g: 300, length_mm: 200, width_mm: 150, height_mm: 50, flags: [] })
    .execute();
  return code;
}

/** A paid order for two units of one SKU, as the platform pushes it. */
function twoUnitsOf(sku: string, overrides: Partial<OrderPush> = {}): OrderPush {
  return orderPush({
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: sku,
        title: sku,
        quantity: 2,
        unitPriceFen: 1_000,
        discountFen: 0,
      },
    ],
    amounts: { goodsFen: 2_000, discountFen: 0, shippingFen: 0, paidFen: 2_000 },
    ...overrides,
  });
}

/** A paid order for one SKU in a stocked warehouse, until its parcel exists; returns the ids. */
async function orderInWarehouse(): Promise<{ id: string; parcelId: string; waveId: string; sku: string }> {
  const sku = await newSku();
  await setupWarehouse(h.db, { stock: { [sku]: 10 } });
  const shopId = await createShop(h.db, 'taobao');
  await setupCarrierAccounts(h.db, shopId);
  const order = twoUnitsOf(sku);
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, ops);
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('taobao', shopId, order.platformOrderId);
  const state = await waitForState(h.client, id, (s) => s.parcels.length === 1);
  const parcelId = state.parcels[0]!.parcelId;
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  return { id, parcelId, waveId: wave_id, sku };
}

async function post(url: string, auth: Record<string, string>, payload: Record<string, unknown>) {
  return api.inject({ method: 'POST', url, headers: auth, payload });
}

async function lock(id: string, reason: string) {
  const res = await post(`/orders/${encodeURIComponent(id)}/lock`, cs, { reason });
  expect(res.statusCode, res.body).toBe(200);
}

async function unlock(id: string) {
  const res = await post(`/orders/${encodeURIComponent(id)}/unlock`, cs, {});
  expect(res.statusCode, res.body).toBe(200);
}

const shipmentState = (parcelId: string, predicate: (s: ShipmentStateView) => boolean) =>
  waitForShipmentState(h.client, parcelId, predicate);

const shipmentStages = (parcelId: string) => stagesOf(h.db, parcelId);

describe('locking an order that is already in the warehouse', () => {
  it('holds its packed parcel before the waybill; unlocking issues it and the parcel ships', async () => {
    const { id, parcelId, waveId } = await orderInWarehouse();
    await lock(id, '买家来电要求改地址，先别发');
    await shipmentState(parcelId, (s) => s.lockedOrders.some((l) => l.orderId === id));

    await workWave(api, wh, waveId);
    await packParcel(api, wh, parcelId);
    const held = await shipmentState(parcelId, (s) => s.waitingFor?.startsWith('unlock') ?? false);
    expect(held).toMatchObject({ stage: 'packed', trackingNumber: null, carrier: null });
    expect(held.waitingFor).toContain('买家来电要求改地址');
    expect(await shipmentStages(parcelId)).toContain('held_for_lock');
    const order = await waitForState(h.client, id, (s) => s.waitingFor?.startsWith('unlock') ?? false);
    expect(order.status).toBe('packed');
    const row = await h.db
      .selectFrom('shipments')
      .select(['tracking_number', 'carrier'])
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ tracking_number: null, carrier: null });

    await unlock(id);
    const labelled = await shipmentState(parcelId, (s) => s.trackingNumber !== null);
    expect(labelled.lockedOrders).toEqual([]);
    await handOver(api, wh, parcelId);
    await waitForOrderStatus(h.db, id, 'shipped');
    const stages = await shipmentStages(parcelId);
    expect(stages.indexOf('lock_released')).toBeGreaterThan(stages.indexOf('held_for_lock'));
    expect(stages.indexOf('labelled')).toBeGreaterThan(stages.indexOf('lock_released'));
    carriers.sandbox.network.finish(labelled.trackingNumber!);
    await waitForOrderStatus(h.db, id, 'completed');
    await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-held-for-lock');
    await recordHistory(h.client, id, 'order-locked-in-warehouse');
  });

  it('refuses the handover of a labelled parcel while its order is locked, naming the order', async () => {
    const { id, parcelId, waveId } = await orderInWarehouse();
    await workWave(api, wh, waveId);
    await packParcel(api, wh, parcelId);
    await shipmentState(parcelId, (s) => s.trackingNumber !== null);

    await lock(id, '疑似欺诈，等风控');
    await shipmentState(parcelId, (s) => s.lockedOrders.length === 1);
    const refused = await post('/wms/handovers', wh, { parcelId });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain(id);
    expect(refused.json().message).toContain('疑似欺诈');
    const still = await waitForState(h.client, id, (s) => s.waitingFor?.startsWith('unlock') ?? false);
    expect(still.status).toBe('packed');

    await unlock(id);
    await shipmentState(parcelId, (s) => s.lockedOrders.length === 0);
    await handOver(api, wh, parcelId);
    await waitForOrderStatus(h.db, id, 'shipped');
  });

  it('a platform cancellation while the parcel waits for the unlock takes it apart and frees the stock', async () => {
    const { id, parcelId, waveId, sku } = await orderInWarehouse();
    await lock(id, '等买家确认');
    await workWave(api, wh, waveId);
    await packParcel(api, wh, parcelId);
    await shipmentState(parcelId, (s) => s.waitingFor?.startsWith('unlock') ?? false);

    const { shop_id, platform_order_id } = await h.db
      .selectFrom('orders')
      .select(['shop_id', 'platform_order_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const order = twoUnitsOf(sku, {
      platformOrderId: platform_order_id,
      status: 'cancelled',
      modifiedAt: new Date(Date.now() + 1_000).toISOString(),
    });
    const res = await submitOrder(api, { platform: 'taobao', shopId: shop_id, order }, ops);
    expect(res.statusCode, res.body).toBe(202);
    await waitForOrderStatus(h.db, id, 'cancelled');
    await waitForStage(h.db, id, 'cancelled');
    const done = await shipmentState(parcelId, (s) => s.stage === 'cancelled');
    expect(done.trackingNumber).toBeNull();
    const stock = await h.db
      .selectFrom('stock')
      .select(['on_hand', 'reserved'])
      .where('sku_code', '=', sku)
      .executeTakeFirstOrThrow();
    expect(stock.reserved).toBe(0);
  });
});

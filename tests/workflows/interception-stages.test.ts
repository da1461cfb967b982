import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';

// A buyer's refund request or a platform cancellation stops the order wherever it waits — here the
// waits the other suites do not interrupt: unpaid, out of stock, and held for an unmapped SKU.

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let ops: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  shopId = await createShop(h.db, 'taobao', { unpaidCancelSeconds: 600, holdSlaSeconds: 600 });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function newSku(): Promise<string> {
  const code = uniqueId('SKU');
  await h.db
    .insertInto('skus')
    .values({ code, name: code, weight_g: 300, length_mm: 200, width_mm: 150, height_mm: 50, flags: [] })
    .execute();
  return code;
}

function oneOf(skuCode: string, overrides: Partial<OrderPush> = {}): OrderPush {
  return orderPush({
    lines: [
      {
        lineId: '1',
        platformSkuId: uniqueId('P'),
        skuCode,
        title: skuCode,
        quantity: 3,
        unitPriceFen: 1_000,
        discountFen: 0,
      },
    ],
    amounts: { goodsFen: 3_000, discountFen: 0, shippingFen: 0, paidFen: 3_000 },
    ...overrides,
  });
}

async function push(order: OrderPush): Promise<string> {
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, order.platformOrderId);
}

/** The platform's newer snapshot of the order: the buyer was refunded (its one line), or it was cancelled. */
function later(order: OrderPush, change: 'refund' | 'cancel'): OrderPush {
  return {
    ...order,
    ...(change === 'refund' ? { refundStatus: 'refunded' } : { status: 'cancelled' }),
    modifiedAt: new Date().toISOString(),
  };
}

async function lastEvent(id: string) {
  return h.db
    .selectFrom('order_events')
    .select(['stage', 'detail'])
    .where('order_id', '=', id)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
}

describe('interception at the waits', () => {
  it('a refund of every line before payment cancels the unpaid order at once, not at its unpaid timer', async () => {
    const sku = await newSku();
    const order = oneOf(sku, {
      status: 'awaiting_payment',
      amounts: { goodsFen: 3_000, discountFen: 0, shippingFen: 0, paidFen: 0 },
    });
    delete order.paidAt;
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'awaiting_payment');
    await push(later(order, 'refund'));
    await waitForOrderStatus(h.db, id, 'cancelled');
    const last = await lastEvent(id);
    expect(last.stage).toBe('cancelled');
    expect(last.detail).toMatchObject({ outcome: 'refunded', stoppedDuring: 'awaiting_payment' });
  });

  it('an order waiting for stock leaves the queue when cancelled: arriving stock serves the next order', async () => {
    const sku = await newSku();
    const warehouse = await setupWarehouse(h.db, { stock: { [sku]: 0 } });
    const first = oneOf(sku, { createdAt: new Date(Date.now() - 120_000).toISOString() });
    const firstId = await push(first);
    await waitForOrderStatus(h.db, firstId, 'out_of_stock');
    const secondId = await push(oneOf(sku));
    await waitForOrderStatus(h.db, secondId, 'out_of_stock');

    await push(later(first, 'cancel'));
    await waitForOrderStatus(h.db, firstId, 'cancelled');
    expect((await lastEvent(firstId)).detail).toMatchObject({
      outcome: 'cancelled_on_platform',
      stoppedDuring: 'out_of_stock',
      releasedUnits: 0,
    });
    const waiting = await h.db
      .selectFrom('stock_waits')
      .select('order_id')
      .where('order_id', '=', firstId)
      .execute();
    expect(waiting).toEqual([]);

    // Three units arrive: exactly enough for one order, and the cancelled one no longer queues.
    const receipt = await api.inject({
      method: 'POST',
      url: '/stock/receipts',
      headers: bearer(await apiKeyFor(h.db, ['warehouse'])),
      payload: { key: uniqueId('receipt'), warehouse, kind: 'purchase', lines: [{ sku, qty: 3 }] },
    });
    expect(receipt.statusCode, receipt.body).toBeLessThan(300);
    await waitForOrderStatus(h.db, secondId, 'awaiting_wave');
    const stock = await h.db
      .selectFrom('stock')
      .select(['on_hand', 'reserved'])
      .where('warehouse_code', '=', warehouse)
      .where('sku_code', '=', sku)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ on_hand: 3, reserved: 3 });
  });

  it('an order held for an unmapped SKU is stopped by its refund, its hold closed as intercepted', async () => {
    const order = oneOf(uniqueId('NO-SUCH-SKU'));
    const id = await push(order);
    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds.map((hold) => hold.reason)).toContain('unmapped_sku');
    await push(later(order, 'refund'));
    await waitForOrderStatus(h.db, id, 'cancelled');
    expect((await lastEvent(id)).detail).toMatchObject({
      outcome: 'refunded',
      stoppedDuring: 'held',
    });
    const holds = await h.db
      .selectFrom('order_holds')
      .select(['reason', 'decision'])
      .where('order_id', '=', id)
      .execute();
    expect(holds).toEqual([expect.objectContaining({ reason: 'unmapped_sku', decision: 'intercepted' })]);
  });
});

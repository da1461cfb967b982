import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, TEST_SKU } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { line, timelineWriter } from './support.js';

/**
 * Sales reports on a small dataset whose figures are known by hand: two shops (one selling in USD,
 * converted at a recorded rate), an order paid just after midnight China time, a line refunded the
 * next China day, a split order shipped in two parcels, an unpaid order cancelled, and events
 * written twice (as a retried activity writes them).
 */
let h: Harness;
let app: FastifyInstance;
let finance: string;
let taobao: string;
let shopee: string;
let orderOne: string;

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  finance = await apiKeyFor(h.db, ['finance']);
  taobao = await createShop(h.db, 'taobao');
  shopee = await createShop(h.db, 'shopee');
  const w = timelineWriter(h);

  // 2026-11-11 00:30 in Shanghai (still 11-10 in UTC): 2×A (¥99, ¥20 off) + 1×B ¥50 + ¥10 postage.
  const one = await w.place('taobao', taobao, {
    buyer: 'b1',
    createdAt: '2026-11-10T16:20:00Z',
    paidAt: '2026-11-10T16:30:00Z',
    lines: [line('1', 'SKU-A', 2, 9_900, 2_000), line('2', 'SKU-B', 1, 5_000)],
    shippingFen: 1_000,
  });
  orderOne = one.orderId;
  // Split into two parcels: two shipped events, one shipped order.
  await one.step('shipped', 'partially_shipped', '2026-11-11T03:00:00Z', { parcelId: 'p1' });
  await one.step('shipped', 'shipped', '2026-11-11T04:00:00Z', { parcelId: 'p2' });
  // Line 2 refunded on the platform at 00:10 on 11-12 in Shanghai (16:10 UTC on 11-11).
  const refunded = {
    refundStatus: 'partial',
    lines: [
      { lineId: '1', refundStatus: 'none' },
      { lineId: '2', refundStatus: 'refunded' },
    ],
  };
  await one.step('refund_lines_changed', 'shipped', '2026-11-11T16:10:00Z', refunded);
  // The platform reports the same refund again later: it is not counted twice.
  await one.step('refund_lines_changed', 'shipped', '2026-11-12T02:00:00Z', refunded);
  await one.step('completed', 'completed', '2026-11-12T05:00:00Z', { outcome: 'delivered' });

  // Same buyer again on 11-11 at 18:00 Shanghai: one buyer, two orders.
  const two = await w.place('taobao', taobao, {
    buyer: 'b1',
    createdAt: '2026-11-11T09:00:00Z',
    paidAt: '2026-11-11T10:00:00Z',
    lines: [line('1', 'SKU-A', 1, 9_900)],
  });
  // The payment event written again by a retried activity (same sequence number).
  await two.again(2, 'payment_confirmed', '2026-11-11T10:00:00Z');

  // Shopee in USD converted at intake (2 × $10.00 at 7.1 = ¥142.00), paid 23:59 on 11-11 in Shanghai.
  await w.place('shopee', shopee, {
    buyer: 'b2',
    createdAt: '2026-11-11T15:00:00Z',
    paidAt: '2026-11-11T15:59:00Z',
    lines: [line('1', 'SKU-B', 2, 7_100)],
    fx: {
      originalCurrency: 'USD',
      rate: '7.1',
      rateDate: '2026-11-11T00:00:00Z',
      originalAmounts: { goodsFen: 2_000, discountFen: 0, shippingFen: 0, paidFen: 2_000 },
    },
  });

  // Placed on 11-11, never paid, cancelled on the shop's timer.
  const unpaid = await w.place('taobao', taobao, {
    buyer: 'b3',
    createdAt: '2026-11-11T05:00:00Z',
    lines: [line('1', 'SKU-C', 1, 3_000)],
  });
  await unpaid.step('cancelled', 'cancelled', '2026-11-11T06:00:00Z', { outcome: 'unpaid_timeout' });

  // Paid on 11-12 and cancelled by the platform the same day: everything it paid goes back.
  const cancelled = await w.place('taobao', taobao, {
    buyer: 'b4',
    createdAt: '2026-11-12T01:00:00Z',
    paidAt: '2026-11-12T01:05:00Z',
    lines: [line('1', 'SKU-C', 3, 3_000)],
    shippingFen: 800,
  });
  await cancelled.step('cancelled', 'cancelled', '2026-11-12T02:00:00Z', {
    outcome: 'cancelled_on_platform',
  });

  // Four SKU kinds in stock (the denominator of 动销率).
  const skus = ['SKU-A', 'SKU-B', 'SKU-C', 'SKU-D'];
  await h.db
    .insertInto('skus')
    .values(skus.map((code) => ({ ...TEST_SKU, code, name: code })))
    .execute();
  await h.db
    .insertInto('warehouses')
    .values({ code: 'WH-R', name: 'WH-R', province: '浙江省', coverage: '[]' })
    .execute();
  await h.db
    .insertInto('stock')
    .values(skus.map((sku_code) => ({ warehouse_code: 'WH-R', sku_code, on_hand: 5 })))
    .execute();
});
afterAll(() => h.teardown());

async function sales(query: string) {
  const res = await app.inject({ method: 'GET', url: `/reports/sales?${query}`, headers: bearer(finance) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('sales facts from the order timeline', () => {
  it('records an order paid, refunded, shipped and delivered as facts on their China days', async () => {
    const facts = await h.db
      .selectFrom('sales_facts')
      .select(['kind', 'line_id', 'sku_code', 'quantity', 'amount_fen', sql<string>`day::text`.as('day')])
      .where('order_id', '=', orderOne)
      .orderBy('id')
      .execute();
    expect(facts.map((f) => [f.kind, f.line_id, f.sku_code, f.quantity, f.amount_fen, f.day])).toEqual([
      ['placed', null, '', 0, 23_800, '2026-11-11'],
      ['paid', '1', 'SKU-A', 2, 17_800, '2026-11-11'],
      ['paid', '2', 'SKU-B', 1, 5_000, '2026-11-11'],
      ['paid', null, '', 0, 1_000, '2026-11-11'],
      ['shipped', null, '', 0, 0, '2026-11-11'],
      ['refund', '2', 'SKU-B', 1, 5_000, '2026-11-12'],
      ['delivered', null, '', 0, 0, '2026-11-12'],
    ]);
  });

  it('keeps the facts append-only', async () => {
    await expect(h.db.deleteFrom('sales_facts').where('order_id', '=', orderOne).execute()).rejects.toThrow(
      /append-only/,
    );
  });

  it('keeps the buyer’s currency and the rate the order was converted at', async () => {
    const usd = await h.db
      .selectFrom('sales_facts')
      .select(['currency', 'fx_rate', 'amount_fen'])
      .where('shop_id', '=', shopee)
      .where('kind', '=', 'paid')
      .where('sku_code', '=', 'SKU-B')
      .executeTakeFirstOrThrow();
    expect(usd).toEqual({ currency: 'USD', fx_rate: 7.1, amount_fen: 14_200 });
  });
});

describe('GET /reports/sales', () => {
  it('answers the figures of Double 11 in China time, with the day before to compare', async () => {
    const r = await sales('from=2026-11-11&to=2026-11-11&top=5');
    expect(r.totals).toEqual({
      placedOrders: 4,
      gmvFen: 23_800 + 9_900 + 14_200 + 3_000,
      paidOrders: 3,
      payingBuyers: 2,
      paidFen: 47_900,
      refundFen: 0,
      netSalesFen: 47_900,
      aovFen: 23_950,
      units: 6,
      unitsPerOrder: 2,
      refundedUnits: 0,
      cancelledOrders: 1,
      shippedOrders: 1,
      deliveredOrders: 0,
      skusSold: 2,
    });
    expect(r.previousPeriod).toEqual({ from: '2026-11-10', to: '2026-11-10' });
    // A whole month's buyers are counted exactly as a day's: b1 (two orders on 11-11), b2 and b4
    // (paid on 11-12, then cancelled: still a buyer who paid), each once; 客单价 divides by them.
    const november = await sales('from=2026-11-01&to=2026-11-30');
    expect(november.totals.payingBuyers).toBe(3);
    expect(november.totals.aovFen).toBe(Math.round(november.totals.paidFen / 3));
    expect(r.previous.paidOrders).toBe(0);
    expect(r.change.paidFen).toBeNull();
    expect(r.topSkus).toEqual([
      { skuCode: 'SKU-A', paidLines: 2, units: 3, paidFen: 27_700, refundFen: 0, refundedUnits: 0 },
      { skuCode: 'SKU-B', paidLines: 2, units: 3, paidFen: 19_200, refundFen: 0, refundedUnits: 0 },
    ]);
    // 动销率: 2 SKUs sold of the 4 in stock.
    expect(r.sellThrough).toEqual({ skusSold: 2, skusInStock: 4, rate: 0.5 });
    expect(r.conversion.visitors).toBeNull();
    expect(r.conversion.unknownReason).toMatch(/no visitor figures for 2 shop-days/);
    expect(r.conversion.missingShopDays).toBe(2);
  });

  it('counts a SKU sold out since it sold as in stock for 动销率, which never exceeds 100 %', async () => {
    // SKU-A and SKU-B sold on Double 11 and are sold out now; SKU-C and SKU-D are on the shelf.
    await h.db.updateTable('stock').set({ on_hand: 0 }).where('sku_code', 'in', ['SKU-A', 'SKU-B']).execute();
    try {
      const r = await sales('from=2026-11-11&to=2026-11-11');
      expect(r.sellThrough).toEqual({ skusSold: 2, skusInStock: 4, rate: 0.5 });
      // A day that sold nothing counts only what is on the shelf.
      const quiet = await sales('from=2026-11-10&to=2026-11-10');
      expect(quiet.sellThrough).toEqual({ skusSold: 0, skusInStock: 2, rate: 0 });
    } finally {
      await h.db.updateTable('stock').set({ on_hand: 5 }).execute();
    }
  });

  it('counts refunds on the day they happen, and compares with the previous period', async () => {
    const r = await sales('from=2026-11-12&to=2026-11-12');
    // 11-12: order five paid ¥98 (3 × ¥30 + ¥8 postage) and cancelled; line 2 of order one refunded.
    expect(r.totals).toMatchObject({
      paidOrders: 1,
      payingBuyers: 1,
      paidFen: 9_800,
      refundFen: 5_000 + 9_800,
      netSalesFen: 9_800 - 14_800,
      units: 3,
      refundedUnits: 4,
      cancelledOrders: 1,
      deliveredOrders: 1,
    });
    expect(r.previous.paidFen).toBe(47_900);
    expect(r.change.paidFen).toBeCloseTo((9_800 - 47_900) / 47_900, 4);
  });

  it('series by day and filters by shop', async () => {
    const r = await sales(`from=2026-11-10&to=2026-11-12&granularity=day&shopId=${shopee}`);
    expect(r.series.map((s: { bucket: string; paidFen: number }) => [s.bucket, s.paidFen])).toEqual([
      ['2026-11-11', 14_200],
    ]);
    expect(r.totals.payingBuyers).toBe(1);
    const month = await sales('from=2026-11-01&to=2026-11-30&granularity=month');
    expect(month.series).toHaveLength(1);
    expect(month.series[0].bucket).toBe('2026-11-01');
    expect(month.series[0].netSalesFen).toBe(47_900 + 9_800 - 14_800);
    expect(month.series[0].payingBuyers).toBe(3);
  });

  it('computes conversion once visitors are uploaded for every shop-day', async () => {
    const csv = `shop_id,day,visitors,page_views\n${taobao},2026-11-11,40,100\n${shopee},2026-11-11,10,\n`;
    const ops = await apiKeyFor(h.db, ['ops']);
    const up = await app.inject({
      method: 'PUT',
      url: '/reports/traffic',
      headers: { ...bearer(ops), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toEqual({ stored: 2 });
    const r = await sales('from=2026-11-11&to=2026-11-11');
    expect(r.conversion).toMatchObject({ visitors: 50, missingShopDays: 0, rate: 0.04, unknownReason: null });
    const bad = await app.inject({
      method: 'PUT',
      url: '/reports/traffic',
      headers: { ...bearer(ops), 'content-type': 'text/csv' },
      payload: `shop_id,day,visitors\n${taobao},2026-13-01,5\n`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/body\.2/);
  });

  it('refuses a period that ends before it starts, and roles without reports', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/reports/sales?from=2026-11-12&to=2026-11-11',
      headers: bearer(finance),
    });
    expect(res.statusCode).toBe(400);
    const warehouse = await apiKeyFor(h.db, ['warehouse']);
    const denied = await app.inject({
      method: 'GET',
      url: '/reports/sales?from=2026-11-11&to=2026-11-11',
      headers: bearer(warehouse),
    });
    expect(denied.statusCode).toBe(403);
  });
});

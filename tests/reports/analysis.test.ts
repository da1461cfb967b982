import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { line, timelineWriter } from './support.js';

/**
 * Basket analysis on planted associations (20 orders on 2026-03-03: 8 × {A, B}, 2 × {A}, 4 × {B, C},
 * 6 × {D}) and process efficiency on two orders whose stage times are known to the second.
 */
let h: Harness;
let app: FastifyInstance;
let ops: string;
let basketShop: string;
let flowShop: string;

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  ops = await apiKeyFor(h.db, ['ops']);
  basketShop = await createShop(h.db, 'jd');
  flowShop = await createShop(h.db, 'pdd');
  const w = timelineWriter(h);

  const planted: Array<[number, string[]]> = [
    [8, ['A', 'B']],
    [2, ['A']],
    [4, ['B', 'C']],
    [6, ['D']],
  ];
  let n = 0;
  for (const [times, skus] of planted) {
    for (let i = 0; i < times; i += 1) {
      n += 1;
      const at = `2026-03-03T0${n % 10}:00:00Z`;
      await w.place('jd', basketShop, {
        buyer: `buyer-${n}`,
        createdAt: at,
        paidAt: at,
        lines: skus.map((sku, j) => line(String(j + 1), sku, 1, 1_000)),
      });
    }
  }

  // Order X runs to delivery; order Y waits at the dock. Times in UTC on 2026-03-04 (paid 18:00 China time).
  const t = (hhmm: string, day = '04') => `2026-03-${day}T${hhmm}:00Z`;
  const x = await w.place('pdd', flowShop, {
    buyer: 'x',
    createdAt: t('09:55'),
    paidAt: t('10:00'),
    lines: [line('1', 'A', 1, 1_000)],
  });
  await x.step('audit_passed', 'allocating', t('10:10'));
  await x.step('stock_reserved', 'awaiting_wave', t('10:20'), { warehouses: ['WH-E1'] });
  await x.step('parcel_assigned', 'picking', t('11:20'), { warehouse: 'WH-E1' });
  await x.step('picked', 'picking', t('11:30'));
  await x.step('packed', 'packed', t('11:35'));
  await x.step('shipped', 'shipped', t('12:35'), { carrier: 'SF' });
  await x.step('in_transit', 'shipped', t('14:35'));
  await x.step('completed', 'completed', t('14:35', '05'), { outcome: 'delivered' });

  const y = await w.place('pdd', flowShop, {
    buyer: 'y',
    createdAt: t('09:55'),
    paidAt: t('10:00'),
    lines: [line('1', 'B', 1, 1_000)],
  });
  await y.step('audit_passed', 'allocating', t('12:00'));
  await y.step('stock_reserved', 'awaiting_wave', t('12:10'), { warehouses: ['WH-E2'] });
  await y.step('parcel_assigned', 'picking', t('13:10'), { warehouse: 'WH-E2' });
  await y.step('picked', 'picking', t('13:20'));
  await y.step('packed', 'packed', t('13:25'));
  await h.db
    .insertInto('order_holds')
    .values({
      order_id: y.orderId,
      hold_key: 'buyer_remark:1',
      reason: 'buyer_remark',
      stage: 1,
      cleared_by_role: 'customer-service',
      detail: '',
      opened_at: t('10:00'),
      cleared_at: t('12:00'),
    })
    .execute();
});
afterAll(() => h.teardown());

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url, headers: bearer(ops) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('basket analysis', () => {
  it('finds the planted pairs with their support, confidence and lift', async () => {
    const r = await get(`/reports/basket?from=2026-03-03&to=2026-03-03&shopId=${basketShop}`);
    expect(r.orders).toBe(20);
    expect(r.rules).toEqual([
      {
        antecedent: 'A',
        consequent: 'B',
        orders: 8,
        support: 0.4,
        confidence: 0.8,
        lift: 1.3333,
        antecedentOrders: 10,
        consequentOrders: 12,
      },
      {
        antecedent: 'B',
        consequent: 'A',
        orders: 8,
        support: 0.4,
        confidence: 0.6667,
        lift: 1.3333,
        antecedentOrders: 12,
        consequentOrders: 10,
      },
      {
        antecedent: 'B',
        consequent: 'C',
        orders: 4,
        support: 0.2,
        confidence: 0.3333,
        lift: 1.6667,
        antecedentOrders: 12,
        consequentOrders: 4,
      },
      {
        antecedent: 'C',
        consequent: 'B',
        orders: 4,
        support: 0.2,
        confidence: 1,
        lift: 1.6667,
        antecedentOrders: 4,
        consequentOrders: 12,
      },
    ]);
    // Lift ≥ 1.5 by default: only B + C is bought together clearly more than chance.
    expect(r.bundles.map((b: { skus: string[] }) => b.skus)).toEqual([['B', 'C']]);
    expect(r.bundles[0]).toMatchObject({
      antecedent: ['C'],
      consequent: 'B',
      because: '100% of the orders with C also hold B (1.6667× chance)',
    });
  });

  it('keeps pairs above the minimum support only, and lowers the bundle bar on request', async () => {
    const strict = await get(
      `/reports/basket?from=2026-03-03&to=2026-03-03&shopId=${basketShop}&minSupport=0.3`,
    );
    expect(strict.rules.map((r: { antecedent: string }) => r.antecedent)).toEqual(['A', 'B']);
    const loose = await get(`/reports/basket?from=2026-03-03&to=2026-03-03&shopId=${basketShop}&minLift=1.2`);
    expect(loose.bundles.map((b: { skus: string[] }) => b.skus.join('+'))).toEqual(['A+B', 'B+C']);
  });

  it('answers "bought B, also bought", most confident first', async () => {
    const r = await get(
      `/reports/basket/also-bought?from=2026-03-03&to=2026-03-03&shopId=${basketShop}&sku=B`,
    );
    expect(
      r.rules.map((x: { consequent: string; confidence: number }) => [x.consequent, x.confidence]),
    ).toEqual([
      ['A', 0.6667],
      ['C', 0.3333],
    ]);
  });
});

describe('process efficiency', () => {
  it('gives each stage’s percentiles, what waits now, the bottleneck and the ship rates', async () => {
    const r = await get(`/reports/efficiency?from=2026-03-04&to=2026-03-04&shopId=${flowShop}`);
    const stage = (name: string) => r.stages.find((s: { stage: string }) => s.stage === name);
    expect(stage('audit')).toMatchObject({
      orders: 2,
      p50Seconds: 3_900,
      p90Seconds: 6_540,
      avgSeconds: 3_900,
    });
    expect(stage('wave')).toMatchObject({ orders: 2, p50Seconds: 3_600, p99Seconds: 3_600 });
    expect(stage('handover')).toMatchObject({ orders: 1, p50Seconds: 3_600, waitingNow: 1 });
    expect(stage('carrier_pickup')).toMatchObject({ orders: 1, p50Seconds: 7_200 });
    expect(stage('delivery')).toMatchObject({ orders: 1, p50Seconds: 86_400 });
    expect(r.bottleneck).toEqual({
      stage: 'delivery',
      p90Seconds: 86_400,
      previousP90Seconds: null,
      trend: 'new',
    });
    expect(r.shipping).toEqual({
      paidOrders: 2,
      shippedWithin24h: 1,
      shippedWithin48h: 1,
      rate24h: 0.5,
      rate48h: 0.5,
      payToShipP50Seconds: 9_300,
    });
    expect(r.holds).toEqual([
      { reason: 'buyer_remark', holds: 1, open: 0, p50Seconds: 7_200, p90Seconds: 7_200 },
    ]);
  });

  it('splits the stages by warehouse and by carrier', async () => {
    const r = await get(`/reports/efficiency?from=2026-03-04&to=2026-03-04&shopId=${flowShop}&by=warehouse`);
    const audit = r.stages.filter((s: { stage: string }) => s.stage === 'audit');
    expect(audit.map((s: { key: string; p50Seconds: number }) => [s.key, s.p50Seconds])).toEqual([
      ['WH-E1', 600],
      ['WH-E2', 7_200],
    ]);
    const carriers = await get(
      `/reports/efficiency?from=2026-03-04&to=2026-03-04&shopId=${flowShop}&by=carrier`,
    );
    const handover = carriers.stages.filter((s: { stage: string }) => s.stage === 'handover');
    expect(handover.map((s: { key: string | null; orders: number }) => [s.key, s.orders])).toEqual([
      [null, 0],
      ['SF', 1],
    ]);
  });
});

describe('CSV export', () => {
  const csv = async (query: string, key = ops) => {
    const res = await app.inject({ method: 'GET', url: `/reports/export?${query}`, headers: bearer(key) });
    return res;
  };

  it('exports the basket pairs and bundles as the report shows them, for spreadsheets', async () => {
    const res = await csv(`report=basket&table=rules&from=2026-03-03&to=2026-03-03&shopId=${basketShop}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="basket-rules-2026-03-03_2026-03-03.csv"',
    );
    expect(res.body).toBe(
      '\uFEFF' +
        [
          'antecedent,consequent,orders,support,confidence,lift,antecedentOrders,consequentOrders',
          'A,B,8,0.4,0.8,1.3333,10,12',
          'B,A,8,0.4,0.6667,1.3333,12,10',
          'B,C,4,0.2,0.3333,1.6667,12,4',
          'C,B,4,0.2,1,1.6667,4,12',
          '',
        ].join('\r\n'),
    );
    const bundles = await csv(
      `report=basket&table=bundles&from=2026-03-03&to=2026-03-03&shopId=${basketShop}`,
    );
    expect(bundles.body.split('\r\n').slice(0, 2)).toEqual([
      '\uFEFFskus,orders,support,confidence,lift,antecedent,consequent,because',
      'B + C,4,0.2,1,1.6667,C,B,100% of the orders with C also hold B (1.6667× chance)',
    ]);
    // In Excel, with Chinese headings, the reason reads in Chinese too.
    const workbook = new ExcelJS.Workbook();
    const xlsx = await csv(
      `report=basket&table=bundles&format=xlsx&from=2026-03-03&to=2026-03-03&shopId=${basketShop}`,
    );
    await workbook.xlsx.load(xlsx.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['SKU组合', '理由']));
    expect(sheet.getRow(2).values).toEqual(
      expect.arrayContaining(['B + C', 4, '买了 C 的订单中 100% 也买了 B（是平均的 1.6667 倍）']),
    );
  });

  it('exports the efficiency tables and names the tables a report has', async () => {
    const res = await csv(`report=efficiency&table=holds&from=2026-03-04&to=2026-03-04&shopId=${flowShop}`);
    expect(res.body).toBe('\uFEFFreason,holds,open,p50Seconds,p90Seconds\r\nbuyer_remark,1,0,7200,7200\r\n');
    const shipping = await csv(
      `report=efficiency&table=shipping&from=2026-03-04&to=2026-03-04&shopId=${flowShop}`,
    );
    expect(shipping.body.split('\r\n')[1]).toBe('2,1,1,0.5,0.5,9300');
    const wrong = await csv(`report=basket&table=stages&from=2026-03-04&to=2026-03-04`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues).toEqual([
      { field: 'query.table', problem: 'must be one of rules, bundles for basket' },
    ]);
  });

  it('is for the roles that read reports', async () => {
    const reviewer = await apiKeyFor(h.db, ['reviewer']);
    const res = await csv(`report=sales&table=totals&from=2026-03-04&to=2026-03-04`, reviewer);
    expect(res.statusCode).toBe(403);
  });
});

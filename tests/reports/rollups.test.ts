import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { backfillSalesRollups } from '../../db/migrations/0954_sales_rollups.js';
import {
  salesSeries,
  salesTotals,
  topSkus,
  type SalesFigures,
  type SalesFilter,
} from '../../db/queries/reports/sales.js';
import type { Platform } from '../../domain/platforms.js';
import type { Granularity } from '../../domain/reports/period.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { generateOrders } from './generated.js';

/**
 * The reports read rollups kept on write; these tests hold them to the answer the facts give, on a
 * generated fortnight of orders written through the order projection: repeat buyers across days and
 * shops, orders paid around Beijing midnight, line refunds and cancellations on later days, a shop
 * selling in USD and one in SGD (converted at their rates), and a user limited to two shops.
 */
let h: Harness;
let app: FastifyInstance;
let shops: string[];
let limited: { authorization: string };

const FROM = '2026-11-01';
const TO = '2026-11-16';

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  const platforms: Platform[] = ['taobao', 'taobao', 'jd', 'shopee', 'amazon'];
  const created = [];
  for (const platform of platforms) created.push({ id: await createShop(h.db, platform), platform });
  shops = created.map((s) => s.id);
  await generateOrders(h, created, { orders: 80, from: FROM, days: 12, seed: 2026 });
  const admin = bearer(await apiKeyFor(h.db, ['admin']));
  const user = await app.inject({
    method: 'POST',
    url: '/auth/users',
    headers: admin,
    payload: { username: 'finance-two-shops', roles: ['finance'], shops: [shops[0], shops[3]] },
  });
  expect(user.statusCode, user.body).toBe(201);
  const key = await app.inject({
    method: 'POST',
    url: '/auth/api-keys',
    headers: admin,
    payload: { username: 'finance-two-shops', name: 'reports' },
  });
  expect(key.statusCode, key.body).toBe(201);
  limited = bearer(key.json().key);
});
afterAll(() => h.teardown());

/** The figures straight from the facts, per bucket ('' for the whole period): what the rollups must give. */
async function factFigures(
  db: Db,
  f: SalesFilter,
  granularity: Granularity | null,
): Promise<Array<SalesFigures & { bucket: string }>> {
  const bucket = granularity
    ? sql`to_char(date_trunc(${sql.lit(granularity)}, s.day), 'YYYY-MM-DD')`
    : sql`''`;
  const rows = await sql<Record<string, number> & { bucket: string }>`
    select ${bucket} as bucket,
      count(*) filter (where kind = 'placed')::int as placed,
      coalesce(sum(amount_fen) filter (where kind = 'placed'), 0)::bigint as gmv,
      count(*) filter (where kind = 'paid' and sku_code = '')::int as paid_orders,
      count(distinct (platform, buyer_id)) filter (where kind = 'paid' and sku_code = '')::int as buyers,
      coalesce(sum(amount_fen) filter (where kind = 'paid'), 0)::bigint as paid,
      coalesce(sum(amount_fen) filter (where kind = 'refund'), 0)::bigint as refund,
      coalesce(sum(quantity) filter (where kind = 'paid'), 0)::int as units,
      coalesce(sum(quantity) filter (where kind = 'refund'), 0)::int as refunded_units,
      count(*) filter (where kind = 'cancelled')::int as cancelled,
      count(*) filter (where kind = 'shipped')::int as shipped,
      count(*) filter (where kind = 'delivered')::int as delivered,
      count(distinct sku_code) filter (where kind = 'paid' and sku_code <> '' and quantity > 0)::int as skus
    from sales_facts s
    where s.day between ${f.period.from}::date and ${f.period.to}::date
      ${f.shopIds ? sql`and s.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
      ${f.platform ? sql`and s.platform = ${f.platform}` : sql``}
    group by 1 order by 1`.execute(db);
  return rows.rows.map((r) => ({
    bucket: r.bucket,
    placedOrders: r.placed!,
    gmvFen: r.gmv!,
    paidOrders: r.paid_orders!,
    payingBuyers: r.buyers!,
    paidFen: r.paid!,
    refundFen: r.refund!,
    netSalesFen: r.paid! - r.refund!,
    aovFen: r.buyers! > 0 ? Math.round(r.paid! / r.buyers!) : null,
    units: r.units!,
    unitsPerOrder: r.paid_orders! > 0 ? Math.round((r.units! / r.paid_orders!) * 100) / 100 : null,
    refundedUnits: r.refunded_units!,
    cancelledOrders: r.cancelled!,
    shippedOrders: r.shipped!,
    deliveredOrders: r.delivered!,
    skusSold: r.skus!,
  }));
}

const NOTHING: SalesFigures = {
  placedOrders: 0,
  gmvFen: 0,
  paidOrders: 0,
  payingBuyers: 0,
  paidFen: 0,
  refundFen: 0,
  netSalesFen: 0,
  aovFen: null,
  units: 0,
  unitsPerOrder: null,
  refundedUnits: 0,
  cancelledOrders: 0,
  shippedOrders: 0,
  deliveredOrders: 0,
  skusSold: 0,
};

/** Every day alone, a few spans, the whole fortnight; all shops, one, two, a platform. */
function filters(): SalesFilter[] {
  const day = (i: number) =>
    new Date(Date.parse(`${FROM}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
  const periods = [
    ...Array.from({ length: 16 }, (_, i) => ({ from: day(i), to: day(i) })),
    { from: day(0), to: day(6) },
    { from: day(3), to: day(11) },
    { from: day(9), to: day(15) },
    { from: FROM, to: TO },
  ];
  return periods.flatMap((period) => [
    { period },
    { period, shopIds: [shops[0]!] },
    { period, shopIds: [shops[0]!, shops[3]!] },
    { period, shopIds: [shops[4]!] },
    { period, platform: 'taobao' },
  ]);
}

describe('sales rollups answer what the facts answer', () => {
  it('has generated a fortnight with refunds on later days, cancellations and converted currencies', async () => {
    const kinds = await sql<{ kind: string; n: number; later: number; foreign: number }>`
      select kind, count(*)::int as n,
        count(*) filter (where kind = 'refund' and day > (select min(p.day) from sales_facts p
          where p.order_id = s.order_id and p.kind = 'paid'))::int as later,
        count(*) filter (where currency <> 'CNY')::int as foreign
      from sales_facts s group by kind`.execute(h.db);
    const by = new Map(kinds.rows.map((r) => [r.kind, r]));
    expect(by.get('paid')!.n).toBeGreaterThan(100);
    expect(by.get('refund')!.later).toBeGreaterThan(3);
    expect(by.get('cancelled')!.n).toBeGreaterThan(2);
    expect(by.get('paid')!.foreign).toBeGreaterThan(10);
  });

  it('totals and series of every period and filter', async () => {
    for (const f of filters()) {
      const [whole] = await factFigures(h.db, f, null);
      const { bucket: _b, ...expected } = whole ?? { bucket: '', ...NOTHING };
      expect(await salesTotals(h.db, f), JSON.stringify(f)).toEqual(expected);
      for (const g of ['day', 'week', 'month'] as const) {
        expect(await salesSeries(h.db, f, g), `${g} ${JSON.stringify(f)}`).toEqual(
          await factFigures(h.db, f, g),
        );
      }
    }
  });

  it('top SKUs of a period', async () => {
    const f: SalesFilter = { period: { from: FROM, to: TO }, shopIds: [shops[0]!, shops[3]!] };
    const expected = await sql<{ sku_code: string; paid_fen: number; units: number }>`
      select sku_code, sum(amount_fen)::bigint as paid_fen, sum(quantity)::int as units from sales_facts
      where kind = 'paid' and sku_code <> '' and shop_id = any(${f.shopIds}::text[])
      group by 1 order by 2 desc, 3 desc, 1`.execute(h.db);
    const top = await topSkus(h.db, f, 100);
    expect(top.map((t) => [t.skuCode, t.paidFen, t.units])).toEqual(
      expected.rows.map((r) => [r.sku_code, r.paid_fen, r.units]),
    );
  });

  it('a user limited to two shops gets those shops’ figures', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/reports/sales?from=${FROM}&to=${TO}&granularity=week`,
      headers: limited,
    });
    expect(res.statusCode, res.body).toBe(200);
    const f: SalesFilter = { period: { from: FROM, to: TO }, shopIds: [shops[0]!, shops[3]!] };
    const [whole] = await factFigures(h.db, f, null);
    const { bucket: _b, ...expected } = whole!;
    expect(res.json().totals).toEqual(expected);
    expect(res.json().series).toEqual(await factFigures(h.db, f, 'week'));
  });

  it('the backfill builds the same rollups from the facts', async () => {
    const snapshot = async () =>
      sql`select 'totals' as t, to_jsonb(x) as r from sales_daily_totals x
        union all select 'buyers', to_jsonb(y) from sales_buyer_days y order by 1, 2`.execute(h.db);
    const kept = (await snapshot()).rows;
    await sql`delete from sales_daily_totals`.execute(h.db);
    await sql`delete from sales_buyer_days`.execute(h.db);
    await backfillSalesRollups(h.db);
    expect((await snapshot()).rows).toEqual(kept);
  });
});

import type { FastifyInstance } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { backfillSalesRollups } from '../../db/migrations/0954_sales_rollups.js';
import { backfillBasketRollups } from '../../db/migrations/0955_basket_rollups.js';
import { backfillStageHistograms } from '../../db/migrations/0956_stage_histograms.js';
import { backfillCarrierHistograms } from '../../db/migrations/0959_carrier_timeliness_hist.js';
import { backfillSkuPeriods } from '../../db/migrations/0960_sales_sku_periods.js';
import { backfillBuyerRecency } from '../../db/migrations/0963_sales_buyer_recency.js';
import { backfillSkusSold } from '../../db/migrations/0964_sales_skus_sold.js';
import { backfillBasketPeriods } from '../../db/migrations/0965_basket_period_rollups.js';
import { backfillHoldHistograms } from '../../db/migrations/0967_hold_wait_hist.js';
import {
  CARRIER_MEASURES,
  CARRIER_ONLY_MEASURES,
  foldStageDurations,
  MEASURED_CARRIERS_FROM_STAGE_TIMES,
  MEASURED_FROM_STAGE_TIMES,
} from '../../db/queries/stage-histograms.js';
import {
  carrierTimeliness,
  carrierTimelinessExact,
  coverPeriod,
  holdWaits,
  shipRates,
  stageDurations,
  stageDurationsExact,
} from '../../db/queries/reports/efficiency.js';
import { alsoBought, basketPairs, MAX_BASKET_SKUS, type PairRule } from '../../db/queries/reports/basket.js';
import {
  salesSeries,
  salesTotals,
  salesTotalsAndSeries,
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
import { line, skuFiguresFromFacts, timelineWriter } from './support.js';

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
  // A wholesale order of 52 SKUs: left out of the baskets (it would pair everything).
  await timelineWriter(h).place('taobao', shops[0]!, {
    buyer: 'wholesale',
    createdAt: '2026-11-03T02:00:00Z',
    paidAt: '2026-11-03T02:05:00Z',
    lines: Array.from({ length: 52 }, (_, i) => line(String(i + 1), `SKU-W${i}`, 1, 1_000)),
  });
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

/** Every day alone, a few spans, the whole fortnight; all shops, one, two, three, a platform. */
function filters(): SalesFilter[] {
  const day = (i: number) =>
    new Date(Date.parse(`${FROM}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
  const periods = [
    ...Array.from({ length: 16 }, (_, i) => ({ from: day(i), to: day(i) })),
    { from: day(0), to: day(6) },
    { from: day(3), to: day(11) },
    { from: day(9), to: day(15) },
    { from: FROM, to: TO },
    // Whole weeks, a whole month and days around them (the SKU periods' and histograms' units).
    { from: '2026-10-19', to: '2026-12-13' },
  ];
  return periods.flatMap((period) => [
    { period },
    { period, shopIds: [shops[0]!] },
    { period, shopIds: [shops[0]!, shops[3]!] },
    // Both Taobao shops and the JD one: the platform's buyers and the shop's.
    { period, shopIds: [shops[0]!, shops[1]!, shops[2]!] },
    { period, shopIds: [shops[4]!] },
    { period, platform: 'taobao' },
  ]);
}

describe('stage durations appended on write and folded into the histograms', () => {
  /** The efficiency figures the histograms give for a few periods and filters, with all their counts. */
  async function figures() {
    const out = [];
    for (const f of filters().filter((_, i) => i % 3 === 0)) {
      for (const by of [undefined, 'shop'] as const) out.push(await stageDurations(h.db, f, by));
      out.push(await shipRates(h.db, f));
      out.push(await carrierTimeliness(h.db, f));
    }
    return out;
  }
  const histogram = async () =>
    (
      await sql<{ r: unknown }>`
        select to_jsonb(x) as r from stage_duration_hist x
        union all select to_jsonb(y) from carrier_duration_hist y
        order by 1`.execute(h.db)
    ).rows;
  const unfolded = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from stage_durations_unfolded`.execute(h.db)).rows[0]!
      .n;

  it('a timeline event appends the durations it makes known, each once, and updates no histogram', async () => {
    expect(await histogram()).toEqual([]);
    const rowsOf = async (query: RawBuilder<unknown>) =>
      (
        await sql<{ r: string }>`select concat_ws(' ', day, shop_id, platform, measure, secs) as r
        from (${query}) m order by 1`.execute(h.db)
      ).rows;
    const carrierRowsOf = async (query: RawBuilder<unknown>) =>
      (
        await sql<{
          r: string;
        }>`select concat_ws(' ', day, shop_id, platform, carrier, province, measure, secs) as r
        from (${query}) m order by 1`.execute(h.db)
      ).rows;
    const appended = await rowsOf(sql`select * from stage_durations_unfolded
      where measure <> all(${CARRIER_ONLY_MEASURES}::text[])`);
    expect(appended.length).toBeGreaterThan(500);
    expect(appended).toEqual(await rowsOf(MEASURED_FROM_STAGE_TIMES));
    const carriers = await carrierRowsOf(sql`select * from stage_durations_unfolded
      where carrier is not null and measure = any(${CARRIER_MEASURES}::text[])`);
    expect(carriers.length).toBeGreaterThan(200);
    expect(carriers.some((r) => r.r.includes('广东省'))).toBe(true);
    expect(carriers).toEqual(await carrierRowsOf(MEASURED_CARRIERS_FROM_STAGE_TIMES));
  });

  it('reports are the same before, during and after folding; a fold is all or nothing and safe to repeat', async () => {
    const before = await figures();
    // Before any fold the figures are the exact ones within a bucket (the equivalence tests below
    // check every period once folded).
    const f: SalesFilter = { period: { from: FROM, to: TO } };
    const exact = await stageDurationsExact(h.db, f);
    expect((await stageDurations(h.db, f)).map((s) => [s.stage, s.orders])).toEqual(
      exact.map((s) => [s.stage, s.orders]),
    );
    const total = await unfolded();
    // A fold whose transaction fails leaves everything as it was.
    await expect(
      h.db.transaction().execute(async (trx) => {
        await foldStageDurations(trx, 100);
        throw new Error('worker lost');
      }),
    ).rejects.toThrow('worker lost');
    expect(await unfolded()).toBe(total);
    expect(await histogram()).toEqual([]);
    // A fold while another holds the lock folds nothing (one at a time).
    await h.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('stage_duration_fold'))`.execute(trx);
      expect(await foldStageDurations(h.db, 100)).toBe(0);
    });
    // Part folded: the report reads the histograms and the rest.
    expect(await foldStageDurations(h.db, 137)).toBe(137);
    expect(await unfolded()).toBe(total - 137);
    expect(await figures()).toEqual(before);
    // All folded; folding again changes nothing.
    let folded = 137;
    for (let n; (n = await foldStageDurations(h.db, 500)) > 0;) folded += n;
    expect(folded).toBe(total);
    expect(await unfolded()).toBe(0);
    const kept = await histogram();
    expect(await foldStageDurations(h.db)).toBe(0);
    expect(await histogram()).toEqual(kept);
    expect(await figures()).toEqual(before);
    // And the histograms are what the backfill builds from the stage times.
    await sql`delete from stage_duration_hist`.execute(h.db);
    await sql`delete from carrier_duration_hist`.execute(h.db);
    await backfillStageHistograms(h.db);
    await backfillCarrierHistograms(h.db);
    expect(await histogram()).toEqual(kept);
  });
});

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
        const series = await factFigures(h.db, f, g);
        expect(await salesSeries(h.db, f, g), `${g} ${JSON.stringify(f)}`).toEqual(series);
        // Read together (a period inside one bucket read once): the same figures.
        expect(await salesTotalsAndSeries(h.db, f, g), `${g} ${JSON.stringify(f)}`).toEqual({
          totals: expected,
          series,
        });
      }
    }
  });

  it('top SKUs of every period and filter', async () => {
    let compared = 0;
    for (const f of filters()) {
      const expected = await skuFiguresFromFacts(h.db, f);
      const top = await topSkus(h.db, f, 1000);
      expect(
        top.map((t) => [t.skuCode, t.paidLines, t.paidFen, t.units, t.refundFen, t.refundedUnits]),
        JSON.stringify(f),
      ).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(500);
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
    // The stage durations appended on write, folded into the histograms first (as the schedule does).
    while ((await foldStageDurations(h.db)) > 0);
    const tables = [
      'stage_duration_hist',
      'carrier_duration_hist',
      'sales_daily_totals',
      'sales_buyer_days',
      'sales_sku_periods',
      'sales_buyer_recency',
      'sales_skus_sold',
      'basket_daily_orders',
      'basket_daily_items',
      'basket_daily_pairs',
      'basket_period_orders',
      'basket_period_items',
      'basket_period_pairs',
    ];
    const snapshot = async () =>
      sql`${sql.join(
        tables.map((t) => sql`select ${t} as t, to_jsonb(x) as r from ${sql.table(t)} x`),
        sql` union all `,
      )} order by 1, 2`.execute(h.db);
    const kept = (await snapshot()).rows;
    expect(kept.filter((r) => (r as { t: string }).t === 'basket_daily_pairs').length).toBeGreaterThan(20);
    for (const t of tables) await sql`delete from ${sql.table(t)}`.execute(h.db);
    await backfillSalesRollups(h.db);
    await backfillSkuPeriods(h.db);
    await backfillBuyerRecency(h.db);
    // The SKUs keep the numbers they were given on write (the backfill numbers only new ones).
    await backfillSkusSold(h.db);
    await backfillBasketRollups(h.db);
    await backfillBasketPeriods(h.db);
    await backfillStageHistograms(h.db);
    await backfillCarrierHistograms(h.db);
    // Counts taken out and put back (a basket changed, a late payment moving a buyer's next day)
    // may leave zeros on write; the backfill writes only what there is.
    expect((await snapshot()).rows).toEqual(
      kept.filter((r) => {
        const row = (r as { r: { orders?: number; buyer_days?: number } }).r;
        return row.orders !== 0 && row.buyer_days !== 0;
      }),
    );
  });
});

/** The pairs straight from the paid line facts (every order's distinct SKUs joined with themselves). */
async function factPairs(db: Db, f: SalesFilter, o: { minSupport: number; minOrders: number; sku?: string }) {
  const where = sql`s.day between ${f.period.from}::date and ${f.period.to}::date
    ${f.shopIds ? sql`and s.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
    ${f.platform ? sql`and s.platform = ${f.platform}` : sql``}`;
  const rows = await sql<{ a: string; b: string; ab: number; ca: number; cb: number; n: number }>`
    with kept as (
      select distinct s.order_id, s.sku_code from sales_facts s
      where s.kind = 'paid' and s.sku_code <> '' and ${where}
        and s.order_id in (select order_id from sales_facts where kind = 'paid' and sku_code <> ''
          group by order_id having count(distinct sku_code) <= ${MAX_BASKET_SKUS})
    ), n as (select count(distinct order_id)::int as n from kept),
    items as (select sku_code, count(*)::int as c from kept group by 1)
    select x.sku_code as a, y.sku_code as b, count(*)::int as ab, min(ia.c) as ca, min(ib.c) as cb, min(n.n) as n
    from kept x join kept y on x.order_id = y.order_id and x.sku_code < y.sku_code
    join items ia on ia.sku_code = x.sku_code join items ib on ib.sku_code = y.sku_code cross join n
    ${o.sku ? sql`where ${o.sku} in (x.sku_code, y.sku_code)` : sql``}
    group by 1, 2
    having count(*) >= greatest(${o.minOrders}::int, ceil(${o.minSupport}::float8 * min(n.n)))
    order by 3 desc, 1, 2`.execute(db);
  const n = await sql<{ n: number }>`
    select count(distinct order_id)::int as n from sales_facts s where s.kind = 'paid' and s.sku_code <> ''
      and ${where} and s.order_id in (select order_id from sales_facts where kind = 'paid' and sku_code <> ''
        group by order_id having count(distinct sku_code) <= ${MAX_BASKET_SKUS})`.execute(db);
  return { orders: n.rows[0]!.n, pairs: rows.rows };
}

describe('basket rollups answer what the facts answer', () => {
  const pairsOf = (rules: PairRule[]) =>
    rules
      .filter((r) => r.antecedent < r.consequent)
      .map((r) => [r.antecedent, r.consequent, r.orders, r.antecedentOrders, r.consequentOrders]);

  it('pairs, support, confidence and lift of every period and filter', async () => {
    let compared = 0;
    for (const f of filters()) {
      for (const o of [
        { minSupport: 0, minOrders: 1, limit: 1000 },
        { minSupport: 0.05, minOrders: 2, limit: 1000 },
        // A bar high enough that only some SKUs can reach it: the pairs are read for those only.
        { minSupport: 0, minOrders: 5, limit: 1000 },
      ]) {
        const expected = await factPairs(h.db, f, o);
        // Whole weeks and months from their counts, and every day from the daily counts: the same.
        for (const via of ['units', 'days'] as const) {
          const got = await basketPairs(h.db, f, { ...o, via });
          expect(got.orders, `${via} ${JSON.stringify(f)}`).toBe(expected.orders);
          expect(pairsOf(got.rules), `${via} ${JSON.stringify(f)}`).toEqual(
            expected.pairs.map((p) => [p.a, p.b, p.ab, p.ca, p.cb]),
          );
        }
        compared += expected.pairs.length;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('also bought, and the wholesale order left out', async () => {
    const f: SalesFilter = { period: { from: FROM, to: TO } };
    const o = { minSupport: 0, minOrders: 1, limit: 100 };
    const expected = await factPairs(h.db, f, { ...o, sku: 'SKU-G1' });
    const got = await alsoBought(h.db, f, 'SKU-G1', o);
    expect(got.rules.map((r) => r.consequent).sort()).toEqual(
      expected.pairs.map((p) => (p.a === 'SKU-G1' ? p.b : p.a)).sort(),
    );
    expect(got.rules[0]).toMatchObject({ antecedent: 'SKU-G1', consequent: 'SKU-G2' });
    expect((await alsoBought(h.db, f, 'SKU-W1', o)).rules).toEqual([]);
  });
});

describe('stage-duration histograms answer what the stage times answer', () => {
  /** Within one bucket's width (5 %) of the exact figure, and a second for rounding. */
  const near = (got: number, exact: number) => Math.abs(got - exact) <= exact * 0.05 + 1;

  it('cover a period with months, weeks and days, each day once', () => {
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const start = Date.parse('2025-11-20T00:00:00Z');
    for (let i = 0; i < 400; i += 7) {
      for (const length of [1, 6, 7, 13, 31, 45, 92, 200, 366]) {
        const from = start + i * 86_400_000;
        const period = { from: day(from), to: day(from + (length - 1) * 86_400_000) };
        const c = coverPeriod(period);
        const days: string[] = [];
        const span = (a: string, n: number) =>
          Array.from({ length: n }, (_, k) => day(Date.parse(`${a}T00:00:00Z`) + k * 86_400_000));
        for (const m of c.months) {
          const d = new Date(`${m}T00:00:00Z`);
          expect(d.getUTCDate()).toBe(1);
          days.push(...span(m, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()));
        }
        for (const w of c.weeks) {
          expect(new Date(`${w}T00:00:00Z`).getUTCDay()).toBe(1);
          days.push(...span(w, 7));
        }
        for (const d of c.days)
          days.push(...span(d.from, (Date.parse(d.to) - Date.parse(d.from)) / 86_400_000 + 1));
        expect(days.sort(), JSON.stringify(period)).toEqual(span(period.from, length));
        expect(c.days.length).toBeLessThanOrEqual(4);
      }
    }
  });

  it('stage durations of every period and filter, over all shops and per shop', async () => {
    let compared = 0;
    for (const f of filters()) {
      for (const by of [undefined, 'shop'] as const) {
        const exact = await stageDurationsExact(h.db, f, by);
        const got = await stageDurations(h.db, f, by);
        expect(got.map((s) => [s.stage, s.key, s.orders, s.waitingNow])).toEqual(
          exact.map((s) => [s.stage, s.key, s.orders, s.waitingNow]),
        );
        for (const [i, s] of got.entries()) {
          const e = exact[i]!;
          const what = `${s.stage} ${s.key} ${JSON.stringify(f)}: ${JSON.stringify(s)} vs ${JSON.stringify(e)}`;
          expect(Math.abs(s.avgSeconds - e.avgSeconds), what).toBeLessThanOrEqual(1);
          expect(near(s.p50Seconds, e.p50Seconds), what).toBe(true);
          expect(near(s.p90Seconds, e.p90Seconds), what).toBe(true);
          expect(near(s.p99Seconds, e.p99Seconds), what).toBe(true);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('carrier timeliness of every period and filter: counts exact, percentiles within a bucket', async () => {
    let compared = 0;
    for (const f of filters()) {
      const exact = await carrierTimelinessExact(h.db, f);
      const got = await carrierTimeliness(h.db, f);
      const what = JSON.stringify(f);
      expect(
        got.map((c) => [c.carrier, c.province, c.orders, c.delivered]),
        what,
      ).toEqual(exact.map((c) => [c.carrier, c.province, c.orders, c.delivered]));
      for (const [i, c] of got.entries()) {
        for (const [k, v] of Object.entries(c)) {
          if (!k.endsWith('Seconds')) continue;
          const e = exact[i]![k as keyof typeof c] as number | null;
          if (e === null) expect(v, `${k} ${what}`).toBeNull();
          else expect(near(v as number, e), `${k} ${what}: ${v} vs ${e}`).toBe(true);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('hold waits of every period and filter: the holds read by their paid day are those of the period’s orders', async () => {
    // Holds written as any writer writes them (the trigger gives each its order's paid day, shop and
    // platform): on a third of the paid orders, some still open, and on every order never paid (order
    // ids are random, so which orders make the third changes from run to run; it once held no unpaid one).
    await sql`
      insert into order_holds (order_id, hold_key, reason, stage, cleared_by_role, detail, opened_at, cleared_at)
      select o.id, 'test:' || k, (array['buyer_remark', 'blacklist', 'payment_mismatch'])[1 + (n + k) % 3], 1,
        'reviewer', '', coalesce(o.paid_at, o.platform_created_at) + k * interval '1 minute',
        case when (n + k) % 7 = 0 then null
          else coalesce(o.paid_at, o.platform_created_at) + (k + 1 + n % 300) * interval '1 minute' end
      from (select o.*, row_number() over (order by o.id)::int as n from orders o) o
      cross join generate_series(1, 2) k
      where o.n % 3 = 0 or o.paid_at is null`.execute(h.db);
    // A hold raised before its order's payment was recorded learns the paid day with the payment.
    const late = await timelineWriter(h).place('taobao', shops[0]!, {
      buyer: 'held-before-paying',
      createdAt: '2026-11-05T01:00:00Z',
      lines: [line('1', 'SKU-G3', 1, 3_990)],
    });
    await sql`
      insert into order_holds (order_id, hold_key, reason, stage, cleared_by_role, detail, opened_at, cleared_at)
      values (${late.orderId}, 'test:early', 'payment_mismatch', 1, 'reviewer', '', '2026-11-05T01:00:00Z',
        '2026-11-05T01:30:00Z')`.execute(h.db);
    await late.step('payment_confirmed', 'auditing', '2026-11-05T01:20:00Z');
    const early = await holdWaits(h.db, {
      period: { from: '2026-11-05', to: '2026-11-05' },
      shopIds: [shops[0]!],
    });
    expect(early.find((x) => x.reason === 'payment_mismatch')?.holds).toBeGreaterThanOrEqual(1);
    const unpaid = await sql<{ n: number }>`
      select count(*)::int as n from order_holds h
      where not exists (select 1 from order_stage_times t where t.order_id = h.order_id and t.day is not null)`.execute(
      h.db,
    );
    expect(unpaid.rows[0]!.n).toBeGreaterThan(0);
    // Straight from the period's orders (their stage times' paid day) and their holds.
    const compare = async () => {
      let compared = 0;
      for (const f of filters()) {
        const exact = await sql<{ reason: string; holds: number; open: number; p50: number; p90: number }>`
          select h.reason, count(*)::int as holds, count(*) filter (where h.cleared_at is null)::int as open,
            percentile_cont(0.5) within group (order by extract(epoch from coalesce(h.cleared_at, now()) - h.opened_at)) as p50,
            percentile_cont(0.9) within group (order by extract(epoch from coalesce(h.cleared_at, now()) - h.opened_at)) as p90
          from order_holds h join order_stage_times t on t.order_id = h.order_id
          where t.day between ${f.period.from}::date and ${f.period.to}::date
            ${f.shopIds ? sql`and t.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
            ${f.platform ? sql`and t.platform = ${f.platform}` : sql``}
          group by h.reason order by holds desc, h.reason`.execute(h.db);
        const got = await holdWaits(h.db, f);
        const what = JSON.stringify(f);
        expect(
          got.map((x) => [x.reason, x.holds, x.open]),
          what,
        ).toEqual(exact.rows.map((x) => [x.reason, x.holds, x.open]));
        for (const [i, x] of got.entries()) {
          // Within one bucket (5 %) of the exact wait; open ones count until now (a second or two apart).
          const e = exact.rows[i]!;
          expect(
            near(x.p50Seconds, e.p50 + 2) || near(x.p50Seconds, e.p50),
            `p50 ${what}: ${x.p50Seconds} vs ${e.p50}`,
          ).toBe(true);
          expect(
            near(x.p90Seconds, e.p90 + 2) || near(x.p90Seconds, e.p90),
            `p90 ${what}: ${x.p90Seconds} vs ${e.p90}`,
          ).toBe(true);
        }
        compared += got.length;
      }
      return compared;
    };
    const pending = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from hold_waits_unfolded`.execute(h.db)).rows[0]!.n;
    // Appended on write, read beside the histograms before any fold.
    expect(await pending()).toBeGreaterThan(100);
    expect(await compare()).toBeGreaterThan(50);
    // A cleared hold raised again (open, counted no more) and one cleared later: appended -1 and +1.
    await sql`
      update order_holds set cleared_at = null, opened_at = opened_at + interval '1 hour'
      where hold_key = 'test:1' and order_id in (
        select order_id from order_holds where hold_key = 'test:1' and cleared_at is not null order by order_id limit 5)`.execute(
      h.db,
    );
    await sql`
      update order_holds set cleared_at = opened_at + interval '3 hours'
      where hold_key = 'test:2' and order_id in (
        select order_id from order_holds where hold_key = 'test:2' and cleared_at is null order by order_id limit 5)`.execute(
      h.db,
    );
    // Folded: the same figures; what is folded is what the backfill gives from the holds as they are.
    while ((await foldStageDurations(h.db)) > 0);
    expect(await pending()).toBe(0);
    expect(await compare()).toBeGreaterThan(50);
    const kept = async () =>
      (
        await sql<{ r: string }>`
          select concat_ws(' ', grain, starts, shop_id, platform, reason, bucket, holds, round(seconds)) as r
          from hold_wait_hist where holds <> 0 order by 1`.execute(h.db)
      ).rows.map((x) => x.r);
    const folded = await kept();
    expect(folded.length).toBeGreaterThan(50);
    await sql`delete from hold_wait_hist`.execute(h.db);
    await backfillHoldHistograms(h.db);
    expect(await kept()).toEqual(folded);
    await sql`delete from order_holds where hold_key like 'test:%'`.execute(h.db);
    // Deleted holds take out what they added.
    while ((await foldStageDurations(h.db)) > 0);
    const left = await kept();
    expect(left.length).toBeLessThan(folded.length);
    await sql`delete from hold_wait_hist`.execute(h.db);
    await backfillHoldHistograms(h.db);
    expect(await kept()).toEqual(left);
  });

  it('ship rates: counts exact, the median within a bucket', async () => {
    for (const f of filters()) {
      const exact = await sql<{ paid: number; in24: number; in48: number; p50: number | null }>`
        select count(*)::int as paid,
          count(*) filter (where t.shipped_at <= t.paid_at + interval '24 hours')::int as in24,
          count(*) filter (where t.shipped_at <= t.paid_at + interval '48 hours')::int as in48,
          percentile_cont(0.5) within group (order by extract(epoch from t.shipped_at - t.paid_at)) as p50
        from order_stage_times t
        where t.day between ${f.period.from}::date and ${f.period.to}::date and t.paid_at is not null
          ${f.shopIds ? sql`and t.shop_id = any(${[...f.shopIds]}::text[])` : sql``}
          ${f.platform ? sql`and t.platform = ${f.platform}` : sql``}`.execute(h.db);
      const e = exact.rows[0]!;
      const got = await shipRates(h.db, f);
      expect([got.paidOrders, got.shippedWithin24h, got.shippedWithin48h]).toEqual([e.paid, e.in24, e.in48]);
      if (e.p50 === null) expect(got.payToShipP50Seconds).toBeNull();
      else expect(near(got.payToShipP50Seconds!, Math.round(e.p50)), JSON.stringify(f)).toBe(true);
    }
  });
});

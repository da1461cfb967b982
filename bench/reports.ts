import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { mineItemsetRun } from '../activities/reports/itemsets.js';
import { basketReport, efficiencyReport, salesReport } from '../api/routes/reports.js';
import { createDb, withDatabase, type Db } from '../db/connect.js';
import { generateDataKeys, parseDataKeys } from '../db/crypto/data-keys.js';
import { migrateToLatest } from '../db/migrate.js';
import { appendOrderEvent } from '../db/queries/orders.js';
import { backfillSalesRollups } from '../db/migrations/0954_sales_rollups.js';
import { backfillBasketRollups } from '../db/migrations/0955_basket_rollups.js';
import { backfillStageHistograms } from '../db/migrations/0956_stage_histograms.js';
import { backfillCarrierHistograms } from '../db/migrations/0959_carrier_timeliness_hist.js';
import { backfillSkuPeriods } from '../db/migrations/0960_sales_sku_periods.js';
import { backfillBuyerRecency } from '../db/migrations/0963_sales_buyer_recency.js';
import { backfillSkusSold } from '../db/migrations/0964_sales_skus_sold.js';
import { backfillBasketPeriods } from '../db/migrations/0965_basket_period_rollups.js';
import { backfillHoldHistograms } from '../db/migrations/0967_hold_wait_hist.js';
import { alsoBought } from '../db/queries/reports/basket.js';
import { openItemsetRun } from '../db/queries/reports/itemsets.js';
import type { SalesFilter } from '../db/queries/reports/sales.js';
import { recordOrderEventFacts } from '../db/queries/sales-facts.js';
import { foldStageDurations } from '../db/queries/stage-histograms.js';
import { recordStageTime } from '../db/queries/stage-times.js';
import { printFigures } from './support/ceiling.js';
import { argValue, fmt, percentile } from './support/stats.js';
import { openBenchDatabase } from './stock-reservations.js';

/**
 * Reports on a year of orders (docs/reports.md, docs/benchmarks.md): a generated year — orders
 * over 10 shops and 5,000 SKUs with seasonal peaks (11.11, 6.18, 12.12, weekends, a Spring
 * Festival lull), Zipf-like SKU popularity, baskets of 1–4 lines with planted associations
 * (SKU-00001 ⇒ SKU-00002 in 40 % of its orders; {SKU-00007, SKU-00008, SKU-00009} in half of
 * SKU-00007's), line refunds days later, cancellations, two cross-border shops converted from SGD
 * and USD — written as the facts, rollup rows and stage times the workflows write, then every report
 * asked over random periods (a day, a week, a month, a quarter, the year; all shops or one).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- reports --orders 1000000
 *
 * Targets: every report p95 ≤ 300 ms; basket pairs for a month ≤ 2 s.
 *
 * `--keep` keeps the generated database (its name is printed) to look at afterwards (EXPLAIN);
 * `--database <name>` measures a database kept so instead of generating one; `--only <parts>`
 * (comma-separated: `reports`, `planted`, `rollup-cost`, `write-cost`) measures only those, and
 * `--reports <names>` (`sales`, `basket`, `also-bought`, `efficiency`) only those reports.
 *
 * `write-cost`: what keeping the reports current adds to an order's timeline writes, in CPU time
 * (the database backend's, read from /proc, and this process's), not wall time, so that a busy
 * machine moves it less: orders' whole timelines written through `appendOrderEvent` one event per
 * transaction, with the reports' writes on and off (`{ reports: false }`, the benchmark's switch),
 * in alternating rounds, each event kind's CPU also summed on its own (and a line refunded after
 * delivery, measured beside the timeline). `--cost-orders` orders per variant and round (default
 * 250), `--cost-rounds` rounds (default 4). The backend's /proc entry must be readable (the server
 * on this machine).
 */
const ORDERS = argValue('orders', 100_000);
const COST_ORDERS = argValue('cost-orders', 250);
const COST_ROUNDS = argValue('cost-rounds', 4);
function stringArg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const REUSE = stringArg('database');
const ONLY = new Set((stringArg('only') ?? 'reports,planted,rollup-cost,write-cost').split(','));
const SAMPLES = argValue('samples', 20);
const DAYS = 365;
/** The first China calendar day of the generated year. */
const START = '2025-12-01';

const SHOPS: Array<{ id: string; platform: string; fx?: { originalCurrency: string; rate: number } }> = [
  { id: 'bench-tb-1', platform: 'taobao' },
  { id: 'bench-tb-2', platform: 'taobao' },
  { id: 'bench-tmall', platform: 'tmall' },
  { id: 'bench-jd-1', platform: 'jd' },
  { id: 'bench-jd-2', platform: 'jd' },
  { id: 'bench-pdd-1', platform: 'pdd' },
  { id: 'bench-pdd-2', platform: 'pdd' },
  { id: 'bench-douyin', platform: 'douyin' },
  { id: 'bench-shopee', platform: 'shopee', fx: { originalCurrency: 'SGD', rate: 5.3 } },
  { id: 'bench-amazon', platform: 'amazon', fx: { originalCurrency: 'USD', rate: 7.1 } },
];

/** How busy each day of the year is, relative to an ordinary weekday. */
function dayWeight(date: Date): number {
  const md = date.toISOString().slice(5, 10);
  const peaks: Record<string, number> = {
    '11-11': 8,
    '11-10': 3,
    '11-12': 2,
    '06-18': 5,
    '06-17': 2,
    '12-12': 4,
    '01-01': 1.5,
  };
  let w = peaks[md] ?? 1;
  const dow = date.getUTCDay();
  if (dow === 0 || dow === 6) w *= 1.2;
  if (md >= '10-24' && md < '11-10') w *= 1.5; // 双11 presale
  if (md >= '06-01' && md < '06-17') w *= 1.3; // 618 run-up
  if (md >= '02-15' && md <= '02-23') w *= 0.4; // Spring Festival: couriers rest
  return w;
}

/** Cumulative shares of the year's orders by day, for width_bucket (one threshold fewer than days). */
function dayThresholds(): number[] {
  const weights = Array.from({ length: DAYS }, (_, i) =>
    dayWeight(new Date(Date.parse(`${START}T00:00:00Z`) + i * 86_400_000)),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights.slice(0, -1)) {
    sum += w;
    cumulative.push(sum / total);
  }
  return cumulative;
}

async function timed<T>(label: string, rows: Array<[string, string]>, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  rows.push([label, `${fmt((performance.now() - started) / 1000)} s`]);
  // A generation of a million orders takes many minutes: say where it is as it goes.
  console.error(
    `  ${label}: ${rows.at(-1)![1]} (load ${os
      .loadavg()
      .map((l) => fmt(l))
      .join(' ')})`,
  );
  return result;
}

/** The generated year, in one session (setseed makes it the same year every run). */
export async function generate(db: Db): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  await sql`insert into shops (id, platform, name) select x.id, x.platform, x.id
    from jsonb_to_recordset(${JSON.stringify(SHOPS)}::jsonb) as x(id text, platform text)`.execute(db);
  await db.connection().execute(async (c) => {
    await sql`select setseed(0.2026)`.execute(c);
    await timed('orders and lines generated', rows, async () => {
      await sql`
        create unlogged table bench_orders as
        select g as n, 1 + floor(random() * 10)::int as shop_idx, floor(random() * ${Math.max(1000, Math.round(ORDERS * 0.3))})::int as buyer,
          ${START}::date + width_bucket(random(), ${dayThresholds()}::float8[]) as day,
          floor(random() * 86400)::int as sec, random() as r_size, random() as r_plant, random() as r_cancel,
          random() as r_a, random() as r_b, random() as r_c, random() as r_d, random() as r_e
        from generate_series(1, ${ORDERS}) g`.execute(c);
      await sql`
        create unlogged table bench_lines as
        with o as (
          select n, r_plant, 1 + floor(5000 * power(random(), 2.5))::int as first,
            case when r_size < .55 then 1 when r_size < .80 then 2 when r_size < .93 then 3 else 4 end as size
          from bench_orders
        ), l as (
          select n, 1 as line_no, first as sku from o
          union all select o.n, 1 + j, 1 + floor(5000 * power(random(), 2.5))::int from o
            cross join generate_series(1, 3) j where j < o.size
          union all select n, 5, 2 from o where first = 1 and r_plant < 0.4
          union all select o.n, 5 + v.k, v.sku from o cross join (values (1, 8), (2, 9)) v(k, sku)
            where first = 7 and r_plant < 0.5
        )
        select n, line_no, 'SKU-' || lpad(sku::text, 5, '0') as sku, 1 + (random() < 0.1)::int as qty,
          990 + (sku * 7919) % 19000 as price_fen, random() < 0.05 as refunded, random() as r_refund
        from l`.execute(c);
      await sql`create index on bench_lines (n)`.execute(c);
      await sql`
        create unlogged table bench_paid as
        select o.*, s.id as shop_id, s.platform, s.fx,
          'order:' || s.platform || ':' || s.id || ':B' || o.n as order_id,
          ((o.day::timestamp + o.sec * interval '1 second') at time zone 'Asia/Shanghai') as paid_at,
          (select sum(qty * price_fen) from bench_lines l where l.n = o.n)::bigint as goods_fen,
          case when o.r_e < 0.7 then 0 else 800 end as shipping_fen,
          o.r_cancel < 0.03 as cancelled
        from bench_orders o
        join (select row_number() over () as idx, x.* from jsonb_to_recordset(${JSON.stringify(SHOPS)}::jsonb)
          as x(id text, platform text, fx jsonb)) s on s.idx = o.shop_idx`.execute(c);
    });
    await timed('orders rows', rows, async () => {
      await sql`
        insert into orders (id, platform, shop_id, platform_order_id, status, platform_status, buyer_id,
          receiver, currency, fx, goods_fen, discount_fen, shipping_fen, paid_fen, platform_created_at,
          platform_modified_at, paid_at, receiver_province)
        select order_id, platform, shop_id, 'B' || n, case when cancelled then 'cancelled' else 'completed' end,
          'bench', 'buyer-' || buyer, '{}'::jsonb, 'CNY', fx, goods_fen, 0, shipping_fen, goods_fen + shipping_fen,
          paid_at - interval '3 minutes', paid_at, paid_at,
          (array['浙江省','广东省','江苏省','上海市','北京市','山东省','四川省','湖北省','福建省','河南省'])[1 + floor(r_d * 10)::int]
        from bench_paid`.execute(c);
    });
    await timed('sales facts', rows, async () => {
      const day = (at: string) => sql.raw(`((${at}) at time zone 'Asia/Shanghai')::date`);
      const insert = (select: ReturnType<typeof sql>) => sql`
        insert into sales_facts (fact_key, kind, order_id, line_id, platform, shop_id, buyer_id, sku_code,
          quantity, amount_fen, currency, fx_rate, source, at, day)
        ${select}`;
      const cur = sql.raw(`coalesce(p.fx->>'originalCurrency', 'CNY'), (p.fx->>'rate')::numeric`);
      await insert(sql`select 'placed:' || order_id, 'placed', order_id, null, platform, shop_id, 'buyer-' || buyer, '',
          0, goods_fen + shipping_fen, ${cur}, 'bench', paid_at - interval '3 minutes', ${day("paid_at - interval '3 minutes'")}
        from bench_paid p`).execute(c);
      await insert(sql`select 'paid:' || order_id || ':' || l.line_no, 'paid', order_id, l.line_no::text, platform, shop_id,
          'buyer-' || buyer, l.sku, l.qty, l.qty * l.price_fen, ${cur}, 'bench', paid_at, ${day('paid_at')}
        from bench_paid p join bench_lines l on l.n = p.n`).execute(c);
      await insert(sql`select 'paid:' || order_id, 'paid', order_id, null, platform, shop_id, 'buyer-' || buyer, '',
          0, shipping_fen, ${cur}, 'bench', paid_at, ${day('paid_at')}
        from bench_paid p`).execute(c);
      // Line refunds a few days later (not of cancelled orders: those give everything back).
      const refundAt =
        "p.paid_at + (1 + floor(l.r_refund * 10)) * interval '1 day' + l.r_refund * interval '20 hours'";
      await insert(sql`select 'refund:platform:' || order_id || ':' || l.line_no, 'refund', order_id, l.line_no::text,
          platform, shop_id, 'buyer-' || buyer, l.sku, l.qty, l.qty * l.price_fen, ${cur}, 'bench',
          ${sql.raw(refundAt)}, ${day(refundAt)}
        from bench_paid p join bench_lines l on l.n = p.n where l.refunded and not p.cancelled`).execute(c);
      const cancelAt = "p.paid_at + interval '2 hours'";
      await insert(sql`select 'refund:cancel:' || order_id || ':' || l.line_no, 'refund', order_id, l.line_no::text,
          platform, shop_id, 'buyer-' || buyer, l.sku, l.qty, l.qty * l.price_fen, ${cur}, 'bench',
          ${sql.raw(cancelAt)}, ${day(cancelAt)}
        from bench_paid p join bench_lines l on l.n = p.n where p.cancelled`).execute(c);
      await insert(sql`select 'cancelled:' || order_id, 'cancelled', order_id, null, platform, shop_id, 'buyer-' || buyer,
          '', 0, 0, ${cur}, 'bench', ${sql.raw(cancelAt)}, ${day(cancelAt)} from bench_paid p where cancelled`).execute(
        c,
      );
      const shippedAt = "p.paid_at + (4 + p.r_a * 44) * interval '1 hour'";
      await insert(sql`select 'shipped:' || order_id, 'shipped', order_id, null, platform, shop_id, 'buyer-' || buyer,
          '', 0, 0, ${cur}, 'bench', ${sql.raw(shippedAt)}, ${day(shippedAt)} from bench_paid p where not cancelled`).execute(
        c,
      );
      const deliveredAt = `${shippedAt} + (1 + p.r_b * 3) * interval '1 day'`;
      await insert(sql`select 'delivered:' || order_id, 'delivered', order_id, null, platform, shop_id, 'buyer-' || buyer,
          '', 0, 0, ${cur}, 'bench', ${sql.raw(deliveredAt)}, ${day(deliveredAt)}
        from bench_paid p where not cancelled and r_b < 0.95`).execute(c);
    });
    await timed('daily rollup', rows, async () => {
      await sql`
        insert into sales_daily (day, shop_id, platform, sku_code, placed_orders, gmv_fen, paid_orders, paid_fen,
          units, refund_fen, refunded_units, cancelled_orders, shipped_orders, delivered_orders)
        select day, shop_id, platform, sku_code,
          count(*) filter (where kind = 'placed'), coalesce(sum(amount_fen) filter (where kind = 'placed'), 0),
          count(*) filter (where kind = 'paid'), coalesce(sum(amount_fen) filter (where kind = 'paid'), 0),
          coalesce(sum(quantity) filter (where kind = 'paid'), 0),
          coalesce(sum(amount_fen) filter (where kind = 'refund'), 0),
          coalesce(sum(quantity) filter (where kind = 'refund'), 0),
          count(*) filter (where kind = 'cancelled'), count(*) filter (where kind = 'shipped'),
          count(*) filter (where kind = 'delivered')
        from sales_facts group by day, shop_id, platform, sku_code`.execute(c);
    });
    await timed('order-level totals and buyer days', rows, () => backfillSalesRollups(c));
    await timed('SKU weeks and months (backfill)', rows, () => backfillSkuPeriods(c));
    await timed('buyer recency by day, week and month (backfill)', rows, () => backfillBuyerRecency(c));
    await timed('sets of SKUs sold by day, week and month (backfill)', rows, () => backfillSkusSold(c));
    await timed('basket counts (orders, SKUs, pairs by day)', rows, () => backfillBasketRollups(c));
    await timed('basket counts by week and month (backfill)', rows, () => backfillBasketPeriods(c));
    await timed('stage times and holds', rows, async () => {
      await sql`
        insert into order_stage_times (order_id, platform, shop_id, warehouse, carrier, day, paid_at, audited_at,
          allocated_at, waved_at, picked_at, packed_at, shipped_at, first_scan_at, delivered_at, province)
        select order_id, platform, shop_id, 'WH-' || (1 + n % 3),
          case when cancelled then null else (array['SF','ZTO','YTO','YUNDA','JD'])[1 + n % 5] end, day, paid_at,
          paid_at + (1 + r_c * 29) * interval '1 minute',
          case when cancelled then null else paid_at + (5 + r_c * 40) * interval '1 minute' end,
          case when cancelled then null else paid_at + (60 + r_c * 120) * interval '1 minute' end,
          case when cancelled then null else paid_at + (90 + r_c * 150) * interval '1 minute' end,
          case when cancelled then null else paid_at + (100 + r_c * 170) * interval '1 minute' end,
          case when cancelled then null else paid_at + (4 + r_a * 44) * interval '1 hour' end,
          case when cancelled then null else paid_at + (6 + r_a * 50) * interval '1 hour' end,
          case when cancelled or r_b >= 0.95 then null
            else paid_at + (4 + r_a * 44) * interval '1 hour' + (1 + r_b * 3) * interval '1 day' end,
          case when cancelled then null
            else (array['浙江省','广东省','江苏省','上海市','北京市','山东省','四川省','湖北省','福建省','河南省'])[1 + floor(r_d * 10)::int] end
        from bench_paid`.execute(c);
      await sql`
        insert into order_holds (order_id, hold_key, reason, stage, cleared_by_role, detail, opened_at, cleared_at,
          paid_day, shop_id, platform)
        select order_id, 'bench:1', (array['buyer_remark','payment_mismatch','address_unreachable','blacklist'])[1 + n % 4],
          1, 'reviewer', '', paid_at, paid_at + (1 + r_c * 29) * interval '1 minute', day, shop_id, platform
        from bench_paid where r_d < 0.05`.execute(c);
      // Their waits filled by the backfill, not appended one by one by the trigger and folded.
      await sql`truncate hold_waits_unfolded`.execute(c);
      await backfillHoldHistograms(c);
    });
    await timed('stage-duration histograms', rows, () => backfillStageHistograms(c));
    await timed('carrier timeliness histograms', rows, () => backfillCarrierHistograms(c));
    await timed('vacuum analyze (as autovacuum would)', rows, async () => {
      for (const t of [
        'orders',
        'sales_facts',
        'sales_daily',
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
        'order_stage_times',
        'stage_duration_hist',
        'hold_wait_hist',
        'carrier_duration_hist',
        'order_holds',
      ]) {
        await sql`vacuum analyze ${sql.table(t)}`.execute(c);
      }
    });
  });
  return rows;
}

type Kind = 'day' | 'week' | 'month' | 'quarter' | 'year';
const LENGTH: Record<Kind, number> = { day: 1, week: 7, month: 30, quarter: 91, year: DAYS };

/** A random period of the kind inside the generated year; every other sample limited to one shop. */
function randomFilter(kind: Kind, i: number): SalesFilter {
  const startOffset = Math.floor(Math.random() * (DAYS - LENGTH[kind] + 1));
  const day = (offset: number) =>
    new Date(Date.parse(`${START}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    period: { from: day(startOffset), to: day(startOffset + LENGTH[kind] - 1) },
    ...(i % 2 === 1 ? { shopIds: [SHOPS[i % SHOPS.length]!.id] } : {}),
  };
}

const BASKET = { minSupport: 0.001, minOrders: 2, minLift: 1.5, minConfidence: 0.1, limit: 100 };

async function measureReports(db: Db): Promise<Array<[string, string]>> {
  const reports: Record<string, (f: SalesFilter, kind: Kind) => Promise<unknown>> = {
    sales: (f, kind) =>
      salesReport(db, f, {
        granularity: kind === 'year' ? 'month' : kind === 'quarter' ? 'week' : 'day',
        top: 20,
      }),
    basket: (f) => basketReport(db, f, { ...BASKET, from: f.period.from, to: f.period.to }),
    'also-bought': (f) => alsoBought(db, f, 'SKU-00001', BASKET),
    efficiency: (f) => efficiencyReport(db, f, {}),
  };
  const rows: Array<[string, string]> = [];
  const only = stringArg('reports')?.split(',');
  for (const [name, report] of Object.entries(reports)) {
    if (only && !only.includes(name)) continue;
    for (const kind of Object.keys(LENGTH) as Kind[]) {
      const ms: number[] = [];
      for (let i = 0; i < SAMPLES; i += 1) {
        const started = performance.now();
        await report(randomFilter(kind, i), kind);
        ms.push(performance.now() - started);
      }
      ms.sort((a, b) => a - b);
      rows.push([
        `${name}, ${kind}`,
        `p50 ${fmt(percentile(ms, 50), 0)} ms, p95 ${fmt(percentile(ms, 95), 0)} ms`,
      ]);
    }
  }
  return rows;
}

/** The planted associations, as the reports find them over the busiest month. */
async function plantedFound(db: Db): Promise<Array<[string, string]>> {
  const filter: SalesFilter = { period: { from: '2026-11-01', to: '2026-11-30' } };
  const rows: Array<[string, string]> = [];
  const pairs = await alsoBought(db, filter, 'SKU-00001', BASKET);
  const rule = pairs.rules.find((r) => r.consequent === 'SKU-00002');
  rows.push([
    'SKU-00001 ⇒ SKU-00002 (November)',
    rule ? `confidence ${rule.confidence}, lift ${rule.lift}, support ${rule.support}` : 'not found',
  ]);
  // About one November order in a thousand (November holds ~15 % of the year's orders).
  const minOrders = Math.max(3, Math.round(ORDERS / 10_000));
  const run = await openItemsetRun(db, {
    id: `bench-${Date.now()}`,
    params: {
      from: '2026-11-01',
      to: '2026-11-30',
      shopIds: null,
      platform: null,
      minOrders,
      maxSize: 3,
    },
    requestedBy: 'bench',
  });
  const started = performance.now();
  const mined = await mineItemsetRun(db, run.id, () => {});
  const seconds = (performance.now() - started) / 1000;
  const totals = await db
    .selectFrom('basket_itemset_runs')
    .select(['baskets', 'items_total'])
    .where('id', '=', run.id)
    .executeTakeFirstOrThrow();
  const triple = await db
    .selectFrom('basket_itemsets')
    .select('orders')
    .where('run_id', '=', run.id)
    .where(sql<boolean>`items = array['SKU-00007','SKU-00008','SKU-00009']`)
    .executeTakeFirst();
  rows.push([
    `FP-growth, November (minOrders ${minOrders}, up to 3 SKUs)`,
    `${fmt(seconds)} s: ${totals.baskets} baskets, ${mined.mined} of ${totals.items_total} header items; {SKU-00007, 00008, 00009} in ${triple?.orders ?? 0} orders`,
  ]);
  return rows;
}

/** What keeping the facts and rollups current costs per order: its events written one order at a time. */
async function rollupCost(db: Db): Promise<Array<[string, string]>> {
  const n = 2_000;
  await sql`
    insert into orders (id, platform, shop_id, platform_order_id, status, platform_status, buyer_id, receiver,
      currency, goods_fen, discount_fen, shipping_fen, paid_fen, platform_created_at, platform_modified_at, paid_at)
    select 'order:jd:bench-jd-1:W' || g, 'jd', 'bench-jd-1', 'W' || g, 'completed', 'bench', 'buyer-w' || g, '{}'::jsonb,
      'CNY', 5000, 0, 0, 5000, now(), now(), now()
    from generate_series(1, ${n}) g`.execute(db);
  const at = new Date().toISOString();
  const started = performance.now();
  for (let i = 1; i <= n; i += 1) {
    const orderId = `order:jd:bench-jd-1:W${i}`;
    await db.transaction().execute(async (trx) => {
      await recordOrderEventFacts(trx, { orderId, seq: 1, stage: 'captured', detail: {}, at });
      await recordOrderEventFacts(trx, { orderId, seq: 2, stage: 'shipped', detail: {}, at });
      await recordOrderEventFacts(trx, {
        orderId,
        seq: 3,
        stage: 'completed',
        detail: { outcome: 'delivered' },
        at,
      });
    });
  }
  const perOrder = (performance.now() - started) / n;
  // Payment of two lines (the paid facts, the totals, the buyer day, the basket and its pair), then
  // the stage times of the order's processing with the durations they make known (appended), then
  // the fold of those durations into the histograms (off the write path, on a schedule).
  await sql`
    insert into order_lines (order_id, line_id, sku_code, quantity, unit_price_fen)
    select 'order:jd:bench-jd-1:W' || g, l, 'SKU-' || lpad((1 + (g * 7 + l::int) % 500)::text, 5, '0'), 1, 2500
    from generate_series(1, ${n}) g cross join (values ('1'), ('2')) v(l)`.execute(db);
  const paidStarted = performance.now();
  for (let i = 1; i <= n; i += 1) {
    const orderId = `order:jd:bench-jd-1:W${i}`;
    await db
      .transaction()
      .execute((trx) =>
        recordOrderEventFacts(trx, { orderId, seq: 4, stage: 'payment_confirmed', detail: {}, at }),
      );
  }
  const paidPerOrder = (performance.now() - paidStarted) / n;
  const stages = [
    'payment_confirmed',
    'audit_passed',
    'stock_reserved',
    'parcel_assigned',
    'picked',
    'packed',
    'shipped',
    'in_transit',
    'completed',
  ];
  const stagesStarted = performance.now();
  for (let i = 1; i <= n; i += 1) {
    const orderId = `order:jd:bench-jd-1:W${i}`;
    await db.transaction().execute(async (trx) => {
      for (const [k, stage] of stages.entries()) {
        const when = new Date(Date.parse(at) + k * 600_000).toISOString();
        const detail = { outcome: 'delivered', warehouse: 'WH-1', carrier: 'SF' };
        await recordStageTime(trx, { orderId, seq: 10 + k, stage, detail, at: when });
      }
    });
  }
  const stagesPerOrder = (performance.now() - stagesStarted) / n;
  const foldStarted = performance.now();
  let folded = 0;
  for (let f; (f = await foldStageDurations(db)) > 0;) folded += f;
  const foldPerOrder = (performance.now() - foldStarted) / n;
  return [
    [
      'facts + rollups, 3 events of an order',
      `${fmt(perOrder, 2)} ms per order (${n} orders, one at a time)`,
    ],
    [
      'payment of 2 lines: facts, totals, buyer day and its recency, basket',
      `${fmt(paidPerOrder, 2)} ms per order`,
    ],
    ['stage times + durations appended, 9 events', `${fmt(stagesPerOrder, 2)} ms per order`],
    [
      'fold into the histograms (scheduled)',
      `${fmt(foldPerOrder, 2)} ms per order (${folded} durations in batches)`,
    ],
  ];
}

/** CPU time (ms) a backend process has used, from /proc/<pid>/stat (utime + stime, in clock ticks). */
function backendCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line (utime, stime); the slice starts at field 3.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

const clientCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** An order's timeline as the pipeline writes it: captured … delivered (ten events). */
const LIFECYCLE: Array<[stage: string, status: string, detail?: Record<string, unknown>]> = [
  ['captured', 'captured'],
  ['payment_confirmed', 'auditing'],
  ['audit_passed', 'allocating'],
  ['stock_reserved', 'awaiting_wave'],
  ['parcel_assigned', 'picking'],
  ['picked', 'picking'],
  ['packed', 'packed'],
  ['shipped', 'shipped'],
  ['in_transit', 'shipped'],
  ['completed', 'completed'],
];
/** A line refunded on the platform after delivery (a return): measured beside the timeline. */
const REFUND: [stage: string, status: string, detail: Record<string, unknown>] = [
  'refund_lines_changed',
  'completed',
  { lines: [{ lineId: '1', refundStatus: 'refunded' }] },
];

/**
 * What the reports' writes add to an order's timeline writes, in CPU time: whole timelines written
 * one event per transaction through `appendOrderEvent`, reports on and off in alternating rounds on
 * one pinned connection (its backend's CPU read from /proc), and the scheduled fold of the stage
 * durations the "on" rounds appended.
 */
async function writeCost(db: Db): Promise<Array<[string, string]>> {
  const keys = generateDataKeys();
  const ring = parseDataKeys(keys.keys, keys.lookupKey);
  const tag = `C${Date.now().toString(36)}`;
  const total = COST_ORDERS * COST_ROUNDS * 2;
  await sql`
    insert into orders (id, platform, shop_id, platform_order_id, status, platform_status, buyer_id, receiver,
      currency, goods_fen, discount_fen, shipping_fen, paid_fen, platform_created_at, platform_modified_at, paid_at,
      receiver_province)
    select 'order:jd:bench-jd-1:' || ${tag} || g, 'jd', 'bench-jd-1', ${tag} || g, 'captured', 'bench',
      'buyer-' || ${tag} || g, '{}'::jsonb, 'CNY', 5000, 0, 0, 5000, now(), now(), now(), '浙江省'
    from generate_series(1, ${total}) g`.execute(db);
  await sql`
    insert into order_lines (order_id, line_id, sku_code, quantity, unit_price_fen)
    select 'order:jd:bench-jd-1:' || ${tag} || g, l, 'SKU-' || lpad((1 + (g * 7 + l::int) % 500)::text, 5, '0'), 1, 2500
    from generate_series(1, ${total}) g cross join (values ('1'), ('2')) v(l)`.execute(db);
  await sql`analyze orders`.execute(db);
  const sums = { on: { db: 0, client: 0, wall: 0, n: 0 }, off: { db: 0, client: 0, wall: 0, n: 0 } };
  // CPU per event kind, reports on and off (the backend's read around each event: 10 ms ticks, so
  // meaningful only summed over many orders).
  const byStage = new Map<
    string,
    { on: { db: number; client: number }; off: { db: number; client: number } }
  >();
  const stageCpu = (stage: string) => {
    const s = byStage.get(stage) ?? { on: { db: 0, client: 0 }, off: { db: 0, client: 0 } };
    byStage.set(stage, s);
    return s;
  };
  const rounds: string[] = [];
  let fold = { db: 0, durations: 0 };
  await db.connection().execute(async (c) => {
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(c)).rows[0]!.pid;
    let next = 1;
    const variant = async (reports: boolean) => {
      const s = sums[reports ? 'on' : 'off'];
      const round = { db: 0, client: 0 };
      const base = Date.now() - 3_600_000;
      for (let i = 0; i < COST_ORDERS; i += 1) {
        const orderId = `order:jd:bench-jd-1:${tag}${next++}`;
        for (const [k, [stage, status, detail]] of [...LIFECYCLE, REFUND].entries()) {
          const t0 = performance.now();
          const d0 = backendCpuMs(pid);
          const c0 = clientCpuMs();
          await c.transaction().execute((trx) =>
            appendOrderEvent(
              trx,
              ring,
              {
                orderId,
                seq: k + 1,
                stage,
                status,
                actor: 'bench',
                detail: detail ?? { outcome: 'delivered', warehouse: 'WH-1', carrier: 'SF' },
                at: new Date(base + k * 600_000).toISOString(),
              },
              { reports },
            ),
          );
          const dbMs = backendCpuMs(pid) - d0;
          const clientMs = clientCpuMs() - c0;
          const kind = stageCpu(stage)[reports ? 'on' : 'off'];
          kind.db += dbMs;
          kind.client += clientMs;
          // The whole timeline's figure stays the ten events of an order as before; the refund after
          // delivery is measured on its own.
          if (k < LIFECYCLE.length) {
            s.db += dbMs;
            s.client += clientMs;
            s.wall += performance.now() - t0;
            round.db += dbMs;
            round.client += clientMs;
          }
        }
      }
      s.n += COST_ORDERS;
      rounds.push(
        `${reports ? 'on' : 'off'} ${fmt(round.db / COST_ORDERS, 2)}+${fmt(round.client / COST_ORDERS, 2)}`,
      );
    };
    for (let r = 0; r < COST_ROUNDS; r += 1) {
      const order = r % 2 === 0 ? [true, false] : [false, true];
      for (const reports of order) await variant(reports);
    }
    const d0 = backendCpuMs(pid);
    for (let f; (f = await foldStageDurations(c)) > 0;) fold.durations += f;
    fold = { ...fold, db: backendCpuMs(pid) - d0 };
  });
  const per = (v: { db: number; client: number; wall: number; n: number }) => ({
    db: v.db / v.n,
    client: v.client / v.n,
    wall: v.wall / v.n,
  });
  const on = per(sums.on);
  const off = per(sums.off);
  const foldPer = fold.db / sums.on.n;
  const added = on.db + on.client - (off.db + off.client) + foldPer;
  return [
    [
      'timeline writes, reports on (10 events)',
      `${fmt(on.db, 2)} ms database CPU + ${fmt(on.client, 2)} ms client CPU per order (wall ${fmt(on.wall, 1)} ms)`,
    ],
    [
      'timeline writes, reports off',
      `${fmt(off.db, 2)} ms database CPU + ${fmt(off.client, 2)} ms client CPU per order (wall ${fmt(off.wall, 1)} ms)`,
    ],
    [
      'fold into the histograms (scheduled)',
      `${fmt(foldPer, 3)} ms database CPU per order (${fold.durations} durations)`,
    ],
    [
      'added by the reports',
      `${fmt(added, 2)} ms CPU per order (${fmt((100 * added) / (off.db + off.client), 0)} % of the timeline writes without them)`,
    ],
    ['rounds (ms CPU per order, database+client)', rounds.join(' · ')],
    ...[...byStage.entries()].map(([stage, v]): [string, string] => {
      const n = sums.on.n;
      const on = (v.on.db + v.on.client) / n;
      const off = (v.off.db + v.off.client) / n;
      return [
        `  ${stage}`,
        `on ${fmt(v.on.db / n, 2)}+${fmt(v.on.client / n, 2)} ms, off ${fmt(v.off.db / n, 2)}+${fmt(v.off.client / n, 2)} ms: the reports add ${fmt(on - off, 2)} ms`,
      ];
    }),
    [
      'load average during',
      os
        .loadavg()
        .map((l) => fmt(l))
        .join(' '),
    ],
  ];
}

/** A database a `--keep` run left behind, on DATABASE_URL's server, migrated to the latest. */
async function reuseDatabase(name: string): Promise<{ db: Db; database: string; close(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('--database needs DATABASE_URL (the server the kept database is on)');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  await admin.end();
  if (found.rowCount === 0) throw new Error(`no database ${name} on that server`);
  const db = createDb({ url: withDatabase(adminUrl, name), poolSize: 8 });
  await migrateToLatest(db);
  return { db, database: name, close: () => db.destroy() };
}

export async function run(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const bench = REUSE ? await reuseDatabase(REUSE) : await openBenchDatabase('reports', 8);
  if (keep && !REUSE) console.error(`keeping the generated database ${bench.database}`);
  try {
    if (!REUSE) {
      const generated = await generate(bench.db);
      const counts = await sql<{ facts: number; daily: number; orders: number }>`
        select (select count(*) from sales_facts)::int as facts, (select count(*) from sales_daily)::int as daily,
          (select count(*) from orders)::int as orders`.execute(bench.db);
      const c = counts.rows[0]!;
      printFigures(`reports: a generated year of ${ORDERS.toLocaleString('en-US')} orders`, [
        ...generated,
        ['rows', `${c.orders} orders, ${c.facts} facts, ${c.daily} daily rollup rows`],
      ]);
    }
    if (ONLY.has('reports'))
      printFigures(
        `reports over random periods (${SAMPLES} each, half of them one shop)`,
        await measureReports(bench.db),
      );
    if (ONLY.has('planted')) printFigures('planted associations', await plantedFound(bench.db));
    if (ONLY.has('rollup-cost')) printFigures('keeping the rollup current', await rollupCost(bench.db));
    if (ONLY.has('write-cost'))
      printFigures('what the reports add to the timeline writes (CPU time)', await writeCost(bench.db));
  } finally {
    if (REUSE) await bench.close();
    else await (bench as Awaited<ReturnType<typeof openBenchDatabase>>).close({ keep });
  }
}

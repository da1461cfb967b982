import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../connect.js';
import { withoutJit } from './jit.js';
import {
  coverPeriod,
  periodBuckets,
  periodDays,
  type Granularity,
  type Period,
} from '../../../domain/reports/period.js';

/** Which sales a report covers: a period of China calendar days, and optionally shops and a platform. */
export interface SalesFilter {
  period: Period;
  shopIds?: readonly string[] | undefined;
  platform?: string | undefined;
}

/** The figures of a period (docs/reports.md defines each). Money in CNY fen. */
export interface SalesFigures {
  placedOrders: number;
  gmvFen: number;
  paidOrders: number;
  payingBuyers: number;
  paidFen: number;
  refundFen: number;
  netSalesFen: number;
  /** 客单价: paid ÷ paying buyers; null without buyers. */
  aovFen: number | null;
  units: number;
  /** 连带率: units ÷ paid orders. */
  unitsPerOrder: number | null;
  refundedUnits: number;
  cancelledOrders: number;
  shippedOrders: number;
  deliveredOrders: number;
  skusSold: number;
}

/** The filter's WHERE on a table with day, shop_id and platform columns. */
export function salesWhere(f: SalesFilter, alias: string): RawBuilder<unknown> {
  const t = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [
    sql`${t}.day between ${f.period.from}::date and ${f.period.to}::date`,
  ];
  if (f.shopIds) parts.push(sql`${t}.shop_id = any(${[...f.shopIds]}::text[])`);
  if (f.platform) parts.push(sql`${t}.platform = ${f.platform}`);
  return sql.join(parts, sql` and `);
}

/** The figures summed over `sales_daily_totals` (order-level rows by day × shop × platform). */
const SUMS = sql`
  coalesce(sum(placed_orders), 0)::int as placed_orders,
  coalesce(sum(gmv_fen), 0)::bigint as gmv_fen,
  coalesce(sum(paid_orders), 0)::int as paid_orders,
  coalesce(sum(paid_fen), 0)::bigint as paid_fen,
  coalesce(sum(refund_fen), 0)::bigint as refund_fen,
  coalesce(sum(units), 0)::int as units,
  coalesce(sum(refunded_units), 0)::int as refunded_units,
  coalesce(sum(cancelled_orders), 0)::int as cancelled_orders,
  coalesce(sum(shipped_orders), 0)::int as shipped_orders,
  coalesce(sum(delivered_orders), 0)::int as delivered_orders`;

interface SumsRow {
  placed_orders: number;
  gmv_fen: number;
  paid_orders: number;
  paid_fen: number;
  refund_fen: number;
  units: number;
  refunded_units: number;
  cancelled_orders: number;
  shipped_orders: number;
  delivered_orders: number;
}

const NO_SALES: SumsRow = {
  placed_orders: 0,
  gmv_fen: 0,
  paid_orders: 0,
  paid_fen: 0,
  refund_fen: 0,
  units: 0,
  refunded_units: 0,
  cancelled_orders: 0,
  shipped_orders: 0,
  delivered_orders: 0,
};

function figures(row: SumsRow | undefined, payingBuyers: number, skusSold: number): SalesFigures {
  const r = row ?? NO_SALES;
  return {
    placedOrders: r.placed_orders,
    gmvFen: r.gmv_fen,
    paidOrders: r.paid_orders,
    payingBuyers,
    paidFen: r.paid_fen,
    refundFen: r.refund_fen,
    netSalesFen: r.paid_fen - r.refund_fen,
    aovFen: payingBuyers > 0 ? Math.round(r.paid_fen / payingBuyers) : null,
    units: r.units,
    unitsPerOrder: r.paid_orders > 0 ? Math.round((r.units / r.paid_orders) * 100) / 100 : null,
    refundedUnits: r.refunded_units,
    cancelledOrders: r.cancelled_orders,
    shippedOrders: r.shipped_orders,
    deliveredOrders: r.delivered_orders,
    skusSold,
  };
}

/** The period's bucket of a day column (the whole period when no granularity is given). */
function bucketOf(granularity: Granularity | null, column: string): RawBuilder<string> {
  return granularity
    ? sql<string>`to_char(date_trunc(${sql.lit(granularity)}, ${sql.raw(column)}), 'YYYY-MM-DD')`
    : sql<string>`''`;
}

/** The days of a run, oldest first. */
function daysOf(run: Period): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${run.from}T00:00:00Z`); t <= Date.parse(`${run.to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** A bucket's label as `bucketOf` gives it: the day, the week's Monday or the month's first day. */
function bucketLabel(granularity: Granularity | null, day: string): string {
  if (granularity === null) return '';
  if (granularity === 'month') return `${day.slice(0, 8)}01`;
  if (granularity === 'day') return day;
  const t = Date.parse(`${day}T00:00:00Z`);
  return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Where the filter's buyers are counted: recency cells of a shop, or of all shops of a platform
 * (`shopId` ''; `platform` null for every platform), and shops whose buyers are counted distinct
 * from their buyer days. Buyers are distinct per platform, so each platform's are counted apart: a
 * shop alone from its own cells, every shop of a platform that sold in the period from the
 * platform's, and only some of a platform's shops (a user limited to two of three Taobao shops)
 * from their buyer days, since no cells hold those shops together.
 */
async function buyerScopes(
  db: Db,
  f: SalesFilter,
): Promise<{ cells: Array<{ shopId: string; platform: string | null }>; exactShops: string[] }> {
  if (!f.shopIds) return { cells: [{ shopId: '', platform: f.platform ?? null }], exactShops: [] };
  if (f.shopIds.length === 1)
    return { cells: [{ shopId: f.shopIds[0]!, platform: f.platform ?? null }], exactShops: [] };
  // The shops that sold in the period (each bucket's are among them), by platform.
  const sold = await sql<{ shop_id: string; platform: string }>`
    select distinct shop_id, platform from sales_daily_totals d
    where ${salesWhere({ period: f.period, platform: f.platform }, 'd')} and d.paid_orders > 0`.execute(db);
  const chosen = new Set(f.shopIds);
  const byPlatform = new Map<string, { all: number; chosen: string[] }>();
  for (const r of sold.rows) {
    const p = byPlatform.get(r.platform) ?? { all: 0, chosen: [] };
    p.all += 1;
    if (chosen.has(r.shop_id)) p.chosen.push(r.shop_id);
    byPlatform.set(r.platform, p);
  }
  const out = { cells: [] as Array<{ shopId: string; platform: string | null }>, exactShops: [] as string[] };
  for (const [platform, p] of byPlatform) {
    if (p.chosen.length === 0) continue;
    if (p.chosen.length === p.all) out.cells.push({ shopId: '', platform });
    else if (p.chosen.length === 1) out.cells.push({ shopId: p.chosen[0]!, platform });
    else out.exactShops.push(...p.chosen);
  }
  return out;
}

/**
 * The rollup units of each bucket of the period (the whole period without a granularity): its whole
 * months, whole weeks and single days (`coverPeriod`), each with its bucket's label and first day
 * (`since`) and that day's month (`since_month`).
 */
function rollupUnits(
  f: SalesFilter,
  granularity: Granularity | null,
): Array<{ bucket: string; grain: string; starts: string; since: string; since_month: string }> {
  const buckets = granularity ? periodBuckets(f.period, granularity) : [f.period];
  return buckets.flatMap((b) => {
    const c = coverPeriod(b);
    const since = {
      bucket: bucketLabel(granularity, b.from),
      since: b.from,
      since_month: `${b.from.slice(0, 8)}01`,
    };
    const days = c.days.flatMap(daysOf);
    return [
      ...c.months.map((starts) => ({ ...since, grain: 'month', starts })),
      ...c.weeks.map((starts) => ({ ...since, grain: 'week', starts })),
      ...days.map((starts) => ({ ...since, grain: 'day', starts })),
    ];
  });
}

/** The filter's sets of SKUs sold (alias s): over all shops the all-shop sets, else the shops' own. */
function setScope(f: SalesFilter): RawBuilder<unknown> {
  if (!f.shopIds && !f.platform) return sql`s.shop_id = '' and s.platform = ''`;
  return sql.join(
    [
      sql`s.shop_id <> ''`,
      ...(f.shopIds ? [sql`s.shop_id = any(${[...f.shopIds]}::text[])`] : []),
      ...(f.platform ? [sql`s.platform = ${f.platform}`] : []),
    ],
    sql` and `,
  );
}

/**
 * SKUs sold per bucket (the whole period without a granularity), exact for every period and filter
 * (db/queries/skus-sold.ts): each bucket's units (`rollupUnits`) OR their sets of SKUs sold, over
 * all shops from the all-shop sets, else over the filter's shops (a platform: all its shops), and
 * the bits set are counted. One row per unit and shop: a 30-day series by day reads 30 sets, where
 * counting the SKU rows read one row per SKU and day.
 */
async function skusSoldByBucket(
  db: Db,
  f: SalesFilter,
  granularity: Granularity | null,
): Promise<Map<string, number>> {
  const units = rollupUnits(f, granularity);
  const scope = setScope(f);
  const r = await sql<{ bucket: string; n: number }>`
    select bucket, bit_count(bit_or(rpad(skus::text, len, '0')::varbit))::int as n
    from (
      select u.bucket, s.skus, max(length(s.skus)) over () as len
      from unnest(${units.map((u) => u.bucket)}::text[], ${units.map((u) => u.grain)}::text[],
        ${units.map((u) => u.starts)}::date[]) as u(bucket, grain, starts)
      join sales_skus_sold s on s.grain = u.grain and s.starts = u.starts and ${scope}
    ) x
    group by bucket`.execute(db);
  return new Map(r.rows.map((x) => [x.bucket, x.n]));
}

/**
 * Paying buyers per bucket (the whole period without a granularity), distinct per platform, exact
 * for every period (db/queries/buyer-recency.ts): each bucket is cut into its whole months, whole
 * weeks and days (`coverPeriod`), and each unit counts its buyer days whose buyer last paid before
 * the bucket's first day — each buyer once, on their first day in the bucket — from its month
 * cells before that day's month and its day cells from that month's start to the day before: two
 * short index scans per unit and scope. Shops that share no cells (some, not all, of a platform's
 * shops) are counted distinct from their buyer days.
 */
async function payingBuyers(
  db: Db,
  f: SalesFilter,
  granularity: Granularity | null,
): Promise<Map<string, number>> {
  const units = rollupUnits(f, granularity);
  const scopes = await buyerScopes(db, f);
  const out = new Map<string, number>();
  const add = (rows: Array<{ bucket: string; n: number }>) => {
    for (const r of rows) out.set(r.bucket, (out.get(r.bucket) ?? 0) + r.n);
  };
  const fromCells = async () => {
    if (scopes.cells.length === 0) return;
    const cells = (prev: RawBuilder<unknown>) => sql`(
      select sum(c.buyer_days) from sales_buyer_recency c
      where c.grain = u.grain and c.starts = u.starts and c.shop_id = s.shop_id and ${prev}
        and (s.platform is null or c.platform = s.platform))`;
    // Arrays unnested, not JSON: the planner then knows how many units and scopes there are (a
    // JSON record set counts as 100 rows each, and 10,000 estimated loops had PostgreSQL JIT-compile
    // a query that reads a few hundred rows: ~0.3 s of compiling on the 1,000,000-order benchmark).
    const r = await sql<{ bucket: string; n: number }>`
      select u.bucket, sum(x.n)::int as n
      from unnest(${units.map((u) => u.bucket)}::text[], ${units.map((u) => u.grain)}::text[],
          ${units.map((u) => u.starts)}::date[], ${units.map((u) => u.since)}::date[],
          ${units.map((u) => u.since_month)}::date[]) as u(bucket, grain, starts, since, since_month)
      cross join unnest(${scopes.cells.map((c) => c.shopId)}::text[], ${scopes.cells.map((c) => c.platform)}::text[])
        as s(shop_id, platform)
      cross join lateral (select
        coalesce(${cells(sql`c.prev_grain = 'month' and c.prev_starts < u.since_month`)}, 0)
        + coalesce(${cells(sql`c.prev_grain = 'day' and c.prev_starts >= u.since_month and c.prev_starts < u.since`)}, 0)
        as n) x
      group by u.bucket`.execute(db);
    add(r.rows);
  };
  const fromBuyerDays = async () => {
    if (scopes.exactShops.length === 0) return;
    const r = await sql<{ bucket: string; n: number }>`
      select bucket, count(*)::int as n from (
        select distinct ${bucketOf(granularity, 'b.day')} as bucket, b.platform, b.buyer_id
        from sales_buyer_days b
        where ${salesWhere({ period: f.period, shopIds: scopes.exactShops, platform: f.platform }, 'b')}
      ) x group by bucket`.execute(db);
    add(r.rows);
  };
  await Promise.all([fromCells(), fromBuyerDays()]);
  return out;
}

/**
 * The period's figures per bucket: sums from the order-level totals, paying buyers counted distinct
 * (per platform: a buyer id is a platform's) from the buyer recency cells, SKUs sold from the sets
 * of SKUs sold.
 */
async function bucketFigures(
  db: Db,
  f: SalesFilter,
  granularity: Granularity | null,
  skusSold?: number,
): Promise<Array<SalesFigures & { bucket: string }>> {
  const [sums, buyers, skus] = await Promise.all([
    sql<SumsRow & { bucket: string }>`
      select ${bucketOf(granularity, 'd.day')} as bucket, ${SUMS}
      from sales_daily_totals d where ${salesWhere(f, 'd')} group by 1 order by 1`.execute(db),
    payingBuyers(db, f, granularity),
    // SKUs sold of the whole period already counted (periodSkus): not read again.
    skusSold !== undefined && granularity === null
      ? new Map([['', skusSold]])
      : skusSoldByBucket(db, f, granularity),
  ]);
  return sums.rows.map((r) => ({
    bucket: r.bucket,
    ...figures(r, buyers.get(r.bucket) ?? 0, skus.get(r.bucket) ?? 0),
  }));
}

/** The period's figures (docs/reports.md); `skusSold` when already counted (periodSkus). */
export async function salesTotals(db: Db, f: SalesFilter, skusSold?: number): Promise<SalesFigures> {
  const [whole] = await bucketFigures(db, f, null, skusSold);
  if (!whole) return figures(undefined, 0, 0);
  const { bucket: _bucket, ...totals } = whole;
  return totals;
}

/** The period's figures by day, week (Monday first) or month, oldest first. */
export async function salesSeries(
  db: Db,
  f: SalesFilter,
  granularity: Granularity,
): Promise<Array<SalesFigures & { bucket: string }>> {
  return bucketFigures(db, f, granularity);
}

/**
 * The period's figures and its series by `granularity`, read together: a period inside one bucket
 * (a day by day, a week by week, a calendar month by month) is that bucket, so it is read once and
 * the series is its one bucket (none without sales, as `salesSeries` answers). `skusSold` as for
 * `salesTotals` (used for the totals of a period of several buckets).
 */
export async function salesTotalsAndSeries(
  db: Db,
  f: SalesFilter,
  granularity: Granularity,
  skusSold?: number,
): Promise<{ totals: SalesFigures; series: Array<SalesFigures & { bucket: string }> }> {
  if (periodBuckets(f.period, granularity).length > 1) {
    const [totals, series] = await Promise.all([
      salesTotals(db, f, skusSold),
      salesSeries(db, f, granularity),
    ]);
    return { totals, series };
  }
  const [whole] = await bucketFigures(db, f, null);
  if (!whole) return { totals: figures(undefined, 0, 0), series: [] };
  const { bucket: _bucket, ...totals } = whole;
  return { totals, series: [{ bucket: bucketLabel(granularity, f.period.from), ...totals }] };
}

export interface SkuSales {
  skuCode: string;
  paidLines: number;
  units: number;
  paidFen: number;
  refundFen: number;
  refundedUnits: number;
}

/** The SKUs that sold most in the period, by amount paid. */
export async function topSkus(db: Db, f: SalesFilter, limit: number): Promise<SkuSales[]> {
  return (await periodSkus(db, f, limit)).top;
}

/**
 * SKU kinds in stock during the period, the denominator of 动销率 (本月在库 SKU 种类数): those on hand
 * in any warehouse now, and those the period sold (they were in stock when they sold, though some
 * are sold out now). The stock table keeps no history, so a kind stocked and emptied in the period
 * without selling is not seen; without the sold ones a sold-out best seller made the rate exceed 100 %.
 */
export async function skusStocked(db: Db, f: SalesFilter): Promise<number> {
  return (await periodSkus(db, f, 1)).skusInStock;
}

/**
 * The period's parts for its top SKUs: its whole months and whole weeks (`coverPeriod`), read from
 * `sales_sku_periods` per shop counted (over all shops from the all-shop rows, which have days too),
 * each with its days; and for shops or a platform the days left over (`edgeDays`), which a shop's
 * `sales_daily` holds, read whole and summed into one part.
 */
function skuParts(f: SalesFilter): { grain: string[]; starts: string[]; days: number[]; edgeDays: string[] } {
  const cover = coverPeriod(f.period);
  const allShops = !f.shopIds && !f.platform;
  const monthDays = (m: string) => {
    const d = new Date(`${m}T00:00:00Z`);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  };
  const days = cover.days.flatMap(daysOf);
  const units = [
    ...cover.months.map((m) => ['month', m, monthDays(m)] as const),
    ...cover.weeks.map((w) => ['week', w, 7] as const),
    ...(allShops ? days.map((d) => ['day', d, 1] as const) : []),
  ];
  return {
    grain: units.map((u) => u[0]),
    starts: units.map((u) => u[1]),
    days: units.map((u) => u[2]),
    edgeDays: allShops ? [] : days,
  };
}

/**
 * The period's top SKUs by amount paid (then units, then code), exact, without summing every SKU of
 * the period. Its parts — each whole month, whole week (and over all shops each day) in each shop
 * counted or over all shops, read most paid first (`sales_sku_periods_paid`, 0966), and for shops the
 * days left over summed whole into one part (a shop's day holds a few hundred SKUs, most sold once):
 *
 * 1. each part's `limit` most paid SKUs: their sums are lower bounds of those SKUs' totals, and the
 *    `limit`-th highest of them, τ, is at most the `limit`-th highest total of the period;
 * 2. each read part's SKUs paid at least its share of τ, tᵢ = ⌊τ × daysᵢ ÷ days⌋, and the days' SKUs
 *    paid at least what is left, τ − Σ tᵢ: a SKU in none of them took less than its share in every
 *    part (amounts are whole fen, never negative), so less than τ in all, while at least `limit` SKUs
 *    took τ or more — it cannot be in the top, whatever the ties;
 * 3. those candidates' exact figures, looked up in every part, sorted and cut to `limit`.
 *
 * τ 0 (fewer SKUs paid than the top asks) makes every SKU a candidate. The threshold algorithm of
 * Fagin, Lotem and Naor (2001) in the three phases of Cao and Wang's TPUT (2004).
 */
async function topSkusOf(db: Db, f: SalesFilter, limit: number): Promise<SkuSales[]> {
  const u = skuParts(f);
  const scopes =
    !f.shopIds && !f.platform
      ? sql`select ''::text as shop_id, ''::text as platform`
      : sql`select distinct d.shop_id, d.platform from sales_daily_totals d where ${salesWhere(f, 'd')}`;
  const edgeScope = sql.join(
    [
      ...(f.shopIds ? [sql`r.shop_id = any(${[...f.shopIds]}::text[])`] : []),
      ...(f.platform ? [sql`r.platform = ${f.platform}`] : []),
    ],
    sql` and `,
  );
  const FIGURES = sql`paid_orders, units, paid_fen, refund_fen, refunded_units`;
  // Not JIT-compiled (withoutJit): CTEs have no statistics, and the planner costed it as thousands of
  // rows. Each lateral lookup is fenced (offset 0): flattened, the planner joined the candidates last
  // (it takes a CTE for one row) and read every SKU of each part instead of looking them up.
  const r = await withoutJit(
    db,
    sql<{
      top: Array<{
        sku_code: string;
        paid_lines: number;
        units: number;
        paid_fen: number;
        refund_fen: number;
        refunded_units: number;
      }> | null;
    }>`
    with scopes as materialized (${scopes}), parts as materialized (
      select u.grain, u.starts, u.days::bigint as days, s.shop_id, s.platform
      from unnest(${u.grain}::text[], ${u.starts}::date[], ${u.days}::int[]) as u(grain, starts, days)
      cross join scopes s
    ), edge as materialized (
      select r.sku_code, sum(r.paid_orders) as paid_orders, sum(r.units) as units, sum(r.paid_fen) as paid_fen,
        sum(r.refund_fen) as refund_fen, sum(r.refunded_units) as refunded_units
      from sales_daily r
      where ${u.edgeDays.length > 0 ? sql`r.day = any(${u.edgeDays}::date[]) and r.sku_code <> '' and ${edgeScope}` : sql`false`}
      group by r.sku_code
    ), ranked as materialized (
      select x.sku_code, x.paid_fen from parts p cross join lateral (
        select r.sku_code, r.paid_fen from sales_sku_periods r
        where r.grain = p.grain and r.starts = p.starts and r.shop_id = p.shop_id and r.platform = p.platform
        order by r.paid_fen desc limit ${limit}) x
      union all
      (select sku_code, paid_fen from edge order by paid_fen desc limit ${limit})
    ), bar as materialized (
      select b.tau, b.weight, b.tau - coalesce((select sum(b.tau * p.days / b.weight) from parts p), 0) as edge_bar
      from (
        select coalesce((
          select sum(paid_fen) from ranked group by sku_code order by 1 desc offset ${limit - 1} limit 1
        ), 0)::bigint as tau,
        greatest(1, coalesce((select sum(days) from parts), 0)
          + ${u.edgeDays.length}::bigint * (select count(*) from scopes))::bigint as weight
      ) b
    ), candidates as materialized (
      select x.sku_code from parts p cross join bar b cross join lateral (
        select r.sku_code from sales_sku_periods r
        where r.grain = p.grain and r.starts = p.starts and r.shop_id = p.shop_id and r.platform = p.platform
          and r.paid_fen >= b.tau * p.days / b.weight
        offset 0) x
      union
      select e.sku_code from edge e cross join bar b where e.paid_fen >= b.edge_bar
    ), figures as (
      select x.sku_code, sum(x.paid_orders)::int as paid_lines, sum(x.units)::int as units,
        sum(x.paid_fen)::bigint as paid_fen, sum(x.refund_fen)::bigint as refund_fen,
        sum(x.refunded_units)::int as refunded_units
      from (
        select c.sku_code, x.* from candidates c cross join parts p cross join lateral (
          select ${FIGURES} from sales_sku_periods r
          where r.grain = p.grain and r.starts = p.starts and r.shop_id = p.shop_id and r.platform = p.platform
            and r.sku_code = c.sku_code
          offset 0) x
        union all
        select e.sku_code, e.paid_orders, e.units, e.paid_fen, e.refund_fen, e.refunded_units
        from edge e join candidates c using (sku_code)
      ) x
      group by x.sku_code
    )
    select json_agg(t order by t.paid_fen desc, t.units desc, t.sku_code) as top from (
      select * from figures order by paid_fen desc, units desc, sku_code limit ${limit}
    ) t`,
  );
  return (r.rows[0]?.top ?? []).map((x) => ({
    skuCode: x.sku_code,
    paidLines: x.paid_lines,
    units: x.units,
    paidFen: Number(x.paid_fen),
    refundFen: Number(x.refund_fen),
    refundedUnits: x.refunded_units,
  }));
}

/**
 * SKUs sold in the period (units paid) and SKU kinds in stock during it (the denominator of 动销率:
 * see `skusStocked`), from the sets of SKUs sold (db/queries/skus-sold.ts): the OR of the period's
 * units' sets, its bits counted, and the SKUs they number joined with those on hand now.
 */
async function soldAndStocked(db: Db, f: SalesFilter): Promise<{ skusSold: number; skusInStock: number }> {
  const units = rollupUnits(f, null);
  const r = await sql<{ skus_sold: number; skus_in_stock: number }>`
    with sold as materialized (
      select bit_or(rpad(x.skus::text, x.len, '0')::varbit) as skus from (
        select s.skus, max(length(s.skus)) over () as len
        from unnest(${units.map((x) => x.grain)}::text[], ${units.map((x) => x.starts)}::date[]) as u(grain, starts)
        join sales_skus_sold s on s.grain = u.grain and s.starts = u.starts and ${setScope(f)}
      ) x
    )
    select coalesce(bit_count(sold.skus), 0)::int as skus_sold,
      (select count(*) from (
        select sku_code from stock where on_hand > 0
        union
        select k.sku_code from sales_sku_numbers k
        where k.n < length(sold.skus) and get_bit(sold.skus, k.n) = 1
      ) k)::int as skus_in_stock
    from sold`.execute(db);
  const row = r.rows[0];
  return { skusSold: row?.skus_sold ?? 0, skusInStock: row?.skus_in_stock ?? 0 };
}

/**
 * What the period's SKUs give: the SKUs that sold most by amount paid (`top`, `topSkusOf`), how many
 * SKUs sold (`skusSold`, units paid > 0) and the SKU kinds in stock during the period (`skusInStock`,
 * the denominator of 动销率: see `skusStocked`).
 */
export async function periodSkus(
  db: Db,
  f: SalesFilter,
  limit: number,
): Promise<{ top: SkuSales[]; skusSold: number; skusInStock: number }> {
  const [top, counts] = await Promise.all([topSkusOf(db, f, limit), soldAndStocked(db, f)]);
  return { top, ...counts };
}

export interface Traffic {
  visitors: number | null;
  /** Shop-days of the period with sales or in the filter that have no traffic figure. */
  missingShopDays: number;
}

/**
 * Visitors of the period: known only when every shop counted (the filter's, else those that sold)
 * has a traffic figure for every day of it; otherwise null, with how many shop-days are missing.
 */
export async function periodTraffic(db: Db, f: SalesFilter): Promise<Traffic> {
  // The shops counted and their visitors in one statement.
  const shops = f.shopIds
    ? sql`select unnest(${[...f.shopIds]}::text[]) as shop_id`
    : sql`select distinct shop_id from sales_daily_totals d where ${salesWhere(f, 'd')}`;
  const r = await sql<{ shops: number; visitors: number; covered: number }>`
    with s as materialized (${shops})
    select (select count(distinct shop_id) from s)::int as shops,
      coalesce(sum(t.visitors), 0)::bigint as visitors, count(t.day)::int as covered
    from shop_traffic_daily t
    where t.shop_id in (select shop_id from s)
      and t.day between ${f.period.from}::date and ${f.period.to}::date`.execute(db);
  const row = r.rows[0]!;
  if (row.shops === 0) return { visitors: null, missingShopDays: 0 };
  const missing = row.shops * periodDays(f.period) - row.covered;
  return { visitors: missing === 0 ? row.visitors : null, missingShopDays: missing };
}

/** Stores visitors per shop and day (a later upload of the same shop-day replaces it). */
export async function upsertTraffic(
  db: Db,
  rows: ReadonlyArray<{ shopId: string; day: string; visitors: number; pageViews: number | null }>,
  source: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  await db
    .insertInto('shop_traffic_daily')
    .values(
      rows.map((r) => ({
        shop_id: r.shopId,
        day: r.day,
        visitors: r.visitors,
        page_views: r.pageViews,
        source,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['shop_id', 'day']).doUpdateSet((eb) => ({
        visitors: eb.ref('excluded.visitors'),
        page_views: eb.ref('excluded.page_views'),
        source: eb.ref('excluded.source'),
        updated_at: new Date(),
      })),
    )
    .execute();
  return rows.length;
}

import { sql } from 'kysely';
import { bundleBecause } from '../../../domain/reports/bundle-reason.js';
import { coverPeriod } from '../../../domain/reports/period.js';
import type { Db } from '../../connect.js';
import { withoutJit } from './jit.js';
import { salesWhere, type SalesFilter } from './sales.js';

/** Baskets larger than this are left out of pair counts: a wholesale order pairs everything. */
export const MAX_BASKET_SKUS = 50;

export interface BasketOptions {
  /** Least share of the period's orders a pair must be in (0.01 = 1 %). */
  minSupport: number;
  /** Pairs must be in at least this many orders, whatever the share. */
  minOrders: number;
  limit: number;
}

/** A rule A ⇒ B of a pair: how often A's orders also hold B. */
export interface PairRule {
  antecedent: string;
  consequent: string;
  /** Orders with both. */
  orders: number;
  /** Orders with both ÷ orders in the period. */
  support: number;
  /** Orders with both ÷ orders with the antecedent. */
  confidence: number;
  /** Confidence ÷ (orders with the consequent ÷ orders). Above 1: bought together more than chance. */
  lift: number;
  antecedentOrders: number;
  consequentOrders: number;
}

interface PairRow {
  a: string;
  b: string;
  ab: number;
  ca: number;
  cb: number;
  n: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function rule(
  antecedent: string,
  consequent: string,
  ab: number,
  ca: number,
  cb: number,
  n: number,
): PairRule {
  return {
    antecedent,
    consequent,
    orders: ab,
    support: round(ab / n),
    confidence: round(ab / ca),
    lift: round((ab * n) / (ca * cb)),
    antecedentOrders: ca,
    consequentOrders: cb,
  };
}

/** Above this many candidate SKUs the pairs are read whole: the pruning would not pay. */
const MAX_PAIR_CANDIDATES = 1000;
/**
 * Periods shorter than this read their pairs whole: a day's or a week's pairs are few, and the
 * month rows the candidates come from would cost more than they save (measured at 1,000,000
 * orders: also-bought for a day 6 → 138 ms p95 with them; docs/benchmarks.md).
 */
const MIN_PRUNE_DAYS = 15;

/**
 * The SKUs that can be in a pair of at least `least` orders in the period (a pair is in no more
 * orders than either of its SKUs): those paid on at least `least` order lines over the whole
 * calendar months the period falls in, over all shops (`sales_sku_periods`, at most 12 × the SKUs
 * rows for a year). An upper bound of each SKU's basket count for any period, shops or platform
 * inside those months — baskets count an order's distinct paid SKUs on the day they were paid, the
 * month rows every paid line of those days — so leaving the others out drops no pair the report
 * would keep. `null`: too many candidates to be worth it (or none asked: `least` ≤ 1).
 */
async function pairCandidates(db: Db, f: SalesFilter, least: number): Promise<string[] | null> {
  if (least <= 1) return null;
  const rows = await sql<{ sku_code: string }>`
    select sku_code from sales_sku_periods
    where grain = 'month' and shop_id = '' and platform = ''
      and starts between date_trunc('month', ${f.period.from}::date)::date and ${f.period.to}::date
    group by sku_code having sum(paid_orders) >= ${least}::int
    limit ${MAX_PAIR_CANDIDATES + 1}`.execute(db);
  return rows.rows.length > MAX_PAIR_CANDIDATES ? null : rows.rows.map((r) => r.sku_code);
}

/**
 * Below this bar (as a share of the period's orders) the pairs are summed from the days: each week
 * and month would hold too many pairs at or above its share of the bar for the candidates to pay.
 */
export const PAIR_FLOOR_SUPPORT = 0.0005;

export interface PairOptions extends BasketOptions {
  /** Only the pairs holding this SKU (also-bought). */
  sku?: string | undefined;
  /**
   * How the pairs are counted: from the weeks and months (`units`) or the days (`days`). Both are
   * exact; left out, the units when the period holds a whole month and the bar is at least
   * PAIR_FLOOR_SUPPORT of its orders. For the tests that hold the two to each other.
   */
  via?: 'units' | 'days' | undefined;
}

/**
 * Every pair of SKUs paid together in one order in the period that reaches the bar, exact
 * (docs/reports.md): each order's distinct paid SKUs counted on its day (0955_basket_rollups, baskets
 * over MAX_BASKET_SKUS left out), a period's counts being the sums of its parts. A period holding
 * a whole month reads its whole months and weeks from their counts (0965) and only the days left
 * over from the daily ones; the pairs summed are only those frequent in at least one part
 * (`unitPairs`). Returns both rules of each pair.
 */
export async function basketPairs(db: Db, f: SalesFilter, o: PairOptions) {
  const cover = coverPeriod(f.period);
  const units = [
    ...cover.months.map((starts) => ({ grain: 'month', starts })),
    ...cover.weeks.map((starts) => ({ grain: 'week', starts })),
  ];
  // A period without a whole month (a 30-day window of weeks and days) reads its days: the days
  // left over around its weeks cost more than the days' own pairs, pruned by SKU (measured at
  // 1,000,000 orders, docs/benchmarks.md).
  if (o.via === 'days' || (o.via !== 'units' && cover.months.length === 0) || units.length === 0)
    return dayPairs(db, f, o, await dayOrders(db, f));
  const edgeDays = cover.days.flatMap(daysOf);
  const counted = await sql<{ cells: number; edge: number }>`
    select coalesce((select sum(c.n) from (${cellsOf(f, units)}) c), 0)::int as cells,
      coalesce((select sum(d.orders) from basket_daily_orders d where ${edgeWhere(f, edgeDays, 'd')}), 0)::int as edge`.execute(
    db,
  );
  const { cells, edge } = counted.rows[0]!;
  const orders = cells + edge;
  if (orders === 0) return { orders, rules: [] };
  const bar = barOf(o, orders);
  if (o.via !== 'units' && bar < PAIR_FLOOR_SUPPORT * orders) return dayPairs(db, f, o, orders);
  return unitPairs(db, f, o, { units, edgeDays, orders, edge, bar });
}

/**
 * ⌈a ÷ b⌉ of positive integers, exactly (a pair's count is an integer: at least bar·N_edge ÷ N
 * is at least its ceiling). Compared as an integer constant: numeric arithmetic on every pair of
 * the edge days cost ~90 ms for a quarter's 25,000 pairs under load.
 */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** The least orders a kept pair is in: `minOrders`, and `minSupport` of the period's orders. */
function barOf(o: BasketOptions, orders: number): number {
  return Math.max(o.minOrders, Math.ceil(o.minSupport * orders));
}

/** The days of a run, oldest first. */
function daysOf(run: { from: string; to: string }): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${run.from}T00:00:00Z`); t <= Date.parse(`${run.to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The filter's shops and platform on week and month rows: the all-shop rows, else the shops' rows. */
function unitScope(f: SalesFilter, alias: string) {
  const t = sql.raw(alias);
  if (!f.shopIds && !f.platform) return sql`${t}.shop_id = '' and ${t}.platform = ''`;
  return sql.join(
    [
      sql`${t}.shop_id <> ''`,
      ...(f.shopIds ? [sql`${t}.shop_id = any(${[...f.shopIds]}::text[])`] : []),
      ...(f.platform ? [sql`${t}.platform = ${f.platform}`] : []),
    ],
    sql` and `,
  );
}

/**
 * The parts a period's weeks and months split into, with their baskets (n): each unit over all shops
 * (the sum of its shops' baskets; pairs and SKUs have all-shop rows), else in each shop of the filter.
 */
function cellsOf(f: SalesFilter, units: Array<{ grain: string; starts: string }>) {
  const unit = sql`unnest(${units.map((u) => u.grain)}::text[], ${units.map((u) => u.starts)}::date[]) as u(grain, starts)
    join basket_period_orders c on c.grain = u.grain and c.starts = u.starts`;
  return !f.shopIds && !f.platform
    ? sql`select c.grain, c.starts, ''::text as shop_id, ''::text as platform, sum(c.orders)::int as n
        from ${unit} group by 1, 2 having sum(c.orders) > 0`
    : sql`select c.grain, c.starts, c.shop_id, c.platform, c.orders as n
        from ${unit} where ${unitScope(f, 'c')} and c.orders > 0`;
}

/** The filter on daily rows of the given days (the days a period's weeks and months leave over). */
function edgeWhere(f: SalesFilter, days: string[], alias: string) {
  const t = sql.raw(alias);
  return sql.join(
    [
      sql`${t}.day = any(${days}::date[])`,
      ...(f.shopIds ? [sql`${t}.shop_id = any(${[...f.shopIds]}::text[])`] : []),
      ...(f.platform ? [sql`${t}.platform = ${f.platform}`] : []),
    ],
    sql` and `,
  );
}

async function dayOrders(db: Db, f: SalesFilter): Promise<number> {
  const counted = await sql<{ n: number }>`
    select coalesce(sum(orders), 0)::int as n from basket_daily_orders d where ${salesWhere(f, 'd')}`.execute(
    db,
  );
  return counted.rows[0]?.n ?? 0;
}

function rulesOf(rows: PairRow[]): PairRule[] {
  return rows.flatMap((r) => [rule(r.a, r.b, r.ab, r.ca, r.cb, r.n), rule(r.b, r.a, r.ab, r.cb, r.ca, r.n)]);
}

/**
 * The pairs summed over the period's days (0955's daily counts), the pairs first, then the single-SKU
 * counts of the SKUs they name for confidence and lift.
 */
async function dayPairs(db: Db, f: SalesFilter, o: PairOptions, orders: number) {
  if (orders === 0) return { orders, rules: [] };
  const days = Math.round((Date.parse(f.period.to) - Date.parse(f.period.from)) / 86_400_000) + 1;
  const candidates = days >= MIN_PRUNE_DAYS ? await pairCandidates(db, f, barOf(o, orders)) : null;
  if (candidates && (candidates.length < 2 || (o.sku && !candidates.includes(o.sku))))
    return { orders, rules: [] };
  const rows = await sql<PairRow>`
    with pairs as (
      select d.sku_a as a, d.sku_b as b, sum(d.orders)::int as ab
      from basket_daily_pairs d where ${salesWhere(f, 'd')}
      ${o.sku ? sql`and ${o.sku} in (d.sku_a, d.sku_b)` : sql``}
      ${candidates ? sql`and d.sku_a = any(${candidates}::text[]) and d.sku_b = any(${candidates}::text[])` : sql``}
      group by 1, 2
      having sum(d.orders) >= ${barOf(o, orders)}::int
      order by ab desc, a, b
      limit ${o.limit}
    ), items as (
      select d.sku_code, sum(d.orders)::int as c from basket_daily_items d
      where d.sku_code in (select a from pairs union select b from pairs) and ${salesWhere(f, 'd')}
      group by 1
    )
    select p.a, p.b, p.ab, ia.c as ca, ib.c as cb, ${orders}::int as n
    from pairs p join items ia on ia.sku_code = p.a join items ib on ib.sku_code = p.b
    order by p.ab desc, p.a, p.b`.execute(db);
  return { orders, rules: rulesOf(rows.rows) };
}

/**
 * The pairs of a period holding a whole month, from its whole months' and weeks' counts (0965) and
 * the daily counts of the days left over (the edge), summed only for the pairs that can reach the bar.
 *
 * The parts — each unit in each shop counted (or over all shops), and the edge days together —
 * split the period's baskets: a pair's count is the sum of its counts in the parts, and N the sum of
 * the parts' baskets. A pair in at least `bar` = s·N baskets (s = bar ÷ N) is in at least s·Nᵢ
 * baskets of some part i: were it below s·Nᵢ in every part, its count would be below s·ΣNᵢ = bar
 * (the partition argument of Savasere, Omiecinski and Navathe's algorithm, 1995). So the
 * candidates are each unit's pairs in at least ⌈bar·Nᵢ ÷ N⌉ of its baskets (read from the index by
 * orders: a month over all shops holds ~80,000 pairs at 1,000,000 orders a year, a few dozen of
 * them at a bar of 0.1 %)
 * and the edge's pairs in at least bar·N_edge ÷ N of its; their exact counts are summed from every
 * part, and those reaching the bar kept. No pair is missed, none counted from an estimate.
 */
async function unitPairs(
  db: Db,
  f: SalesFilter,
  o: PairOptions,
  p: {
    units: Array<{ grain: string; starts: string }>;
    edgeDays: string[];
    orders: number;
    edge: number;
    bar: number;
  },
) {
  const skuOf = (alias: string) =>
    o.sku ? sql`and ${o.sku} in (${sql.raw(alias)}.sku_a, ${sql.raw(alias)}.sku_b)` : sql``;
  const cellJoin = (alias: string) => {
    const t = sql.raw(alias);
    return sql`${t}.grain = c.grain and ${t}.starts = c.starts and ${t}.shop_id = c.shop_id and ${t}.platform = c.platform`;
  };
  const query = sql<PairRow>`
    with cells as materialized (${cellsOf(f, p.units)}), edge as materialized (
      select d.sku_a as a, d.sku_b as b, sum(d.orders)::int as ab
      from basket_daily_pairs d where ${edgeWhere(f, p.edgeDays, 'd')} ${skuOf('d')}
      group by 1, 2
    ), candidates as (
      select x.sku_a as a, x.sku_b as b
      from cells c cross join lateral (
        select x.sku_a, x.sku_b from basket_period_pairs x
        where ${cellJoin('x')} and x.orders >= ceil(${p.bar}::numeric * c.n / ${p.orders}::numeric)::int
          ${skuOf('x')}
      ) x
      union
      select a, b from edge where ab >= ${ceilDiv(p.bar * p.edge, p.orders)}::int
    ), pairs as (
      select k.a, k.b, (coalesce(e.ab, 0) + coalesce(u.ab, 0))::int as ab
      from candidates k
      left join edge e on e.a = k.a and e.b = k.b
      cross join lateral (
        select sum(x.orders) as ab from cells c join basket_period_pairs x
        on ${cellJoin('x')} and x.sku_a = k.a and x.sku_b = k.b
      ) u
    ), kept as (
      select a, b, ab from pairs where ab >= ${p.bar}::int order by ab desc, a, b limit ${o.limit}
    ), skus as (
      select a as sku_code from kept union select b from kept
    ), items as (
      select x.sku_code, sum(x.c)::int as c from (
        select s.sku_code, i.c from skus s cross join lateral (
          select sum(i.orders) as c from cells c
          join basket_period_items i on ${cellJoin('i')} and i.sku_code = s.sku_code
        ) i
        union all
        select d.sku_code, d.orders from basket_daily_items d
        where d.sku_code in (select sku_code from skus) and ${edgeWhere(f, p.edgeDays, 'd')}
      ) x group by 1
    )
    select k.a, k.b, k.ab, ia.c as ca, ib.c as cb, ${p.orders}::int as n
    from kept k join items ia on ia.sku_code = k.a join items ib on ib.sku_code = k.b
    order by k.ab desc, k.a, k.b`;
  // Not JIT-compiled: 5.4 s of compiling for a 30-day period at 1,000,000 orders (withoutJit).
  const rows = await withoutJit(db, query);
  return { orders: p.orders, rules: rulesOf(rows.rows) };
}

/** "Bought A, also bought": the rules with `sku` as antecedent, most confident first. */
export async function alsoBought(
  db: Db,
  f: SalesFilter,
  sku: string,
  o: BasketOptions & Pick<PairOptions, 'via'>,
) {
  const { orders, rules } = await basketPairs(db, f, { ...o, sku, limit: 10_000 });
  return {
    orders,
    rules: rules
      .filter((r) => r.antecedent === sku)
      .sort((x, y) => y.confidence - x.confidence || y.lift - x.lift)
      .slice(0, o.limit),
  };
}

/**
 * Bundles worth offering: pairs bought together clearly more than chance (lift ≥ `minLift`) and
 * often enough to matter (the more confident direction ≥ `minConfidence`), most orders first.
 */
export function suggestBundles(rules: PairRule[], minLift: number, minConfidence: number) {
  const best = new Map<string, PairRule>();
  for (const r of rules) {
    const key = [r.antecedent, r.consequent].sort().join('\u0000');
    const seen = best.get(key);
    if (!seen || r.confidence > seen.confidence) best.set(key, r);
  }
  return [...best.values()]
    .filter((r) => r.lift >= minLift && r.confidence >= minConfidence)
    .sort((x, y) => y.orders - x.orders || y.lift - x.lift)
    .map((r) => ({
      skus: [r.antecedent, r.consequent].sort(),
      orders: r.orders,
      support: r.support,
      confidence: r.confidence,
      lift: r.lift,
      antecedent: [r.antecedent],
      consequent: r.consequent,
      because: bundleBecause({ ...r, antecedent: [r.antecedent] }),
    }));
}

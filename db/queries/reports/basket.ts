import { sql } from 'kysely';
import { bundleBecause } from '../../../domain/reports/bundle-reason.js';
import type { Db } from '../../connect.js';
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
 * Every pair of SKUs paid together in one order in the period, exact: the daily basket counts
 * (0955_basket_rollups: each order's distinct paid SKUs counted on its day, baskets over
 * MAX_BASKET_SKUS left out) summed over the period's days, the pairs first, then the single-SKU
 * counts of the SKUs they name for confidence and lift. Returns both rules of each pair.
 */
export async function basketPairs(db: Db, f: SalesFilter, o: BasketOptions & { sku?: string }) {
  const counted = await sql<{ n: number }>`
    select coalesce(sum(orders), 0)::int as n from basket_daily_orders d where ${salesWhere(f, 'd')}`.execute(
    db,
  );
  const orders = counted.rows[0]?.n ?? 0;
  if (orders === 0) return { orders, rules: [] };
  const days = Math.round((Date.parse(f.period.to) - Date.parse(f.period.from)) / 86_400_000) + 1;
  const candidates =
    days >= MIN_PRUNE_DAYS
      ? await pairCandidates(db, f, Math.max(o.minOrders, Math.ceil(o.minSupport * orders)))
      : null;
  if (candidates && (candidates.length < 2 || (o.sku && !candidates.includes(o.sku))))
    return { orders, rules: [] };
  const rows = await sql<PairRow>`
    with pairs as (
      select d.sku_a as a, d.sku_b as b, sum(d.orders)::int as ab
      from basket_daily_pairs d where ${salesWhere(f, 'd')}
      ${o.sku ? sql`and ${o.sku} in (d.sku_a, d.sku_b)` : sql``}
      ${candidates ? sql`and d.sku_a = any(${candidates}::text[]) and d.sku_b = any(${candidates}::text[])` : sql``}
      group by 1, 2
      having sum(d.orders) >= greatest(${o.minOrders}::int, ceil(${o.minSupport}::float8 * ${orders}::int))
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
  const rules = rows.rows.flatMap((r) => [
    rule(r.a, r.b, r.ab, r.ca, r.cb, r.n),
    rule(r.b, r.a, r.ab, r.cb, r.ca, r.n),
  ]);
  return { orders, rules };
}

/** "Bought A, also bought": the rules with `sku` as antecedent, most confident first. */
export async function alsoBought(db: Db, f: SalesFilter, sku: string, o: BasketOptions) {
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

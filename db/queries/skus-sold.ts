import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/**
 * SKUs sold over any period from a few rows (migration 0964, docs/reports.md).
 *
 * "SKUs sold" is a distinct count: a SKU sold on two days of a week is one SKU of the week, so the
 * counts of days cannot be summed. `sales_skus_sold` keeps, per day, week (Monday first) and month ×
 * shop × platform, and over all shops (shop and platform ''), the set of SKUs with units paid as a
 * bit string: bit n is the SKU numbered n in `sales_sku_numbers` (numbered on first payment, never
 * renumbered). A period's SKUs sold are the bits set in the OR of its units' sets (its whole months,
 * whole weeks and days, `coverPeriod`), over the filter's shops: one row per unit and shop, however
 * many SKUs sold. A set is as long as its highest SKU number + 1; sets of different lengths are
 * padded with zeros on the right before they are OR-ed.
 */

/**
 * The set of SKU numbers `n` of each group of `rows` (a query with the group's columns `keys`, and
 * `n`, each n at most once per group), as a bit string as long as the highest n + 1: the runs of
 * zeros before each set bit, concatenated.
 */
export function skuSetOf(rows: RawBuilder<unknown>, keys: readonly string[]): RawBuilder<unknown> {
  const k = sql.raw(keys.join(', '));
  return sql`
    select ${k}, string_agg(repeat('0', x.n - coalesce(x.prev, -1) - 1) || '1', '' order by x.n)::varbit as skus
    from (select r.*, lag(r.n) over (partition by ${k} order by r.n) as prev from (${rows}) r) x
    group by ${k}`;
}

/** `a` OR `b`, the shorter padded with zeros on the right. */
export function skuSetOr(a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<unknown> {
  const len = sql`greatest(length(${a}), length(${b}))`;
  return sql`(rpad(${a}::text, ${len}, '0')::varbit | rpad(${b}::text, ${len}, '0')::varbit)`;
}

/**
 * Numbers the SKUs not numbered yet. Its own statement, before the one that sets their bits: a SKU
 * numbered by another transaction at the same time is waited for here (the unique key), and the
 * next statement's snapshot sees its number.
 */
export async function numberSkus(trx: Transaction<Database>, skus: readonly string[]): Promise<void> {
  if (skus.length === 0) return;
  await sql`
    insert into sales_sku_numbers (sku_code)
    select s from unnest(${[...new Set(skus)].sort()}::text[]) s
    where not exists (select 1 from sales_sku_numbers k where k.sku_code = s)
    order by 1
    on conflict do nothing`.execute(trx);
}

/**
 * The sets of SKUs sold the SKU rollups give (`sales_daily` for a shop's days, `sales_sku_periods`
 * for its weeks and months and all shops' days, weeks and months), numbering SKUs not numbered yet:
 * what the migration backfills and the tests compare the sets kept on write with.
 */
const SOLD_UNITS = sql`
  select 'day' as grain, day as starts, shop_id, platform, sku_code from sales_daily where sku_code <> '' and units > 0
  union all
  select grain, starts, shop_id, platform, sku_code from sales_sku_periods where units > 0`;

export const SKUS_SOLD_FROM_ROLLUPS = skuSetOf(
  sql`select u.grain, u.starts, u.shop_id, u.platform, k.n from (${SOLD_UNITS}) u join sales_sku_numbers k using (sku_code)`,
  ['grain', 'starts', 'shop_id', 'platform'],
);

/** Numbers every SKU sold that has no number yet (by code), as the backfill does before the sets. */
export const NUMBER_SOLD_SKUS = sql`
  insert into sales_sku_numbers (sku_code)
  select distinct sku_code from sales_daily d
  where d.sku_code <> '' and d.units > 0 and not exists (select 1 from sales_sku_numbers k where k.sku_code = d.sku_code)
  order by 1`;

import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MAX_BASKET_SKUS } from './reports/basket.js';

/** Any database or transaction: the migration's backfill runs this too, on its untyped handle. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Adds baskets to the basket counts (0955_basket_rollups by day, 0965_basket_period_rollups by week
 * and month, in the basket's shop and, for SKUs and pairs, over all shops), or takes them out: `baskets` is a query of
 * rows (day, shop_id, platform, skus text[] of distinct SKUs, sign: 1 to add, −1 to take out).
 * One statement: the orders, the SKU counts and the pair counts (A < B) of every unit move together.
 * `daysOnly` for 0955's own backfill, which runs before the week and month tables exist.
 */
export async function addBaskets(
  db: AnyDb,
  baskets: RawBuilder<unknown>,
  o: { daysOnly?: boolean } = {},
): Promise<void> {
  const periods = o.daysOnly
    ? sql``
    : sql`, u as materialized (
      select g.grain, g.starts, g.shop_id, g.platform, b.skus, b.sign from b cross join lateral (values
        ('week', date_trunc('week', b.day)::date, b.shop_id, b.platform),
        ('month', date_trunc('month', b.day)::date, b.shop_id, b.platform),
        ('week', date_trunc('week', b.day)::date, '', ''),
        ('month', date_trunc('month', b.day)::date, '', '')
      ) as g(grain, starts, shop_id, platform)
    ), po as (
      insert into basket_period_orders as d (grain, starts, shop_id, platform, orders)
      select grain, starts, shop_id, platform, sum(sign) from u where shop_id <> '' group by 1, 2, 3, 4
      on conflict (grain, starts, shop_id, platform) do update set orders = d.orders + excluded.orders
    ), pi as (
      insert into basket_period_items as d (grain, starts, shop_id, platform, sku_code, orders)
      select grain, starts, shop_id, platform, s, sum(sign) from u cross join unnest(u.skus) s group by 1, 2, 3, 4, 5
      on conflict (grain, starts, shop_id, platform, sku_code) do update set orders = d.orders + excluded.orders
    ), pp as (
      insert into basket_period_pairs as d (grain, starts, shop_id, platform, sku_a, sku_b, orders)
      select grain, starts, shop_id, platform, x, y, sum(sign)
      from u cross join unnest(u.skus) x cross join unnest(u.skus) y
      where x < y group by 1, 2, 3, 4, 5, 6
      on conflict (grain, starts, shop_id, platform, sku_a, sku_b) do update set orders = d.orders + excluded.orders
    )`;
  await sql`
    with b as materialized (${baskets})${periods}, o as (
      insert into basket_daily_orders as d (day, shop_id, platform, orders)
      select day, shop_id, platform, sum(sign) from b group by 1, 2, 3
      on conflict (day, shop_id, platform) do update set orders = d.orders + excluded.orders
    ), i as (
      insert into basket_daily_items as d (sku_code, day, shop_id, platform, orders)
      select s, day, shop_id, platform, sum(sign) from b cross join unnest(b.skus) s group by 1, 2, 3, 4
      on conflict (sku_code, day, shop_id, platform) do update set orders = d.orders + excluded.orders
    )
    insert into basket_daily_pairs as d (day, shop_id, platform, sku_a, sku_b, orders)
    select day, shop_id, platform, x, y, sum(sign)
    from b cross join unnest(b.skus) x cross join unnest(b.skus) y
    where x < y group by 1, 2, 3, 4, 5
    on conflict (day, shop_id, platform, sku_a, sku_b) do update set orders = d.orders + excluded.orders`.execute(
    db,
  );
}

/** Every order's basket from the paid line facts, by its day (the backfill). */
export const BASKETS_FROM_FACTS = sql`
  select day, shop_id, platform, array_agg(distinct sku_code) as skus, 1 as sign
  from sales_facts where kind = 'paid' and sku_code <> ''
  group by order_id, day, shop_id, platform
  having count(distinct sku_code) <= ${MAX_BASKET_SKUS}`;

/**
 * An order's paid lines just appended (`inserted`, by fact key): its basket of each day they fall on
 * is taken out as it was before (if it was counted) and added as it is now. Runs in the
 * transaction that appended them, the order row locked.
 */
export async function rollOrderBaskets(
  trx: AnyDb,
  orderId: string,
  inserted: readonly string[],
): Promise<void> {
  if (inserted.length === 0) return;
  const added = new Set(inserted);
  const facts = (
    await sql<{ day: string; shop_id: string; platform: string; sku_code: string; fact_key: string }>`
      select day::text as day, shop_id, platform, sku_code, fact_key from sales_facts
      where order_id = ${orderId} and kind = 'paid' and sku_code <> ''`.execute(trx)
  ).rows;
  const days = new Set(facts.filter((f) => added.has(f.fact_key)).map((f) => f.day));
  const baskets: Array<{ day: string; shop_id: string; platform: string; skus: string[]; sign: number }> = [];
  const counted = (skus: Set<string>) => skus.size > 0 && skus.size <= MAX_BASKET_SKUS;
  for (const day of days) {
    const ofDay = facts.filter((f) => f.day === day);
    const before = new Set(ofDay.filter((f) => !added.has(f.fact_key)).map((f) => f.sku_code));
    const after = new Set(ofDay.map((f) => f.sku_code));
    const { shop_id, platform } = ofDay[0]!;
    if (counted(before)) baskets.push({ day, shop_id, platform, skus: [...before], sign: -1 });
    if (counted(after)) baskets.push({ day, shop_id, platform, skus: [...after], sign: 1 });
  }
  if (baskets.length === 0) return;
  await addBaskets(
    trx,
    sql`select x.day, x.shop_id, x.platform, array(select distinct s from unnest(x.skus) s) as skus, x.sign
      from jsonb_to_recordset(${JSON.stringify(baskets)}::jsonb)
      as x(day date, shop_id text, platform text, skus text[], sign integer)`,
  );
}

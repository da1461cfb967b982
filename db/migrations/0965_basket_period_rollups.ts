import { sql, type Kysely } from 'kysely';

/**
 * Basket counts by week (Monday first) and month (docs/reports.md, "Basket pairs over weeks and
 * months"): the daily basket counts (0955) summed per week and month × shop × platform for the orders
 * (N), each SKU and each pair A < B, and for SKUs and pairs over all shops too (shop and platform
 * ''). N over all shops is the sum of the shops' rows (a few per unit): a row of every order's
 * would be written by every payment of the month. A long period's
 * pairs read its whole months and weeks here and only the days left over from the daily counts; the
 * pairs that can reach the period's bar are found among each unit's frequent pairs (the index by
 * orders), and only theirs are summed. Kept by the statement that keeps the daily counts
 * (db/queries/basket-rollups.ts); backfilled here from the daily counts, set-based.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table basket_period_orders (
      grain text not null check (grain in ('week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      orders integer not null,
      primary key (grain, starts, shop_id, platform)
    )`.execute(db);
  await sql`
    create table basket_period_items (
      grain text not null check (grain in ('week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      sku_code text not null,
      orders integer not null,
      primary key (grain, starts, shop_id, platform, sku_code)
    )`.execute(db);
  await sql`
    create table basket_period_pairs (
      grain text not null check (grain in ('week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      sku_a text not null,
      sku_b text not null,
      orders integer not null,
      primary key (grain, starts, shop_id, platform, sku_a, sku_b),
      check (sku_a < sku_b)
    )`.execute(db);
  await backfillBasketPeriods(db);
  // A unit's frequent pairs, most orders first, read without the table (most pairs of a month are
  // in one or two orders: the report reads only those at or above its bar).
  await sql`
    create index basket_period_pairs_frequent
    on basket_period_pairs (grain, starts, shop_id, platform, orders desc) include (sku_a, sku_b)`.execute(
    db,
  );
}

/** The units a day falls in: its week and month, in its shop and over all shops. */
const UNITS = sql`
  cross join lateral (values
    ('week', date_trunc('week', d.day)::date, d.shop_id, d.platform),
    ('month', date_trunc('month', d.day)::date, d.shop_id, d.platform),
    ('week', date_trunc('week', d.day)::date, '', ''),
    ('month', date_trunc('month', d.day)::date, '', '')
  ) as u(grain, starts, shop_id, platform)`;

/**
 * Fills the week and month basket counts from the daily ones (also used by the benchmark's
 * generator and the tests' backfill check). Sums that came to zero (baskets taken out) are left out.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillBasketPeriods(db: Kysely<any>): Promise<void> {
  await sql`
    insert into basket_period_orders (grain, starts, shop_id, platform, orders)
    select u.grain, u.starts, u.shop_id, u.platform, sum(d.orders)
    from basket_daily_orders d ${UNITS}
    where u.shop_id <> ''
    group by 1, 2, 3, 4 having sum(d.orders) <> 0`.execute(db);
  await sql`
    insert into basket_period_items (grain, starts, shop_id, platform, sku_code, orders)
    select u.grain, u.starts, u.shop_id, u.platform, d.sku_code, sum(d.orders)
    from basket_daily_items d ${UNITS}
    group by 1, 2, 3, 4, 5 having sum(d.orders) <> 0`.execute(db);
  await sql`
    insert into basket_period_pairs (grain, starts, shop_id, platform, sku_a, sku_b, orders)
    select u.grain, u.starts, u.shop_id, u.platform, d.sku_a, d.sku_b, sum(d.orders)
    from basket_daily_pairs d ${UNITS}
    group by 1, 2, 3, 4, 5, 6 having sum(d.orders) <> 0`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table basket_period_pairs`.execute(db);
  await sql`drop table basket_period_items`.execute(db);
  await sql`drop table basket_period_orders`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Rollups that let the sales report read a handful of rows per day whatever the period
 * (docs/reports.md, docs/benchmarks.md):
 *
 * - `sales_daily_totals`: the order-level figures by day × shop × platform (the sums of
 *   `sales_daily` over its SKUs), so a period's totals read one row per shop and day instead of one
 *   per SKU sold;
 * - `sales_buyer_days`: who paid on which day in which shop, one row per buyer and day, so a
 *   period's paying buyers (a distinct count, not a sum of days) is counted from an index-only scan
 *   of these rows instead of the facts.
 *
 * Both are kept by the statement that appends the facts (db/queries/sales-facts.ts), as
 * `sales_daily` is; the backfill below fills them from what is already there.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_daily_totals (
      day date not null,
      shop_id text not null,
      platform text not null,
      placed_orders integer not null default 0,
      gmv_fen bigint not null default 0,
      paid_orders integer not null default 0,
      paid_fen bigint not null default 0,
      units integer not null default 0,
      refund_fen bigint not null default 0,
      refunded_units integer not null default 0,
      cancelled_orders integer not null default 0,
      shipped_orders integer not null default 0,
      delivered_orders integer not null default 0,
      primary key (day, shop_id, platform)
    )`.execute(db);
  await sql`
    create table sales_buyer_days (
      day date not null,
      shop_id text not null,
      platform text not null,
      buyer_id text not null,
      primary key (day, shop_id, platform, buyer_id)
    )`.execute(db);
  await backfillSalesRollups(db);
}

/** Fills the rollups from the daily SKU rollup and the paid facts (also used by the benchmark's generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillSalesRollups(db: Kysely<any>): Promise<void> {
  await sql`
    insert into sales_daily_totals (day, shop_id, platform, placed_orders, gmv_fen, paid_orders, paid_fen,
      units, refund_fen, refunded_units, cancelled_orders, shipped_orders, delivered_orders)
    select day, shop_id, platform,
      coalesce(sum(placed_orders) filter (where sku_code = ''), 0), sum(gmv_fen),
      coalesce(sum(paid_orders) filter (where sku_code = ''), 0), sum(paid_fen), sum(units), sum(refund_fen),
      sum(refunded_units), coalesce(sum(cancelled_orders) filter (where sku_code = ''), 0),
      coalesce(sum(shipped_orders) filter (where sku_code = ''), 0),
      coalesce(sum(delivered_orders) filter (where sku_code = ''), 0)
    from sales_daily group by day, shop_id, platform`.execute(db);
  await sql`
    insert into sales_buyer_days (day, shop_id, platform, buyer_id)
    select distinct day, shop_id, platform, buyer_id from sales_facts where kind = 'paid' and sku_code = ''`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sales_buyer_days`.execute(db);
  await sql`drop table sales_daily_totals`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import { SKU_PERIOD_GRAINS } from '../queries/sales-facts.js';

/**
 * SKU figures by week (Monday first) and month, so the sales report's top SKUs and SKUs sold read
 * a period's whole months, whole weeks, then its days (docs/reports.md) instead of one row per SKU
 * and day: per shop × platform (grains `week`, `month`) and over all shops (shop and platform '',
 * grains `day`, `week`, `month`; a period over all shops reads only these). The days of a shop are
 * `sales_daily`'s. Kept by the statement that appends the facts (db/queries/sales-facts.ts), as
 * `sales_daily` is; the backfill below fills them from it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_sku_periods (
      grain text not null check (grain in ('day', 'week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      sku_code text not null,
      paid_orders integer not null default 0,
      units integer not null default 0,
      paid_fen bigint not null default 0,
      refund_fen bigint not null default 0,
      refunded_units integer not null default 0,
      -- The figures in the index too: a period's rows are read by index-only scans.
      primary key (grain, starts, shop_id, platform, sku_code)
        include (paid_orders, units, paid_fen, refund_fen, refunded_units)
    )`.execute(db);
  await backfillSkuPeriods(db);
}

/** Fills the SKU periods from the daily SKU rollup (also used by the benchmark's generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillSkuPeriods(db: Kysely<any>): Promise<void> {
  await sql`
    insert into sales_sku_periods (grain, starts, shop_id, platform, sku_code, paid_orders, units, paid_fen,
      refund_fen, refunded_units)
    select g.grain, date_trunc(g.grain, d.day::timestamp)::date, case when g.all_shops then '' else d.shop_id end,
      case when g.all_shops then '' else d.platform end, d.sku_code,
      sum(d.paid_orders), sum(d.units), sum(d.paid_fen), sum(d.refund_fen), sum(d.refunded_units)
    from sales_daily d
    cross join ${SKU_PERIOD_GRAINS} as g(grain, all_shops)
    where d.sku_code <> ''
    group by 1, 2, 3, 4, 5`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sales_sku_periods`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import { addBaskets, BASKETS_FROM_FACTS } from '../queries/basket-rollups.js';

/**
 * Basket counts by day (docs/reports.md): an order's basket is the distinct SKUs of its paid lines
 * (written together from one payment, so on one China day); baskets of more than 50 SKUs are left
 * out, as the pair counts always did. Per day × shop × platform:
 *
 * - `basket_daily_orders`: how many baskets (N of support and lift);
 * - `basket_daily_items`: how many baskets hold each SKU;
 * - `basket_daily_pairs`: how many baskets hold each pair of SKUs (A < B).
 *
 * A period's pair counts are sums of its days (each order is counted on one day), exact. Kept in the
 * transaction that appends the paid facts (db/queries/basket-rollups.ts); the backfill below fills
 * them from the facts already there.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table basket_daily_orders (
      day date not null,
      shop_id text not null,
      platform text not null,
      orders integer not null,
      primary key (day, shop_id, platform)
    )`.execute(db);
  // SKU first: a report reads the counts of the SKUs its pairs name.
  await sql`
    create table basket_daily_items (
      sku_code text not null,
      day date not null,
      shop_id text not null,
      platform text not null,
      orders integer not null,
      primary key (sku_code, day, shop_id, platform)
    )`.execute(db);
  await sql`
    create table basket_daily_pairs (
      day date not null,
      shop_id text not null,
      platform text not null,
      sku_a text not null,
      sku_b text not null,
      orders integer not null,
      primary key (day, shop_id, platform, sku_a, sku_b),
      check (sku_a < sku_b)
    )`.execute(db);
  // "Also bought" reads the pairs of one SKU, on either side.
  await sql`create index basket_daily_pairs_a on basket_daily_pairs (sku_a, day)`.execute(db);
  await sql`create index basket_daily_pairs_b on basket_daily_pairs (sku_b, day)`.execute(db);
  await backfillBasketRollups(db);
}

/**
 * Fills the daily basket counts from the paid line facts (also used by the benchmark's generator);
 * the week and month counts (0965) are filled from these by their own backfill.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillBasketRollups(db: Kysely<any>): Promise<void> {
  await addBaskets(db, BASKETS_FROM_FACTS, { daysOnly: true });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table basket_daily_pairs`.execute(db);
  await sql`drop table basket_daily_items`.execute(db);
  await sql`drop table basket_daily_orders`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import { RECENCY_FROM_BUYER_DAYS } from '../queries/buyer-recency.js';
import { up as buyerRegisters } from './0961_sales_buyer_registers.js';

/**
 * Paying buyers exact over any period (docs/reports.md): `sales_buyer_recency` counts the buyer days
 * of each day, week and month × shop × platform (and over all shops of a platform, shop '') by when
 * their buyer last paid before (db/queries/buyer-recency.ts), kept on write and backfilled here from
 * the buyer days. It replaces the HyperLogLog sketches of 0961, which estimated the buyers of periods
 * holding a whole month: those are dropped.
 *
 * The buyer days get an index by buyer, so a payment finds the buyer's days before and after it.
 * No `include (buyer_days)` in the key: the cells are updated by every first payment of a buyer in a
 * day, and an update of a column outside every index can stay on its page (HOT) — room is left for
 * it — while a period reads a few hundred cells at most.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_buyer_recency (
      grain text not null check (grain in ('day', 'week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      prev_grain text not null check (prev_grain in ('day', 'month')),
      prev_starts date not null,
      buyer_days integer not null,
      primary key (grain, starts, shop_id, prev_grain, prev_starts, platform)
    ) with (fillfactor = 85)`.execute(db);
  await sql`create index sales_buyer_days_buyer on sales_buyer_days (platform, buyer_id, day, shop_id)`.execute(
    db,
  );
  await backfillBuyerRecency(db);
  await sql`drop table sales_buyer_registers`.execute(db);
}

/** Fills the recency cells from the buyer days (also used by the benchmark's generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillBuyerRecency(db: Kysely<any>): Promise<void> {
  await sql`
    insert into sales_buyer_recency (grain, starts, shop_id, platform, prev_grain, prev_starts, buyer_days)
    ${RECENCY_FROM_BUYER_DAYS}`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await buyerRegisters(db);
  await sql`drop index sales_buyer_days_buyer`.execute(db);
  await sql`drop table sales_buyer_recency`.execute(db);
}

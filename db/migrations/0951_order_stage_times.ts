import { sql, type Kysely } from 'kysely';

/**
 * When each order reached each stage of its processing (paid, audited, allocated, waved, picked,
 * packed, handed over, first carrier scan, delivered): one row per order, each time set once from
 * the first timeline event of that stage, in the transaction that writes the event. The efficiency
 * report reads it instead of the whole timeline (docs/reports.md).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table order_stage_times (
      order_id text primary key,
      platform text not null,
      shop_id text not null,
      warehouse text,
      carrier text,
      day date,
      paid_at timestamptz,
      audited_at timestamptz,
      allocated_at timestamptz,
      waved_at timestamptz,
      picked_at timestamptz,
      packed_at timestamptz,
      shipped_at timestamptz,
      first_scan_at timestamptz,
      delivered_at timestamptz
    )`.execute(db);
  await sql`create index order_stage_times_day on order_stage_times (day, shop_id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table order_stage_times`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * A stock receipt works its waiting orders page by page. An order it reserved for keeps its
 * `stock_waits` row, marked with the reservation, until the order's workflow has been told: a retried
 * page (or a receipt continued in a new run) finds the reservation again instead of losing the order.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_waits').addColumn('resumed_allocation_id', 'text').execute();
  await sql`create index stock_waits_resumed_idx on stock_waits (seq) where resumed_allocation_id is not null`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_waits').dropColumn('resumed_allocation_id').execute();
}

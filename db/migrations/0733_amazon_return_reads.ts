import type { Kysely } from 'kysely';

/**
 * Amazon returns followed through the returns report (docs/platforms/amazon-returns.md, "Following
 * a return"): what the report last showed of each return (order and RMA) that reached its case —
 * re-reading the report tells the case only what changed since, so an hourly report over the same
 * returns signals nothing new.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('amazon_return_reads')
    // The case's workflow id (aftersale:amazon:{shopId}:{orderId}-{rmaId}).
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    // { requestStatus, resolution, deliveredAt, refunded[], closed }, as told to the case.
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('told_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('amazon_return_reads').execute();
}

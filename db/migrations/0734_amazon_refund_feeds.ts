import { sql, type Kysely } from 'kysely';

/**
 * Amazon refunds sent as payment adjustment feeds (docs/platforms/amazon-returns.md, "Refunds by
 * feed"): one row per case, written before the feed is created (when it was asked for, what it
 * carries) and given the feed's id as soon as Amazon answers it — a retried activity finds the
 * case's feed here (or, its answer lost, among the shop's feeds created since it was asked for)
 * and never sends a second refund. The processing report's outcome is kept with it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('amazon_refund_feeds')
    // The case's workflow id.
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    // When createFeed was (last) asked for: a feed of the shop created since is this case's.
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull())
    // The records sent: [{orderId, orderItemId, reason, currency, itemPrice, itemTax?}].
    .addColumn('rows', 'jsonb', (c) => c.notNull())
    .addColumn('feed_document_id', 'text')
    .addColumn('feed_id', 'text')
    // { status: 'done' | 'failed', refused: [...], refundedMinor, currency } once read.
    .addColumn('result', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('amazon_refund_feeds_shop_feed')
    .on('amazon_refund_feeds')
    .columns(['shop_id', 'feed_id'])
    .unique()
    .where(sql.ref('feed_id'), 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('amazon_refund_feeds').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * The webhook inbox: a verified, validated push is written here in the transaction that remembers
 * its delivery id, and answered; a forwarder hands it to Temporal afterwards. A push is then never
 * lost to a Temporal outage and its answer never waits on Temporal. `event_id` is unique, so the
 * same event written twice is one row and is forwarded once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_inbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    // Receivers sealed (db/crypto/receivers.ts); emptied once forwarded.
    .addColumn('payload', 'jsonb')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // A forwarder's lease (or the back-off after a failure): nobody else takes the row before it.
    .addColumn('not_before', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('forwarded_at', 'timestamptz')
    .execute();
  // What the forwarder scans: only rows still to forward, oldest first.
  await sql`create index webhook_inbox_pending on webhook_inbox (id) where forwarded_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_inbox').execute();
}

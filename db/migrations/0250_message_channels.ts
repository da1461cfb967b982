import { sql, type Kysely } from 'kysely';

/**
 * Taobao TMC and PDD PMC message channels, one row per channel and app: what came in, what was
 * handed to the shops' syncs, and the sellers whose messages had no shop to go to (confirmed and
 * dropped, counted here for ops).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_channels')
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('tmc', 'pmc')`))
    .addColumn('app_key', 'text', (c) => c.notNull())
    .addColumn('received', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('handed_over', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('unrouted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('ignored', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('message_channels_pkey', ['channel', 'app_key'])
    .execute();

  await db.schema
    .createTable('message_channel_unrouted')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('app_key', 'text', (c) => c.notNull())
    /** Taobao seller nick or PDD mall id. */
    .addColumn('seller', 'text', (c) => c.notNull())
    .addColumn('messages', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_topic', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('message_channel_unrouted_pkey', ['channel', 'app_key', 'seller'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('message_channel_unrouted').ifExists().execute();
  await db.schema.dropTable('message_channels').ifExists().execute();
}

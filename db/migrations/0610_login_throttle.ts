import { sql, type Kysely } from 'kysely';

/**
 * Failed sign-ins and the login route's request window live in PostgreSQL so that every API
 * process counts the same attempts: a lock taken on one process holds on all of them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('account', 'address', 'rate')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addPrimaryKeyConstraint('login_throttle_pkey', ['kind', 'subject'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * The first answer to each person's action (a review, a lock, a memo, a shipment resolve), by its
 * idempotency key: a retry with the same key gets the same answer, even after the order moved on
 * or its workflow finished (docs/human-actions.md).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('human_action_outcomes')
    /** sha256 of the actor, the route and the idempotency key. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    /** sha256 of the request (params and body): a key reused for another request is refused. */
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    /**
     * Where the order (or shipment) stood once answered: the same request again from the same
     * person, with nothing else having happened since, is a repeat of this one.
     */
    .addColumn('state_after', 'text')
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('human_action_outcomes_repeat')
    .on('human_action_outcomes')
    .columns(['actor', 'route', 'fingerprint', 'state_after'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('human_action_outcomes').ifExists().execute();
}

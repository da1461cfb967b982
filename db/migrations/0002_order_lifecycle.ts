import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('orders')
    .addColumn('flags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('locked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('route_group', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held_since', 'timestamptz')
    .addColumn('ship_by_at', 'timestamptz')
    .addColumn('ship_by_at_risk', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('internal_memo', 'text')
    .addColumn('carrier_preference', 'text')
    .addColumn('effective_receiver', 'jsonb')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema
    .createIndex('orders_ship_by_idx')
    .on('orders')
    .columns(['ship_by_at'])
    .where(sql.ref('status'), 'not in', sql`('shipped','delivered','completed','cancelled')`)
    .execute();

  await db.schema
    .createTable('order_holds')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    /** reason + stage: re-audits raise the same hold again, not a second one. */
    .addColumn('hold_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('cleared_by_role', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('message', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('cleared_at', 'timestamptz')
    .addColumn('cleared_by', 'text')
    .addColumn('decision', 'text')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('order_holds_pkey', ['order_id', 'hold_key'])
    .execute();
  await db.schema
    .createIndex('order_holds_open_idx')
    .on('order_holds')
    .columns(['cleared_by_role', 'opened_at'])
    .where(sql.ref('cleared_at'), 'is', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_holds').ifExists().execute();
  for (const column of [
    'flags',
    'locked',
    'route_group',
    'priority',
    'held_since',
    'ship_by_at',
    'ship_by_at_risk',
    'internal_memo',
    'carrier_preference',
    'effective_receiver',
    'outcome',
  ]) {
    await db.schema.alterTable('orders').dropColumn(column).execute();
  }
}

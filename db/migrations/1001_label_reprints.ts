import { sql, type Kysely } from 'kysely';

/**
 * Label reprints: each time someone prints a shipment's label again, who did, why, and which print
 * of the label it was (the first print is 1, so the first reprint is 2). Shown on the timelines of
 * the shipment and of every order in it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('label_reprints')
    .addColumn('shipment_id', 'text', (c) => c.notNull())
    .addColumn('print_count', 'integer', (c) => c.notNull().check(sql`print_count >= 2`))
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('order_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('label_reprints_pk', ['shipment_id', 'print_count'])
    .execute();
  await sql`create index label_reprints_order_ids on label_reprints using gin (order_ids)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('label_reprints').execute();
}

import type { Kysely } from 'kysely';

/**
 * The scans of a case's return parcel as its tracking service reported them (docs/after-sales.md,
 * "the return parcel followed by tracking"): each once, whether pushed or read by a poll, so the
 * case's page shows the parcel's whole route as the order's page shows a parcel going out.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('after_sale_return_scans')
    .addColumn('case_id', 'text', (c) =>
      c.notNull().references('after_sale_returns.case_id').onDelete('cascade'),
    )
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    // The tracking service (sf, kuaidi100, kdniao) and whether it pushed the scan or was polled.
    .addColumn('source', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('after_sale_return_scans_pkey', ['case_id', 'at', 'description'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('after_sale_return_scans').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * Returns on after-sales cases: the parcel the buyer sends back (one per case: its carrier and
 * tracking number, whoever issued it), and what the warehouse received and found on each line
 * (resaleable units back to stock through the ledger, damaged ones written off with a reason,
 * wrong items held for a person). One receipt per case: a second scan of the same parcel is the
 * same receipt.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('after_sale_returns')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('after_sale_cases.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('waybill_source', 'text', (c) =>
      c.check(sql`waybill_source is null or waybill_source in ('buyer', 'sf', 'cainiao')`),
    )
    .addColumn('carrier_code', 'text')
    .addColumn('tracking_no', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('awaiting_parcel', 'in_transit', 'received', 'inspected')`),
    )
    .addColumn('warehouse_code', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('received_at', 'timestamptz')
    .execute();
  // The warehouse scans the tracking number on the parcel: it names one case.
  await db.schema
    .createIndex('after_sale_returns_tracking')
    .on('after_sale_returns')
    .column('tracking_no')
    .unique()
    .where(sql.ref('tracking_no'), 'is not', null)
    .execute();
  await db.schema
    .createTable('after_sale_return_receipts')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('after_sale_returns.case_id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('warehouse_code', 'text', (c) => c.notNull().references('warehouses.code'))
    .addColumn('scanned', 'text', (c) => c.notNull())
    // [{ lineId, qty, condition: resaleable|damaged|wrong_item, reason? }]
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('after_sale_return_lines')
    .addColumn('case_id', 'text', (c) => c.notNull().references('after_sale_returns.case_id'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('expected_qty', 'integer', (c) => c.notNull())
    .addColumn('restocked_qty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('written_off_qty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held_qty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addPrimaryKeyConstraint('after_sale_return_lines_pkey', ['case_id', 'line_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['after_sale_return_lines', 'after_sale_return_receipts', 'after_sale_returns']) {
    await db.schema.dropTable(table).execute();
  }
}

import { sql, type Kysely } from 'kysely';

/**
 * Which warehouse management system runs each warehouse. Without a row a warehouse uses the built-in
 * WMS; a row may name an external one (Qimen) with the codes it knows the warehouse by. Parcels sent
 * to an external WMS keep the id that system gave them, for cancellations and its reports.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('warehouse_wms')
    .addColumn('warehouse_code', 'text', (c) => c.primaryKey().references('warehouses.code'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('built_in', 'qimen')`))
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One Qimen customerId names one owner's account at one WMS: it must lead to one warehouse.
  await sql`create unique index warehouse_wms_qimen_customer_key on warehouse_wms ((settings->>'customerId'), (settings->>'warehouseCode')) where kind = 'qimen'`.execute(
    db,
  );

  await db.schema
    .alterTable('wms_waves')
    .addColumn('wms_kind', 'text', (c) => c.notNull().defaultTo('built_in'))
    .execute();
  await db.schema.alterTable('wms_pack_tasks').addColumn('wms_order_id', 'text').execute();
  await db.schema.alterTable('wms_pack_tasks').addColumn('wms_status', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wms_pack_tasks').dropColumn('wms_status').execute();
  await db.schema.alterTable('wms_pack_tasks').dropColumn('wms_order_id').execute();
  await db.schema.alterTable('wms_waves').dropColumn('wms_kind').execute();
  await db.schema.dropTable('warehouse_wms').ifExists().execute();
}

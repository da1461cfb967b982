import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bin_locations')
    .addColumn('warehouse_code', 'text', (c) => c.notNull().references('warehouses.code'))
    .addColumn('bin_code', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull().references('skus.code'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('bin_locations_pkey', ['warehouse_code', 'sku_code', 'bin_code'])
    .execute();

  await db.schema
    .createTable('wms_waves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warehouse_code', 'text', (c) => c.notNull().references('warehouses.code'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('picking', 'picked', 'done', 'cancelled')`),
    )
    .addColumn('parcel_count', 'integer', (c) => c.notNull())
    .addColumn('unit_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('wms_waves_warehouse_idx')
    .on('wms_waves')
    .columns(['warehouse_code', 'created_at'])
    .execute();

  // One pack task per parcel the wave formed.
  await db.schema
    .createTable('wms_pack_tasks')
    .addColumn('parcel_id', 'text', (c) => c.primaryKey())
    .addColumn('wave_id', 'text', (c) => c.notNull().references('wms_waves.id'))
    .addColumn('warehouse_code', 'text', (c) => c.notNull())
    .addColumn('handling', 'text', (c) => c.notNull())
    .addColumn('urgent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('order_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('estimated_weight_g', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('picking', 'ready', 'packed', 'shipped', 'exception', 'cancelled')`),
    )
    .addColumn('packed_weight_g', 'integer')
    .addColumn('length_mm', 'integer')
    .addColumn('width_mm', 'integer')
    .addColumn('height_mm', 'integer')
    .addColumn('packed_by', 'text')
    .addColumn('packed_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema.createIndex('wms_pack_tasks_wave_idx').on('wms_pack_tasks').column('wave_id').execute();

  await db.schema
    .createTable('wms_parcel_contents')
    .addColumn('parcel_id', 'text', (c) => c.notNull().references('wms_pack_tasks.parcel_id'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('allocation_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull().check(sql`qty > 0`))
    .addPrimaryKeyConstraint('wms_parcel_contents_pkey', ['parcel_id', 'order_id', 'line_id', 'sku_code'])
    .execute();

  await db.schema
    .createTable('wms_pick_lines')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('wave_id', 'text', (c) => c.notNull().references('wms_waves.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bin_code', 'text')
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('picked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('short', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('damaged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('wms_pick_lines_accounted', sql`picked + short + damaged + cancelled <= qty`)
    .addUniqueConstraint('wms_pick_lines_wave_seq_key', ['wave_id', 'seq'])
    .execute();

  // Which parcel each unit on a pick line is for, in the order stock goes to them (urgent first).
  await db.schema
    .createTable('wms_pick_demands')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('pick_line_id', 'bigint', (c) => c.notNull().references('wms_pick_lines.id'))
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('parcel_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('allocation_id', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('picked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lost', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('wms_pick_demands_accounted', sql`picked + lost + cancelled <= qty`)
    .execute();
  await db.schema
    .createIndex('wms_pick_demands_line_idx')
    .on('wms_pick_demands')
    .columns(['pick_line_id', 'priority'])
    .execute();
  await db.schema
    .createIndex('wms_pick_demands_parcel_idx')
    .on('wms_pick_demands')
    .column('parcel_id')
    .execute();

  await db.schema
    .createTable('wms_confirmations')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('wave_id', 'text')
    .addColumn('parcel_id', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('wms_exceptions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('short_picked', 'damaged')`))
    .addColumn('wave_id', 'text', (c) => c.notNull())
    .addColumn('parcel_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('allocation_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_code', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('bin_code', 'text')
    .addColumn('qty', 'integer', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('replenishment_request_id', 'bigint')
    .addColumn('confirmation_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'resolved')`),
    )
    .addColumn('resolution', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('wms_exceptions_status_idx')
    .on('wms_exceptions')
    .columns(['status', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'wms_exceptions',
    'wms_confirmations',
    'wms_pick_demands',
    'wms_pick_lines',
    'wms_parcel_contents',
    'wms_pack_tasks',
    'wms_waves',
    'bin_locations',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

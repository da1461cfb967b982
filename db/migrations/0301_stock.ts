import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('warehouses')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text')
    // [{ province, priority }]: lower priority ships first to that province.
    .addColumn('coverage', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('capabilities', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The invariant that makes overselling impossible lives in the database, not only in code.
  await db.schema
    .createTable('stock')
    .addColumn('warehouse_code', 'text', (c) => c.notNull().references('warehouses.code'))
    .addColumn('sku_code', 'text', (c) => c.notNull().references('skus.code'))
    .addColumn('on_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stock_pkey', ['warehouse_code', 'sku_code'])
    .addCheckConstraint('stock_reserved_not_negative', sql`reserved >= 0`)
    .addCheckConstraint('stock_reserved_within_on_hand', sql`reserved <= on_hand`)
    .execute();
  await db.schema.createIndex('stock_sku_idx').on('stock').column('sku_code').execute();

  // One row per completed stock operation: a retried activity or API call replays the stored outcome.
  await db.schema
    .createTable('stock_operations')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('stock_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('warehouse_code', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('receipt', 'reserve', 'release', 'pick', 'ship', 'return_restock', 'adjust')`),
    )
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('on_hand_delta', 'integer', (c) => c.notNull())
    .addColumn('reserved_delta', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('allocation_id', 'text')
    .addColumn('reference', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('stock_ledger_stock_fkey', ['warehouse_code', 'sku_code'], 'stock', [
      'warehouse_code',
      'sku_code',
    ])
    .execute();
  await db.schema
    .createIndex('stock_ledger_row_idx')
    .on('stock_ledger')
    .columns(['warehouse_code', 'sku_code', 'id'])
    .execute();
  await db.schema.createIndex('stock_ledger_order_idx').on('stock_ledger').column('order_id').execute();

  await db.schema
    .createTable('stock_reservations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('allocation_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_code', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull().check(sql`qty > 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('reserved', 'picked', 'shipped', 'released', 'written_off')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('stock_reservations_allocation_idx')
    .on('stock_reservations')
    .columns(['allocation_id', 'warehouse_code', 'sku_code'])
    .execute();
  await db.schema
    .createIndex('stock_reservations_order_idx')
    .on('stock_reservations')
    .columns(['order_id', 'status'])
    .execute();

  await db.schema
    .createTable('replenishment_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('warehouse_code', 'text', (c) => c.notNull().references('warehouses.code'))
    .addColumn('sku_code', 'text', (c) => c.notNull().references('skus.code'))
    .addColumn('qty_short', 'integer', (c) => c.notNull().check(sql`qty_short > 0`))
    .addColumn('qty_received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'fulfilled', 'cancelled')`),
    )
    .addColumn('order_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // At most one open request per warehouse × SKU: new shortages add to it.
  await sql`create unique index replenishment_requests_open_key
    on replenishment_requests (warehouse_code, sku_code) where status = 'open'`.execute(db);

  // Orders held for stock, oldest first. `request` is what allocation needs to try again unattended.
  await db.schema
    .createTable('stock_waits')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('sku_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('request', 'jsonb', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waiting_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await sql`create index stock_waits_skus_idx on stock_waits using gin (sku_codes)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'stock_waits',
    'replenishment_requests',
    'stock_reservations',
    'stock_ledger',
    'stock_operations',
    'stock',
    'warehouses',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('skus')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('weight_g', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`weight_g >= 0`),
    )
    .addColumn('length_mm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('width_mm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('height_mm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id'))
    .addColumn('platform_order_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('platform_status', 'text', (c) => c.notNull())
    .addColumn('refund_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('order_type', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('buyer_nick', 'text')
    .addColumn('receiver', 'jsonb', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('goods_fen', 'bigint', (c) => c.notNull())
    .addColumn('discount_fen', 'bigint', (c) => c.notNull())
    .addColumn('shipping_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('buyer_remark', 'text')
    .addColumn('seller_memo', 'text')
    .addColumn('platform_created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('paid_at', 'timestamptz')
    .addColumn('platform_modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('captured_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('orders_platform_key', ['platform', 'shop_id', 'platform_order_id'])
    .execute();
  await db.schema.createIndex('orders_status_idx').on('orders').columns(['status', 'captured_at']).execute();
  await db.schema.createIndex('orders_shop_idx').on('orders').columns(['shop_id', 'captured_at']).execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .addColumn('platform_sku_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('discount_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('order_lines_pkey', ['order_id', 'line_id'])
    .execute();

  await db.schema
    .createTable('order_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull().defaultTo('system'))
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    // One row per workflow step: a retried activity cannot write the same event twice.
    .addUniqueConstraint('order_events_order_seq_key', ['order_id', 'seq'])
    .execute();
  await db.schema.createIndex('order_events_stage_idx').on('order_events').columns(['stage', 'at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['order_events', 'order_lines', 'orders', 'skus', 'shops']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

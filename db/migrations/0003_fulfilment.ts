import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wave_id', 'text', (c) => c.notNull())
    .addColumn('warehouse_code', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('handling', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('urgent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('order_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('carrier', 'text')
    .addColumn('carrier_reason', 'text')
    .addColumn('cost_fen', 'bigint')
    .addColumn('tracking_number', 'text')
    .addColumn('tracking_status', 'text')
    .addColumn('waybill', 'jsonb')
    .addColumn('weight_g', 'integer')
    .addColumn('length_mm', 'integer')
    .addColumn('width_mm', 'integer')
    .addColumn('height_mm', 'integer')
    .addColumn('exception_kind', 'text')
    .addColumn('exception_detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('picked_at', 'timestamptz')
    .addColumn('packed_at', 'timestamptz')
    .addColumn('labelled_at', 'timestamptz')
    .addColumn('shipped_at', 'timestamptz')
    .addColumn('first_scan_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('exception_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('shipments_tracking_idx')
    .on('shipments')
    .columns(['carrier', 'tracking_number'])
    .execute();
  await db.schema
    .createIndex('shipments_stage_idx')
    .on('shipments')
    .columns(['stage', 'updated_at'])
    .execute();

  await db.schema
    .createTable('shipment_orders')
    .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('tracking_uploaded_at', 'timestamptz')
    .addColumn('upload_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upload_skipped', 'text')
    .addPrimaryKeyConstraint('shipment_orders_pkey', ['shipment_id', 'order_id'])
    .execute();
  await db.schema
    .createIndex('shipment_orders_order_idx')
    .on('shipment_orders')
    .columns(['order_id'])
    .execute();

  await db.schema
    .createTable('shipment_events')
    .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull().defaultTo('system'))
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('shipment_events_pkey', ['shipment_id', 'seq'])
    .execute();

  await db.schema
    .createTable('shipment_labels')
    .addColumn('shipment_id', 'text', (c) => c.primaryKey().references('shipments.id').onDelete('cascade'))
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('pdf', 'bytea', (c) => c.notNull())
    /** What was printed, so a wave's labels can be rendered again as one document. */
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('tracking_events')
    .addColumn('shipment_id', 'text', (c) => c.notNull().references('shipments.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tracking_events_pkey', ['shipment_id', 'at', 'description'])
    .execute();

  // Logistics timeliness per order for reports: paid → shipped → first scan → delivered.
  await sql`
    create view order_timeliness as
    select o.id as order_id, o.platform, o.shop_id, o.paid_at,
           min(s.shipped_at) as shipped_at, min(s.first_scan_at) as first_scan_at,
           case when bool_and(s.delivered_at is not null) then max(s.delivered_at) end as delivered_at,
           extract(epoch from min(s.shipped_at) - o.paid_at) as paid_to_shipped_seconds,
           extract(epoch from min(s.first_scan_at) - min(s.shipped_at)) as shipped_to_first_scan_seconds,
           extract(epoch from (case when bool_and(s.delivered_at is not null) then max(s.delivered_at) end) - min(s.shipped_at)) as shipped_to_delivered_seconds
    from orders o
    join shipment_orders so on so.order_id = o.id
    join shipments s on s.id = so.shipment_id and s.stage <> 'cancelled'
    group by o.id, o.platform, o.shop_id, o.paid_at
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view if exists order_timeliness`.execute(db);
  for (const table of [
    'tracking_events',
    'shipment_labels',
    'shipment_events',
    'shipment_orders',
    'shipments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

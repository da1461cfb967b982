import { sql, type Kysely } from 'kysely';

/**
 * After-sales cases (one per platform or own-store case, keyed by its workflow id), the lines and
 * amounts each covers, its timeline, the refunds sent through a payment channel (one row per
 * refund number: the case and step), and the channel notifications already taken (de-duplication).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('after_sale_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('platform_case_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('requested_fen', 'integer', (c) => c.notNull())
    .addColumn('agreed_fen', 'integer')
    .addColumn('refunded_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payment_channel', 'text')
    .addColumn('out_trade_no', 'text')
    .addColumn('waiting_for', 'text')
    .addColumn('outcome', 'text')
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('after_sale_cases_order').on('after_sale_cases').column('order_id').execute();
  await db.schema
    .createIndex('after_sale_cases_list')
    .on('after_sale_cases')
    .columns(['shop_id', 'status', 'opened_at'])
    .execute();
  await db.schema
    .createTable('after_sale_case_lines')
    .addColumn('case_id', 'text', (c) => c.notNull().references('after_sale_cases.id').onDelete('cascade'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('requested_fen', 'integer', (c) => c.notNull().check(sql`requested_fen >= 0`))
    .addColumn('refunded_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('after_sale_case_lines_pkey', ['case_id', 'line_id'])
    .execute();
  await db.schema
    .createTable('after_sale_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('after_sale_cases.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('after_sale_events_step', ['case_id', 'step'])
    .execute();
  await db.schema
    .createTable('payment_refunds')
    .addColumn('refund_no', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('after_sale_cases.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('alipay', 'wechatpay')`))
    .addColumn('out_trade_no', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('channel_refund_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('payment_refunds_step', ['case_id', 'step'])
    .execute();
  await db.schema.createIndex('payment_refunds_order').on('payment_refunds').column('order_id').execute();
  await db.schema
    .createTable('payment_notices')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('refund_no', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('payment_notices_pkey', ['channel', 'notice_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'payment_notices',
    'payment_refunds',
    'after_sale_events',
    'after_sale_case_lines',
    'after_sale_cases',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

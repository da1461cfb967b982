import { sql, type Kysely } from 'kysely';

/**
 * Demo rates to CNY so cross-border orders convert out of the box. Finance replaces them through
 * POST /exchange-rates; a newer `valid_from` wins, and each order keeps the rate it used.
 */
const SEED_RATES: Array<[string, string]> = [
  ['USD', '7.1800'],
  ['EUR', '7.8000'],
  ['GBP', '9.1000'],
  ['JPY', '0.0480'],
  ['HKD', '0.9200'],
  ['SGD', '5.3500'],
  ['MYR', '1.5500'],
  ['THB', '0.2000'],
  ['PHP', '0.1250'],
  ['VND', '0.000290'],
  ['IDR', '0.000450'],
  ['TWD', '0.2200'],
  ['KRW', '0.005200'],
  ['AUD', '4.7000'],
  ['CAD', '5.2500'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('shops')
    .addColumn('platform_shop_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('base_url', 'text')
    .addColumn('credentials_encrypted', 'text')
    .addColumn('poll_interval_seconds', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(300)
        .check(sql`poll_interval_seconds > 0`),
    )
    .addColumn('sync_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    // A display copy: the shop's sync workflow holds the authoritative cursor.
    .addColumn('sync_cursor', 'timestamptz')
    .addColumn('last_synced_at', 'timestamptz')
    .addColumn('sync_error', 'text')
    .execute();

  await db.schema
    .createTable('exchange_rates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    /** CNY per one unit of `currency`, exact. */
    .addColumn('rate', sql`numeric(24, 10)`, (c) => c.notNull().check(sql`rate > 0`))
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo('system'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('exchange_rates_currency_valid_from_key', ['currency', 'valid_from'])
    .execute();
  await db
    .insertInto('exchange_rates')
    .values(
      SEED_RATES.map(([currency, rate]) => ({
        currency,
        rate,
        valid_from: '2000-01-01T00:00:00Z',
        source: 'seed',
      })),
    )
    .execute();

  await db.schema
    .alterTable('orders')
    .addColumn('original_currency', 'text')
    .addColumn('fx', 'jsonb')
    .addColumn('instructions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute();

  // Delivery ids of webhooks already handled, so a platform's redelivery is answered at once.
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_deliveries_pkey', ['shop_id', 'delivery_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_received_idx')
    .on('webhook_deliveries')
    .column('received_at')
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.references('shops.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  // At most one open alert per shop and kind: a repeat updates it instead of piling up.
  await sql`create unique index alerts_open_key on alerts (coalesce(shop_id, ''), kind) where resolved_at is null`.execute(
    db,
  );

  // Orders intake could not convert (no rate for their currency): kept whole until a rate exists.
  await db.schema
    .createTable('parked_orders')
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('platform_order_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('parked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('parked_orders_pkey', ['shop_id', 'platform_order_id'])
    .execute();
  await db.schema.createIndex('parked_orders_currency_idx').on('parked_orders').column('currency').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['parked_orders', 'alerts', 'webhook_deliveries', 'exchange_rates']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  for (const column of ['original_currency', 'fx', 'instructions']) {
    await db.schema.alterTable('orders').dropColumn(column).execute();
  }
  for (const column of [
    'platform_shop_id',
    'base_url',
    'credentials_encrypted',
    'poll_interval_seconds',
    'sync_enabled',
    'sync_cursor',
    'last_synced_at',
    'sync_error',
  ]) {
    await db.schema.alterTable('shops').dropColumn(column).execute();
  }
}

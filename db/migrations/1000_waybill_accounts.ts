import { sql, type Kysely } from 'kysely';

/**
 * A shop's electronic-waybill accounts: several per carrier (branches, monthly accounts), each
 * for the whole shop or one warehouse, with its own encrypted credentials and the balance the
 * service last reported. `carrier_accounts` stays the shop's carrier list (rates, limits, sender);
 * these say which account issues the waybill.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('waybill_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('warehouse_code', 'text')
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) =>
      c.notNull().check(sql`service in ('cainiao', 'sf', 'pdd', 'jd', 'douyin')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('branch_code', 'text')
    .addColumn('branch_name', 'text')
    .addColumn('monthly_account', 'text')
    .addColumn('product_type', 'text')
    .addColumn('credentials_encrypted', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('balance', 'integer')
    .addColumn('balance_checked_at', 'timestamptz')
    .addColumn('low_balance_at', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('ok')
        .check(sql`state in ('ok', 'no_balance', 'authorisation_expired', 'account_not_configured')`),
    )
    .addColumn('state_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('waybill_accounts_shop_carrier')
    .on('waybill_accounts')
    .columns(['shop_id', 'carrier', 'priority'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('waybill_accounts').execute();
}

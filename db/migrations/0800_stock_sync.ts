import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // How much of the stock a shop sells: sku_code '*' is the shop's default, a SKU's row overrides it.
  await db.schema
    .createTable('stock_sync_rules')
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('sku_code', 'text', (c) => c.notNull())
    // Null: every active warehouse (a SKU's row with null takes the shop default's warehouses).
    .addColumn('warehouses', sql`text[]`)
    .addColumn('share_kind', 'text', (c) => c.notNull().check(sql`share_kind in ('ratio', 'fixed')`))
    .addColumn('share_percent', 'integer', (c) => c.check(sql`share_percent between 0 and 100`))
    .addColumn('fixed_qty', 'integer', (c) => c.check(sql`fixed_qty >= 0`))
    .addColumn('safety_stock', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`safety_stock >= 0`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stock_sync_rules_pkey', ['shop_id', 'sku_code'])
    .addCheckConstraint(
      'stock_sync_rules_share',
      sql`(share_kind = 'ratio' and share_percent is not null) or (share_kind = 'fixed' and fixed_qty is not null)`,
    )
    .execute();

  // What each shop lists, which internal SKU it sells, and where its sync stands. A listing needs
  // an upload while dirty_seq > synced_seq.
  await db.schema
    .createTable('stock_listings')
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('listing_key', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull().references('skus.code'))
    .addColumn('item_id', 'text')
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('extra', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('dirty_seq', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('synced_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'synced', 'refused')`),
    )
    .addColumn('computed_qty', 'integer')
    .addColumn('last_sent_qty', 'integer')
    .addColumn('last_sent_at', 'timestamptz')
    .addColumn('platform_qty', 'integer')
    .addColumn('platform_read_at', 'timestamptz')
    .addColumn('refusal', 'text')
    .addColumn('refused_at', 'timestamptz')
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('stock_listings_pkey', ['shop_id', 'listing_key'])
    .execute();
  await db.schema.createIndex('stock_listings_sku_idx').on('stock_listings').column('sku_code').execute();

  // Append-only marks: plain inserts (no row to fight over in a burst), consumed by deleting them,
  // which sees only committed marks, so none is lost to a transaction that commits late.
  await db.schema
    .createTable('stock_sync_marks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('sku_code', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stock_sync_marks_shop_idx').on('stock_sync_marks').column('shop_id').execute();

  // Every ledger movement that changes on hand or reserved marks the shops listing the SKU, or a
  // bundle made of it, in the same transaction: whatever writes the ledger, nothing is missed.
  await sql`
    create function stock_sync_mark() returns trigger language plpgsql as $$
    begin
      insert into stock_sync_marks (shop_id, sku_code)
      select distinct l.shop_id, l.sku_code
      from stock_listings l
      where l.sku_code in (
        select m.sku_code from moved m where m.on_hand_delta <> 0 or m.reserved_delta <> 0
        union
        select c.bundle_code from sku_components c join moved m on m.sku_code = c.component_code
        where m.on_hand_delta <> 0 or m.reserved_delta <> 0
      );
      return null;
    end $$`.execute(db);
  await sql`
    create trigger stock_ledger_marks_sync after insert on stock_ledger
    referencing new table as moved for each statement execute function stock_sync_mark()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists stock_ledger_marks_sync on stock_ledger`.execute(db);
  await sql`drop function if exists stock_sync_mark()`.execute(db);
  await db.schema.dropTable('stock_sync_marks').ifExists().execute();
  await db.schema.dropTable('stock_listings').ifExists().execute();
  await db.schema.dropTable('stock_sync_rules').ifExists().execute();
}

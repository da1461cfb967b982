import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A bundle (gift box, multi-pack) is sold as one SKU but picked and reserved as its components.
  await db.schema
    .createTable('sku_components')
    .addColumn('bundle_code', 'text', (c) => c.notNull().references('skus.code').onDelete('cascade'))
    .addColumn('component_code', 'text', (c) => c.notNull().references('skus.code'))
    .addColumn('qty', 'integer', (c) => c.notNull().check(sql`qty > 0`))
    .addPrimaryKeyConstraint('sku_components_pkey', ['bundle_code', 'component_code'])
    .addCheckConstraint('sku_components_not_self', sql`bundle_code <> component_code`)
    .execute();
  await db.schema
    .createIndex('sku_components_component_idx')
    .on('sku_components')
    .column('component_code')
    .execute();

  // Platform listings point at internal SKUs by the platform's SKU id, the seller's outer code, or both.
  // A null shop applies to every shop of the platform; a shop-specific mapping wins over it.
  await db.schema
    .createTable('platform_sku_mappings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text', (c) => c.references('shops.id').onDelete('cascade'))
    .addColumn('platform_sku_id', 'text')
    .addColumn('outer_code', 'text')
    .addColumn('sku_code', 'text', (c) => c.notNull().references('skus.code'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'platform_sku_mappings_has_key',
      sql`platform_sku_id is not null or outer_code is not null`,
    )
    .execute();
  await sql`create unique index platform_sku_mappings_sku_id_key
    on platform_sku_mappings (platform, coalesce(shop_id, ''), platform_sku_id)
    where platform_sku_id is not null`.execute(db);
  await sql`create unique index platform_sku_mappings_outer_code_key
    on platform_sku_mappings (platform, coalesce(shop_id, ''), outer_code)
    where outer_code is not null and platform_sku_id is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('platform_sku_mappings').ifExists().execute();
  await db.schema.dropTable('sku_components').ifExists().execute();
}

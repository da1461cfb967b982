import { sql, type Kysely } from 'kysely';

/**
 * The SKU periods most paid first (docs/reports.md, "Top SKUs"): per rollup unit and shop (or over
 * all shops), the SKUs by amount paid, carrying their code, so the sales report's top SKUs read each
 * part of a period from its most paid SKU down to a threshold instead of every SKU of the period.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index sales_sku_periods_paid on sales_sku_periods (grain, starts, shop_id, platform, paid_fen desc)
      include (sku_code)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index sales_sku_periods_paid`.execute(db);
}

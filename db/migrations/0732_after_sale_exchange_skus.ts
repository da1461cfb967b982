import type { Kysely } from 'kysely';

/**
 * Exchanges for another SKU (docs/after-sales.md, "Exchange"): the SKU a case line's replacement
 * ships as, when the buyer asked for another size or colour than the one sold (null: the same SKU).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('after_sale_case_lines').addColumn('exchange_sku', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('after_sale_case_lines').dropColumn('exchange_sku').execute();
}

import type { Kysely } from 'kysely';

/**
 * Tax is money the buyer owes (cross-border orders: Shopify, WooCommerce, Amazon): the order keeps
 * its tax and each line its own, for the payment audit and for reports.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['orders', 'order_lines']) {
    await db.schema
      .alterTable(table)
      .addColumn('tax_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['orders', 'order_lines']) {
    await db.schema.alterTable(table).dropColumn('tax_fen').execute();
  }
}

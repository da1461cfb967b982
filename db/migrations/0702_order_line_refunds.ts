import type { Kysely } from 'kysely';

/**
 * Each order line's refund state in the projection (`none`, `requested`, `refused`, `refunded`,
 * `closed`; null where the platform reports refunds per order only, and the order's `refund_status`
 * is every line's). Written from every snapshot the order workflow takes, and by after-sales cases
 * settled after the order's workflow ended (docs/after-sales.md, "Cases on orders that ended").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_lines').addColumn('refund_status', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_lines').dropColumn('refund_status').execute();
}

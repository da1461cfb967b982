import type { Kysely } from 'kysely';

/**
 * Platform after-sales cases: where the platform says a case stands (its own status word), the
 * seller's and the buyer's deadlines the platform set, and when the seller's deadline was
 * escalated to a person (the review queue shows it first).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('after_sale_cases')
    .addColumn('platform_status', 'text')
    .addColumn('seller_deadline', 'timestamptz')
    .addColumn('buyer_deadline', 'timestamptz')
    .addColumn('escalated_at', 'timestamptz')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('after_sale_cases')
    .dropColumn('platform_status')
    .dropColumn('seller_deadline')
    .dropColumn('buyer_deadline')
    .dropColumn('escalated_at')
    .execute();
}

import type { Kysely } from 'kysely';

/**
 * The receiver's province in plain text beside the sealed receiver (db/crypto/receivers.ts), as
 * the phone-tail hashes are: carrier timeliness is reported by destination province
 * (docs/reports.md), and a province alone names no one. `effective_province` follows a reviewer's
 * edit of the receiver. Orders captured before this migration have none (reported as unknown).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('orders')
    .addColumn('receiver_province', 'text')
    .addColumn('effective_province', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('orders')
    .dropColumn('receiver_province')
    .dropColumn('effective_province')
    .execute();
}

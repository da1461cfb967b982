import type { Kysely } from 'kysely';

/**
 * Return waybills we issue (docs/after-sales.md, "Return waybills we issue"): the waybill the
 * carrier's return service gave for the case (its request id, print data and sort codes), and
 * where the return parcel last stood by tracking (the carrier's status and when it was read).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('after_sale_returns')
    // { requestId, provider, carrier, trackingNumber, originCode?, destinationCode?, sortCode?, printData? }
    .addColumn('waybill', 'jsonb')
    .addColumn('tracking_status', 'text')
    .addColumn('tracked_at', 'timestamptz')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('after_sale_returns')
    .dropColumn('waybill')
    .dropColumn('tracking_status')
    .dropColumn('tracked_at')
    .execute();
}

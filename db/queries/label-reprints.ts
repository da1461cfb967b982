import { sql } from 'kysely';
import type { Db } from '../connect.js';

/**
 * Label reprints (db/migrations/1001_label_reprints.ts). A reprint is an explicit act with a
 * reason; the first print of a label is not recorded here.
 */

export interface LabelReprint {
  shipmentId: string;
  trackingNumber: string;
  printCount: number;
  actor: string;
  reason: string;
  at: Date;
}

/**
 * Records one reprint of the shipment's label and returns it with its print count (how many
 * times the label has now been printed, the first print included). Reprints of one shipment take
 * turns on its row, so two at once get counts of their own.
 */
export async function recordReprint(
  db: Db,
  input: { shipmentId: string; trackingNumber: string; orderIds: string[]; actor: string; reason: string },
): Promise<LabelReprint> {
  return db.transaction().execute(async (trx) => {
    await sql`select 1 from shipments where id = ${input.shipmentId} for update`.execute(trx);
    const { last } = await trx
      .selectFrom('label_reprints')
      .select((eb) => eb.fn.max('print_count').as('last'))
      .where('shipment_id', '=', input.shipmentId)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('label_reprints')
      .values({
        shipment_id: input.shipmentId,
        print_count: (last ?? 1) + 1,
        tracking_number: input.trackingNumber,
        order_ids: input.orderIds,
        actor: input.actor,
        reason: input.reason,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toReprint(row);
  });
}

function toReprint(row: {
  shipment_id: string;
  tracking_number: string;
  print_count: number;
  actor: string;
  reason: string;
  at: Date;
}): LabelReprint {
  return {
    shipmentId: row.shipment_id,
    trackingNumber: row.tracking_number,
    printCount: row.print_count,
    actor: row.actor,
    reason: row.reason,
    at: row.at,
  };
}

/** The reprints of one shipment's label, or of the labels of every parcel of one order, oldest first. */
export async function loadReprints(
  db: Db,
  of: { shipmentId: string } | { orderId: string },
): Promise<LabelReprint[]> {
  let query = db.selectFrom('label_reprints').selectAll().orderBy('at').orderBy('print_count');
  query =
    'shipmentId' in of
      ? query.where('shipment_id', '=', of.shipmentId)
      : query.where((eb) => eb(eb.val(of.orderId), '=', eb.fn.any('order_ids')));
  return (await query.execute()).map(toReprint);
}

/** What a reprint says on a timeline. */
export const REPRINT_STAGE = 'label_reprinted';
export function reprintDetail(r: LabelReprint) {
  return {
    shipmentId: r.shipmentId,
    trackingNumber: r.trackingNumber,
    reason: r.reason,
    printCount: r.printCount,
  };
}

/**
 * A workflow's timeline with the reprints placed where they happened: each after the last event
 * at or before its time (the timeline's own order is kept). `entry` makes a reprint's timeline
 * entry, given the entry it follows.
 */
export function withReprints<E extends { at: Date }>(
  events: E[],
  reprints: LabelReprint[],
  entry: (reprint: LabelReprint, after: E | undefined) => E,
): E[] {
  const merged = [...events];
  for (const reprint of reprints) {
    let place = merged.length;
    while (place > 0 && merged[place - 1]!.at.getTime() > reprint.at.getTime()) place--;
    merged.splice(place, 0, entry(reprint, merged[place - 1]));
  }
  return merged;
}

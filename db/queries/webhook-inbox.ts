import { sql } from 'kysely';
import type { Db } from '../connect.js';
import type { InboxPayload } from '../tables/capture.js';

/** Queries of the webhook inbox (0900_webhook_inbox): written by the API, drained by the forwarder. */

export interface InboxRow {
  id: number;
  eventId: string;
  shopId: string;
  platform: string;
  payload: InboxPayload;
  attempts: number;
}

/** Writes a push's event; false when the event id is already in the inbox (a repeat). */
export async function writeInboxEvent(
  db: Db,
  input: { eventId: string; shopId: string; platform: string; payload: InboxPayload },
): Promise<boolean> {
  const row = await db
    .insertInto('webhook_inbox')
    .values({
      event_id: input.eventId,
      shop_id: input.shopId,
      platform: input.platform,
      payload: JSON.stringify(input.payload),
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes up to `limit` events due for forwarding, oldest first, and leases them for `leaseSeconds`:
 * forwarders in other processes skip them (SKIP LOCKED while claiming, `not_before` after), and an
 * event whose forwarder died is taken again once its lease runs out.
 */
export async function claimInboxEvents(db: Db, limit: number, leaseSeconds: number): Promise<InboxRow[]> {
  const rows = await sql<{
    id: number;
    event_id: string;
    shop_id: string;
    platform: string;
    payload: InboxPayload;
    attempts: number;
  }>`
    update webhook_inbox set attempts = attempts + 1,
      not_before = now() + make_interval(secs => ${leaseSeconds})
    where id in (
      select id from webhook_inbox
      where forwarded_at is null and not_before <= now()
      order by id limit ${limit}
      for update skip locked)
    returning id, event_id, shop_id, platform, payload, attempts`.execute(db);
  return rows.rows
    .map((r) => ({
      id: Number(r.id),
      eventId: r.event_id,
      shopId: r.shop_id,
      platform: r.platform,
      payload: r.payload,
      attempts: r.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}

/** Done: the payload (buyers' data) is not kept once Temporal holds it. */
export async function markInboxForwarded(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_inbox')
    .set({ forwarded_at: sql<Date>`now()`, payload: null, last_error: null })
    .where('id', 'in', [...ids])
    .execute();
}

/** Not forwarded: tried again after `retryInSeconds`. */
export async function markInboxFailed(
  db: Db,
  id: number,
  error: string,
  retryInSeconds: number,
): Promise<void> {
  await db
    .updateTable('webhook_inbox')
    .set({
      last_error: error.slice(0, 1000),
      not_before: sql<Date>`now() + make_interval(secs => ${retryInSeconds})`,
    })
    .where('id', '=', id)
    .execute();
}

/** Events not forwarded yet, and the age of the oldest (what an operator watches in an outage). */
export async function inboxBacklog(db: Db): Promise<{ pending: number; oldestAt: Date | null }> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('received_at').as('oldest')])
    .where('forwarded_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldestAt: (row.oldest as Date | null) ?? null };
}

/** Forgets forwarded events older than any redelivery (their ids were only kept to spot repeats). */
export async function pruneInbox(db: Db, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_inbox')
    .where('forwarded_at', 'is not', null)
    .where('received_at', '<', olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import { sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import { UNFENCED, type EventFence } from '../../domain/event-fence.js';
import type { Database } from '../schema.js';

/** A timeline table and the row its events belong to. */
interface Timeline {
  events: 'order_events' | 'shipment_events';
  owner: 'orders' | 'shipments';
  key: 'order_id' | 'shipment_id';
}

export const ORDER_TIMELINE: Timeline = { events: 'order_events', owner: 'orders', key: 'order_id' };
export const SHIPMENT_TIMELINE: Timeline = {
  events: 'shipment_events',
  owner: 'shipments',
  key: 'shipment_id',
};

/**
 * Decides whether the event `seq` emitted at `fence` belongs on the timeline, and clears the way
 * for it. Run inside the transaction that then inserts the event (`on conflict do nothing`: a
 * conflict left is the same event written again by a retried activity).
 *
 * Events of the real history have sequence numbers and fences that rise together. An event from a
 * workflow task that was lost (a worker died before the task completed) can share a sequence
 * number with a different real event: the task that re-executed it started further along the
 * history, saw what arrived meanwhile and may have taken another path. So:
 * - an event at or after `seq` with an older fence is the lost task's and is removed;
 * - if an event at or before `seq` has a newer fence, this write is the lost task's (arriving
 *   late) and is refused ('stale').
 * The owner row is locked first, so writers of one timeline take turns.
 */
export async function clearTimelineFor(
  trx: Transaction<Database>,
  timeline: Timeline,
  id: string,
  seq: number,
  fence: EventFence = UNFENCED,
): Promise<'current' | 'stale'> {
  const { events, owner, key } = timeline;
  await sql`select 1 from ${sql.table(owner)} where id = ${id} for update`.execute(trx);
  const run = fence.runStartedAt;
  const length = fence.historyLength;
  const newer = await sql`
    select 1 from ${sql.table(events)}
    where ${sql.ref(key)} = ${id} and seq <= ${seq}
      and (fence_run_started_at, fence_history_length) > (${run}::timestamptz, ${length})
    limit 1`.execute(trx);
  if (newer.rows.length > 0) return 'stale';
  await sql`
    delete from ${sql.table(events)}
    where ${sql.ref(key)} = ${id} and seq >= ${seq}
      and (fence_run_started_at, fence_history_length) < (${run}::timestamptz, ${length})`.execute(trx);
  return 'current';
}

/** The fence columns of an event row. */
export function fenceColumns(fence: EventFence = UNFENCED) {
  return { fence_run_started_at: fence.runStartedAt, fence_history_length: fence.historyLength };
}

/** The owner columns that record which event its projection shows. */
export function lastEventColumns(seq: number, fence: EventFence = UNFENCED) {
  return {
    last_event_seq: seq,
    last_event_run_started_at: fence.runStartedAt,
    last_event_history_length: fence.historyLength,
  };
}

/**
 * True on an owner row whose projection is older than the event (`seq`, `fence`): the newest
 * event by history position wins, and within one task the later sequence number.
 */
export function projectionOlderThan(seq: number, fence: EventFence = UNFENCED): Expression<SqlBool> {
  return sql<SqlBool>`(last_event_run_started_at, last_event_history_length, last_event_seq)
    < (${fence.runStartedAt}::timestamptz, ${fence.historyLength}, ${seq})`;
}

import { sql, type Expression, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
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
 * Whether the event `seq` emitted at `fence` belongs on the timeline, and clearing the way for it,
 * inside the transaction that inserts the event (`on conflict do nothing`: a conflict left is the
 * same event written again by a retried activity).
 *
 * Events of the real history have sequence numbers and fences that rise together. An event from a
 * workflow task that was lost (a worker died before the task completed) can share a sequence
 * number with a different real event: the task that re-executed it started further along the
 * history, saw what arrived meanwhile and may have taken another path. So:
 * - an event at or after `seq` with an older fence is the lost task's and is removed;
 * - if an event at or before `seq` has a newer fence, this write is the lost task's (arriving
 *   late) and is refused ('stale').
 * The owner row is locked first (lockTimeline), so writers of one timeline take turns; the write
 * then asks both questions in its own statement (fenceChecks) and clears a lost task's events
 * (clearLostEvents) only when there are any.
 *
 * This locks the owner row: its own statement, first in the transaction, so every statement
 * after it reads what the writer before it committed.
 */
export async function lockTimeline(
  trx: Transaction<Database>,
  timeline: Timeline,
  id: string,
): Promise<void> {
  await sql`select 1 from ${sql.table(timeline.owner)} where id = ${id} for update`.execute(trx);
}

/**
 * The two questions of the fence (above) as queries a write asks inside its own statement, as
 * common table expressions (parenthesised, as their bodies are): `newer`, an event at or before
 * `seq` with a newer fence (the write is the lost task's: refused); `lost`, an event at or after
 * `seq` with an older fence (a lost task's: removed before the write, clearLostEvents).
 */
export function fenceChecks(
  timeline: Timeline,
  id: string,
  seq: number,
  fence: EventFence = UNFENCED,
): { newer: RawBuilder<{ x: number }>; lost: RawBuilder<{ x: number }> } {
  const { events, key } = timeline;
  const run = fence.runStartedAt;
  const length = fence.historyLength;
  return {
    newer: sql<{ x: number }>`(
      select 1 as x from ${sql.table(events)}
      where ${sql.ref(key)} = ${id} and seq <= ${seq}
        and (fence_run_started_at, fence_history_length) > (${run}::timestamptz, ${length}::integer)
      limit 1)`,
    lost: sql<{ x: number }>`(
      select 1 as x from ${sql.table(events)}
      where ${sql.ref(key)} = ${id} and seq >= ${seq}
        and (fence_run_started_at, fence_history_length) < (${run}::timestamptz, ${length}::integer)
      limit 1)`,
  };
}

/** Removes the lost task's events at or after `seq` (older fences than this write's). */
export async function clearLostEvents(
  trx: Transaction<Database>,
  timeline: Timeline,
  id: string,
  seq: number,
  fence: EventFence = UNFENCED,
): Promise<void> {
  const { events, key } = timeline;
  await sql`
    delete from ${sql.table(events)}
    where ${sql.ref(key)} = ${id} and seq >= ${seq}
      and (fence_run_started_at, fence_history_length) < (${fence.runStartedAt}::timestamptz, ${fence.historyLength})`.execute(
    trx,
  );
}

/**
 * In a write's own statement, after `newer` and `lost` (fenceChecks) as common table expressions:
 * true when the write may go ahead as it is (nothing newer, nothing lost to clear first).
 */
export const FENCE_CLEAR = sql<boolean>`not exists (select 1 from newer) and not exists (select 1 from lost)`;

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

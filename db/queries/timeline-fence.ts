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

/** Where an event goes on its timeline: its owner row, its sequence number and its fence. */
export interface TimelinePlace {
  /** The owner's id (the order's, the shipment's). */
  id: string;
  seq: number;
  /** Where in the workflow's history the event was emitted; absent from writers that predate it. */
  fence?: EventFence | undefined;
}

/** An event and what it does to its owner's row, for timelineWrite. */
export interface TimelineEvent extends TimelinePlace {
  /**
   * The event's own columns, after its owner and seq and before its fence, in column order: each
   * with its value and the SQL type the value is cast to.
   */
  columns: ReadonlyArray<readonly [column: string, value: unknown, type: 'text' | 'jsonb' | 'timestamptz']>;
  /** The owner's columns set when this is its newest event (lastEventColumns among them). */
  set: Record<string, unknown>;
}

/**
 * The event and its owner's row in one statement, after the timeline is locked, as common table
 * expressions a caller finishes (more of them, then `selectNoFrom(FENCE_ANSWER)`): the fence's
 * checks (`newer`, `lost`: fenceChecks), the event at most once per seq (`ev`), and the owner's row
 * moved forward if this is its newest event (`moved`). Neither is written when a newer event
 * refuses the event or a lost task's events must be cleared first. With `returning`, `ev` and
 * `moved` answer their rows' ids, for later parts of the statement to ask whether they wrote
 * (the order's timeline; shipment events have no id).
 */
export function timelineWrite(
  trx: Transaction<Database>,
  timeline: Timeline,
  event: TimelineEvent,
  options: { returning?: boolean } = {},
) {
  const { events, owner, key } = timeline;
  const { id, seq } = event;
  const fence = event.fence ?? UNFENCED;
  const checks = fenceChecks(timeline, id, seq, fence);
  const returning = options.returning === true;
  const columns = [
    key,
    'seq',
    ...event.columns.map(([column]) => column),
    'fence_run_started_at',
    'fence_history_length',
  ];
  const values = sql.join([
    sql`${id}::text`,
    sql`${seq}::integer`,
    ...event.columns.map(([, value, type]) => sql`${value}::${sql.raw(type)}`),
    sql`${fence.runStartedAt}::timestamptz`,
    sql`${fence.historyLength}::integer`,
  ]);
  // The two timelines' tables differ in their columns: the statement is the same for both.
  return trx
    .with('newer', () => checks.newer)
    .with('lost', () => checks.lost)
    .with('ev', (qb) =>
      qb
        .insertInto(events as 'order_events')
        .columns(columns as ['order_id'])
        .expression(sql`select ${values} where ${FENCE_CLEAR}`)
        .onConflict((oc) => oc.columns([key as 'order_id', 'seq']).doNothing())
        .$if(returning, (q) => q.returning('id')),
    )
    .with('moved', (qb) =>
      qb
        .updateTable(owner as 'orders')
        .set(event.set)
        .where('id', '=', id)
        .where(projectionOlderThan(seq, fence))
        .where(FENCE_CLEAR)
        .$if(returning, (q) => q.returning('id')),
    );
}

/** What a timelineWrite answers: whether a newer event refused it, and whether a lost task's events were in its way. */
export const FENCE_ANSWER = [
  sql<boolean>`exists (select 1 from newer)`.as('stale'),
  sql<boolean>`exists (select 1 from lost)`.as('lost'),
] as const;

/**
 * One event on its timeline, in the caller's transaction: the owner locked (lockTimeline), the
 * write (`write`: its own statement, timelineWrite), and when a lost task's events are in its way
 * (rare), those cleared (clearLostEvents) and the same write again. Undefined when a newer event
 * refuses it; otherwise the write's own answer.
 */
export async function writeOnTimeline<W extends { stale: boolean; lost: boolean }>(
  trx: Transaction<Database>,
  timeline: Timeline,
  place: TimelinePlace,
  write: () => Promise<W>,
): Promise<W | undefined> {
  await lockTimeline(trx, timeline, place.id);
  let written = await write();
  if (written.stale) return undefined;
  if (written.lost) {
    await clearLostEvents(trx, timeline, place.id, place.seq, place.fence);
    written = await write();
    if (written.stale) return undefined;
  }
  return written;
}

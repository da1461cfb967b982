import type { Selectable } from 'kysely';
import type { Db } from '../connect.js';
import type { HumanActionOutcomesTable } from '../tables/human-actions.js';

export interface ActionOutcome {
  id: string;
  actor: string;
  route: string;
  idempotencyKey: string;
  fingerprint: string;
  /** Where the target stood once answered (JSON), for recognising a repeat without a key. */
  stateAfter: string | null;
  statusCode: number;
  body: Record<string, unknown>;
}

export async function findActionOutcome(db: Db, id: string): Promise<ActionOutcome | undefined> {
  const row = await db
    .selectFrom('human_action_outcomes')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? outcomeOf(row) : undefined;
}

/** The answer to the same request by the same person that left the target where it stands now. */
export async function findRepeatedAction(
  db: Db,
  request: { actor: string; route: string; fingerprint: string; stateNow: string },
): Promise<ActionOutcome | undefined> {
  const row = await db
    .selectFrom('human_action_outcomes')
    .selectAll()
    .where('actor', '=', request.actor)
    .where('route', '=', request.route)
    .where('fingerprint', '=', request.fingerprint)
    .where('state_after', '=', request.stateNow)
    .orderBy('answered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? outcomeOf(row) : undefined;
}

function outcomeOf(row: Selectable<HumanActionOutcomesTable>): ActionOutcome {
  return {
    id: row.id,
    actor: row.actor,
    route: row.route,
    idempotencyKey: row.idempotency_key,
    fingerprint: row.fingerprint,
    stateAfter: row.state_after,
    statusCode: row.status_code,
    body: row.body,
  };
}

/**
 * Keeps the first answer to an action. Two attempts racing with one key both asked the workflow
 * under one Update id, so they got the same answer; whichever stores first stands.
 */
export async function saveActionOutcome(db: Db, outcome: ActionOutcome): Promise<void> {
  await db
    .insertInto('human_action_outcomes')
    .values({
      id: outcome.id,
      actor: outcome.actor,
      route: outcome.route,
      idempotency_key: outcome.idempotencyKey,
      fingerprint: outcome.fingerprint,
      state_after: outcome.stateAfter,
      status_code: outcome.statusCode,
      body: JSON.stringify(outcome.body),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Where an order's or a shipment's timeline stands: it moves with every event its workflow records. */
export async function timelinePosition(db: Db, table: 'orders' | 'shipments', id: string) {
  const row = await db.selectFrom(table).select('last_event_seq').where('id', '=', id).executeTakeFirst();
  return row?.last_event_seq ?? null;
}

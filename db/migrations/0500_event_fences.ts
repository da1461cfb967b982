import type { Kysely } from 'kysely';

/**
 * Timeline events carry the workflow-history position of the task that emitted them
 * (domain/event-fence.ts), and each order and shipment the position of the event its columns
 * show, so a write from a lost workflow task never shadows the event that really happened.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['order_events', 'shipment_events']) {
    await db.schema
      .alterTable(table)
      .addColumn('fence_run_started_at', 'timestamptz', (c) => c.notNull().defaultTo('1970-01-01T00:00:00Z'))
      .addColumn('fence_history_length', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  for (const table of ['orders', 'shipments']) {
    await db.schema
      .alterTable(table)
      .addColumn('last_event_run_started_at', 'timestamptz', (c) =>
        c.notNull().defaultTo('1970-01-01T00:00:00Z'),
      )
      .addColumn('last_event_history_length', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['orders', 'shipments']) {
    await db.schema
      .alterTable(table)
      .dropColumn('last_event_run_started_at')
      .dropColumn('last_event_history_length')
      .execute();
  }
  for (const table of ['order_events', 'shipment_events']) {
    await db.schema
      .alterTable(table)
      .dropColumn('fence_run_started_at')
      .dropColumn('fence_history_length')
      .execute();
  }
}

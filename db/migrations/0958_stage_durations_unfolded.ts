import { sql, type Kysely } from 'kysely';

/**
 * The stage durations a timeline event makes known, appended in the event's transaction (one
 * insert, no shared rows to update) and folded into the stage-duration histograms (0956) by a
 * scheduled workflow (docs/reports.md); the efficiency report reads the rows not yet folded beside
 * the histograms, so it stays exact. The histograms already hold every duration recorded before
 * this migration: nothing to backfill.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table stage_durations_unfolded (
      id bigint generated always as identity primary key,
      day date not null,
      shop_id text not null,
      platform text not null,
      measure text not null,
      secs double precision not null
    )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table stage_durations_unfolded`.execute(db);
}

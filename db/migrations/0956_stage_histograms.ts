import { sql, type Kysely } from 'kysely';
import { addToHistograms, MEASURED_FROM_STAGE_TIMES } from '../queries/stage-histograms.js';

/**
 * Stage-duration histograms for the efficiency report (docs/reports.md): per day, per week (Monday
 * first) and per month of the orders' paid day × shop × platform, for each stage (and pay → handover), how many
 * orders took a duration in each bucket (5 % wide, db/queries/stage-histograms.ts), their seconds
 * and squared seconds summed (a bucket's mean and spread); counters (bucket 0) of orders paid and handed over within 24 and 48 hours. A period reads
 * its whole months, then whole weeks, then the days left over, so a year reads a few thousand rows.
 * Kept in the transaction that sets the stage times; the backfill fills them from what is there.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table stage_duration_hist (
      grain text not null check (grain in ('day', 'week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      measure text not null,
      bucket integer not null,
      orders integer not null,
      seconds double precision not null,
      squares double precision not null,
      primary key (grain, starts, shop_id, platform, measure, bucket)
    )`.execute(db);
  await backfillStageHistograms(db);
}

/** Fills the histograms from the stage times (also used by the benchmark's generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillStageHistograms(db: Kysely<any>): Promise<void> {
  await addToHistograms(db, MEASURED_FROM_STAGE_TIMES);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table stage_duration_hist`.execute(db);
}

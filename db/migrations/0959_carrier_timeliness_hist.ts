import { sql, type Kysely } from 'kysely';
import { addToCarrierHistograms, MEASURED_CARRIERS_FROM_STAGE_TIMES } from '../queries/stage-histograms.js';

/**
 * Carrier timeliness histograms over all shops (docs/reports.md): per day, per week (Monday first)
 * and per month of the orders' paid day × carrier (of the first handover) × destination province
 * ('' when not recorded), for handover → first scan, first scan → delivered and handover →
 * delivered, how many orders took a duration in each 5 % bucket with their seconds and squared
 * seconds summed; counters (bucket 0) of the orders handed over and delivered. No shop or platform:
 * with them a carrier × province would hold too few orders a month for buckets to pay off (a report
 * for some shops or a platform is computed from the stage times). Folded from the stage durations
 * appended on write, which now say the order's carrier and province; backfilled here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stage_durations_unfolded add column carrier text, add column province text`.execute(
    db,
  );
  await sql`
    create table carrier_duration_hist (
      grain text not null check (grain in ('day', 'week', 'month')),
      starts date not null,
      carrier text not null,
      province text not null,
      measure text not null,
      bucket integer not null,
      orders integer not null,
      seconds double precision not null,
      squares double precision not null,
      -- The figures in the index too: a period's rows are read by index-only scans (autovacuum keeps
      -- the past periods' pages all-visible), not from pages scattered by the folds' updates.
      primary key (grain, starts, carrier, province, measure, bucket) include (orders, seconds, squares)
    )`.execute(db);
  await backfillCarrierHistograms(db);
}

/** Fills the carrier histograms from the stage times (also used by the benchmark's generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillCarrierHistograms(db: Kysely<any>): Promise<void> {
  await addToCarrierHistograms(db, MEASURED_CARRIERS_FROM_STAGE_TIMES);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table carrier_duration_hist`.execute(db);
  await sql`alter table stage_durations_unfolded drop column carrier, drop column province`.execute(db);
}

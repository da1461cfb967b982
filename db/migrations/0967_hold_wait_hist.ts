import { sql, type Kysely } from 'kysely';
import { addToHoldHistograms, HOLD_WAITS_FROM_HOLDS } from '../queries/stage-histograms.js';

/**
 * Hold waits from histograms (docs/reports.md, "Hold waits"): per day, week (Monday first) and month
 * of the order's paid day × shop × platform, and over all shops (shop and platform ''), per hold
 * reason, how many cleared holds waited for a person in each 5 % bucket of seconds (the stage
 * histograms' buckets), with their seconds and squared seconds summed. A hold counts there once its
 * order is paid and it is cleared; open holds are read live (they wait until now).
 *
 * Kept off the write path as the stage durations are: a trigger on `order_holds` appends a row to
 * `hold_waits_unfolded` when a hold comes to count (+1) and when one that counted changes or goes
 * (−1: raised again, its order's paid day learnt, deleted), one insert and no shared row; the
 * scheduled stage fold folds them into `hold_wait_hist`, and the report reads the rows not folded
 * yet beside it. Backfilled here from the cleared holds of paid orders.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hold_waits_unfolded (
      id bigint generated always as identity primary key,
      day date not null,
      shop_id text not null,
      platform text not null,
      reason text not null,
      secs double precision not null,
      sign smallint not null check (sign in (-1, 1))
    )`.execute(db);
  await sql`create index hold_waits_unfolded_day on hold_waits_unfolded (day)`.execute(db);
  await sql`
    create table hold_wait_hist (
      grain text not null check (grain in ('day', 'week', 'month')),
      starts date not null,
      shop_id text not null,
      platform text not null,
      reason text not null,
      bucket integer not null,
      holds integer not null,
      seconds double precision not null,
      squares double precision not null,
      primary key (grain, starts, shop_id, platform, reason, bucket) include (holds, seconds, squares)
    )`.execute(db);
  // A hold counts once its order is paid and it is cleared: what it adds is taken out (-1) when it
  // changes or goes, and put back as it is now (+1). Holds rewritten unchanged append nothing.
  await sql`
    create function order_holds_waits() returns trigger language plpgsql as $$
    declare
      was boolean := tg_op <> 'INSERT' and old.paid_day is not null and old.cleared_at is not null;
      now_counts boolean := tg_op <> 'DELETE' and new.paid_day is not null and new.cleared_at is not null;
    begin
      if was and now_counts and new.paid_day = old.paid_day and new.cleared_at = old.cleared_at
        and new.opened_at = old.opened_at and new.reason = old.reason
        and new.shop_id is not distinct from old.shop_id and new.platform is not distinct from old.platform then
        return null;
      end if;
      if was then
        insert into hold_waits_unfolded (day, shop_id, platform, reason, secs, sign)
        values (old.paid_day, coalesce(old.shop_id, ''), coalesce(old.platform, ''), old.reason,
          extract(epoch from old.cleared_at - old.opened_at), -1);
      end if;
      if now_counts then
        insert into hold_waits_unfolded (day, shop_id, platform, reason, secs, sign)
        values (new.paid_day, coalesce(new.shop_id, ''), coalesce(new.platform, ''), new.reason,
          extract(epoch from new.cleared_at - new.opened_at), 1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger order_holds_waits after insert or update or delete on order_holds
    for each row execute function order_holds_waits()`.execute(db);
  // The open holds of a period, read live beside the histograms.
  await sql`
    create index order_holds_open_by_paid_day on order_holds (paid_day, shop_id)
      include (platform, reason, opened_at) where paid_day is not null and cleared_at is null`.execute(db);
  await backfillHoldHistograms(db);
}

/** Fills the hold-wait histograms from the cleared holds of paid orders (also the benchmark's generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function backfillHoldHistograms(db: Kysely<any>): Promise<void> {
  await addToHoldHistograms(db, HOLD_WAITS_FROM_HOLDS);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index order_holds_open_by_paid_day`.execute(db);
  await sql`drop trigger order_holds_waits on order_holds`.execute(db);
  await sql`drop function order_holds_waits()`.execute(db);
  await sql`drop table hold_wait_hist`.execute(db);
  await sql`drop table hold_waits_unfolded`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * The efficiency report without reading every order of the period (docs/reports.md):
 *
 * - `stage_duration_hist` also holds each day, week and month over all shops (shop and platform
 *   '', the sums of the shops' rows), so a report over all shops reads one shop's worth of rows;
 *   its key carries the figures (`include (orders, seconds, squares)`), so each run of months,
 *   weeks or days is an index-only scan instead of a visit to pages scattered by the folds.
 * - `order_stage_times` keeps the destination province recorded when the order was handed over
 *   (`province`), and an index of the handed-over orders by shop and day carrying what carrier
 *   timeliness reads, so carrier timeliness for some shops or a platform is an index-only scan of
 *   their handed-over orders, without joining `orders`.
 * - `order_holds` carries its order's paid day, shop and platform (`paid_day`, `shop_id`,
 *   `platform`, set by a trigger when the hold is written, or when the order is paid), so the hold waits of a period
 *   read the period's holds only, not the stage times of every order of the period.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into stage_duration_hist (grain, starts, shop_id, platform, measure, bucket, orders, seconds, squares)
    select grain, starts, '', '', measure, bucket, sum(orders), sum(seconds), sum(squares)
    from stage_duration_hist where shop_id <> ''
    group by grain, starts, measure, bucket`.execute(db);
  await sql`alter table stage_duration_hist drop constraint stage_duration_hist_pkey`.execute(db);
  await sql`
    alter table stage_duration_hist add primary key (grain, starts, shop_id, platform, measure, bucket)
      include (orders, seconds, squares)`.execute(db);
  await sql`alter table order_holds add column paid_day date, add column shop_id text, add column platform text`.execute(
    db,
  );
  await sql`
    update order_holds h set paid_day = t.day, shop_id = t.shop_id, platform = t.platform
    from order_stage_times t where t.order_id = h.order_id`.execute(db);
  await sql`
    update order_holds h set shop_id = o.shop_id, platform = o.platform
    from orders o where o.id = h.order_id and h.shop_id is null`.execute(db);
  // Whoever writes a hold, it learns its order's paid day, shop and platform (a hold raised before
  // the payment is recorded learns its day when the payment is: db/queries/stage-times.ts).
  await sql`
    create function order_holds_paid_day() returns trigger language plpgsql as $$
    begin
      select t.day, t.shop_id, t.platform into new.paid_day, new.shop_id, new.platform
      from order_stage_times t where t.order_id = new.order_id;
      if new.shop_id is null then
        select o.shop_id, o.platform into new.shop_id, new.platform from orders o where o.id = new.order_id;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger order_holds_paid_day before insert or update on order_holds
    for each row when (new.paid_day is null) execute function order_holds_paid_day()`.execute(db);
  await sql`
    create index order_holds_paid_day on order_holds (paid_day, shop_id)
      include (platform, reason, opened_at, cleared_at) where paid_day is not null`.execute(db);
  await sql`alter table order_stage_times add column province text`.execute(db);
  await sql`
    update order_stage_times t set province = coalesce(o.effective_province, o.receiver_province)
    from orders o where o.id = t.order_id and t.shipped_at is not null`.execute(db);
  await sql`
    create index order_stage_times_handed on order_stage_times (shop_id, day)
      include (carrier, province, shipped_at, first_scan_at, delivered_at)
      where shipped_at is not null and carrier is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index order_stage_times_handed`.execute(db);
  await sql`alter table order_stage_times drop column province`.execute(db);
  await sql`drop index order_holds_paid_day`.execute(db);
  await sql`drop trigger order_holds_paid_day on order_holds`.execute(db);
  await sql`drop function order_holds_paid_day()`.execute(db);
  await sql`alter table order_holds drop column paid_day, drop column shop_id, drop column platform`.execute(
    db,
  );
  await sql`delete from stage_duration_hist where shop_id = ''`.execute(db);
  await sql`alter table stage_duration_hist drop constraint stage_duration_hist_pkey`.execute(db);
  await sql`alter table stage_duration_hist add primary key (grain, starts, shop_id, platform, measure, bucket)`.execute(
    db,
  );
}

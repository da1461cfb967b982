import { sql, type Kysely, type RawBuilder } from 'kysely';

/** Any database or transaction: the migration's backfill runs these too, on its untyped handle. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Where an order waits: each stage runs from one recorded time to the next (docs/reports.md). */
export const STAGES = [
  { stage: 'audit', from: 'paid_at', to: 'audited_at' },
  { stage: 'allocation', from: 'audited_at', to: 'allocated_at' },
  { stage: 'wave', from: 'allocated_at', to: 'waved_at' },
  { stage: 'picking', from: 'waved_at', to: 'picked_at' },
  { stage: 'packing', from: 'picked_at', to: 'packed_at' },
  { stage: 'handover', from: 'packed_at', to: 'shipped_at' },
  { stage: 'carrier_pickup', from: 'shipped_at', to: 'first_scan_at' },
  { stage: 'delivery', from: 'first_scan_at', to: 'delivered_at' },
] as const;
export type Stage = (typeof STAGES)[number]['stage'];

/** Each histogram bucket is 5 % wider than the one before: [1.05^(k−1), 1.05^k) seconds; bucket 0 below 1 s. */
export const BUCKET_RATIO = 1.05;

/** The bucket of a duration in seconds (SQL). */
export function bucketOf(seconds: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`case when ${seconds} < 1 then 0 else 1 + floor(ln(${seconds}) / ln(${sql.lit(BUCKET_RATIO)}))::int end`;
}

/** The stage-time columns each measure is computed from (besides the day, set with `paid_at`). */
const MEASURE_COLUMNS: Record<string, readonly string[]> = {
  ...Object.fromEntries(STAGES.map((s) => [s.stage, [s.from, s.to]])),
  pay_to_ship: ['paid_at', 'shipped_at'],
  paid: ['paid_at'],
  shipped_24h: ['paid_at', 'shipped_at'],
  shipped_48h: ['paid_at', 'shipped_at'],
  ship_to_delivery: ['shipped_at', 'delivered_at'],
  handed: ['paid_at', 'shipped_at'],
  delivered: ['paid_at', 'shipped_at', 'delivered_at'],
};

/**
 * What the carrier timeliness histograms count (0959): handover → first scan, first scan →
 * delivered (the stages `carrier_pickup` and `delivery`), handover → delivered, and counters of the
 * orders handed over and delivered; the last three only there.
 */
export const CARRIER_MEASURES = ['carrier_pickup', 'delivery', 'ship_to_delivery', 'handed', 'delivered'];
export const CARRIER_ONLY_MEASURES = ['ship_to_delivery', 'handed', 'delivered'];

/**
 * What the histograms count for an order's stage-times row `t`, as (measure, seconds) pairs: each
 * stage's duration, pay → first handover (ship rates' median), and counters (seconds 0) of orders
 * paid and handed over within 24 and 48 hours of payment; for the carrier histograms, handover →
 * delivered and counters of orders handed over and delivered. Null seconds: not known (yet). With
 * `column`, only the measures computed from that column (all of them for `paid_at`, which dates them).
 */
export function measuresOf(t: string, column?: string): RawBuilder<unknown> {
  const c = (col: string) => sql.raw(`${t}.${col}`);
  const span = (from: string, to: string) => sql`extract(epoch from ${c(to)} - ${c(from)})::float8`;
  const counter = (condition: RawBuilder<unknown>) => sql`case when ${condition} then 0::float8 end`;
  const all: Array<[string, RawBuilder<unknown>]> = [
    ...STAGES.map((s): [string, RawBuilder<unknown>] => [s.stage, span(s.from, s.to)]),
    ['pay_to_ship', span('paid_at', 'shipped_at')],
    ['paid', counter(sql`${c('paid_at')} is not null`)],
    ['shipped_24h', counter(sql`${c('shipped_at')} <= ${c('paid_at')} + interval '24 hours'`)],
    ['shipped_48h', counter(sql`${c('shipped_at')} <= ${c('paid_at')} + interval '48 hours'`)],
    ['ship_to_delivery', span('shipped_at', 'delivered_at')],
    ['handed', counter(sql`${c('shipped_at')} is not null`)],
    ['delivered', counter(sql`${c('shipped_at')} is not null and ${c('delivered_at')} is not null`)],
  ];
  const wanted =
    column === undefined || column === 'paid_at'
      ? all
      : all.filter(([measure]) => MEASURE_COLUMNS[measure]!.includes(column));
  return sql.join(wanted.map(([measure, secs]) => sql`(${measure}, ${secs})`));
}

/**
 * Adds measured durations to the daily, weekly and monthly histograms (0956_stage_histograms): `measured`
 * is a query of rows (day, shop_id, platform, measure, secs), the day the order's paid day.
 */
export async function addToHistograms(db: AnyDb, measured: RawBuilder<unknown>): Promise<void> {
  await sql`with m as (${measured}) ${histogramUpsert(sql`m`)}`.execute(db);
}

/**
 * The upsert adding the rows of `m` (day, shop_id, platform, measure, secs) to the histograms: the
 * shop's rows and those over all shops (shop and platform '', 0962).
 */
function histogramUpsert(m: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into stage_duration_hist as h (grain, starts, shop_id, platform, measure, bucket, orders, seconds,
      squares)
    select g.grain, date_trunc(g.grain, m.day::timestamp)::date, case when s.all_shops then '' else m.shop_id end,
      case when s.all_shops then '' else m.platform end, m.measure,
      ${bucketOf(sql`m.secs`)}, count(*), sum(m.secs), sum(m.secs * m.secs)
    from ${m} as m cross join (values ('day'), ('week'), ('month')) as g(grain)
    cross join (values (false), (true)) as s(all_shops)
    group by 1, 2, 3, 4, 5, 6
    order by 1, 2, 3, 4, 5, 6
    on conflict (grain, starts, shop_id, platform, measure, bucket) do update set
      orders = h.orders + excluded.orders, seconds = h.seconds + excluded.seconds,
      squares = h.squares + excluded.squares`;
}

/** Every paid order's measures from its stage times (the backfill). */
export const MEASURED_FROM_STAGE_TIMES = sql`
  select t.day, t.shop_id, t.platform, v.measure, v.secs
  from order_stage_times t cross join lateral (values ${measuresOf('t')}) as v(measure, secs)
  where t.day is not null and v.secs is not null and v.measure <> all(${CARRIER_ONLY_MEASURES}::text[])`;

/** Every handed-over paid order's carrier measures from its stage times, with its province (the backfill). */
export const MEASURED_CARRIERS_FROM_STAGE_TIMES = sql`
  select t.day, t.shop_id, t.platform, t.carrier, coalesce(o.effective_province, o.receiver_province) as province,
    v.measure, v.secs
  from order_stage_times t join orders o on o.id = t.order_id
  cross join lateral (values ${measuresOf('t')}) as v(measure, secs)
  where t.day is not null and t.carrier is not null and v.secs is not null
    and v.measure = any(${CARRIER_MEASURES}::text[])`;

/**
 * Adds measured carrier durations to the daily, weekly and monthly carrier histograms (0959):
 * `measured` is a query of rows (day, shop_id, platform, carrier, province, measure, secs).
 */
export async function addToCarrierHistograms(db: AnyDb, measured: RawBuilder<unknown>): Promise<void> {
  await sql`with m as (${measured}) ${carrierHistogramUpsert(sql`m`)}`.execute(db);
}

/** The upsert adding the rows of `m` to the carrier histograms (all shops; a province not recorded as ''). */
function carrierHistogramUpsert(m: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into carrier_duration_hist as h (grain, starts, carrier, province, measure, bucket, orders, seconds,
      squares)
    select g.grain, date_trunc(g.grain, m.day::timestamp)::date, m.carrier, coalesce(m.province, ''), m.measure,
      ${bucketOf(sql`m.secs`)}, count(*), sum(m.secs), sum(m.secs * m.secs)
    from ${m} as m cross join (values ('day'), ('week'), ('month')) as g(grain)
    group by 1, 2, 3, 4, 5, 6
    on conflict (grain, starts, carrier, province, measure, bucket) do update set
      orders = h.orders + excluded.orders, seconds = h.seconds + excluded.seconds,
      squares = h.squares + excluded.squares`;
}

/**
 * The hold waits of the cleared holds of paid orders (the backfill): rows (day, shop_id, platform,
 * reason, secs, sign), the day the order's paid day (0967_hold_wait_hist).
 */
export const HOLD_WAITS_FROM_HOLDS = sql`
  select h.paid_day as day, coalesce(h.shop_id, '') as shop_id, coalesce(h.platform, '') as platform, h.reason,
    extract(epoch from h.cleared_at - h.opened_at)::float8 as secs, 1 as sign
  from order_holds h where h.paid_day is not null and h.cleared_at is not null`;

/** Adds hold waits (rows as `HOLD_WAITS_FROM_HOLDS` gives them) to the hold-wait histograms. */
export async function addToHoldHistograms(db: AnyDb, waits: RawBuilder<unknown>): Promise<void> {
  await sql`with m as (${waits}) ${holdHistogramUpsert(sql`m`)}`.execute(db);
}

/**
 * The upsert adding the signed rows of `m` (day, shop_id, platform, reason, secs, sign) to the day,
 * week and month hold-wait histograms, the shop's and over all shops (shop and platform '').
 */
function holdHistogramUpsert(m: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into hold_wait_hist as h (grain, starts, shop_id, platform, reason, bucket, holds, seconds, squares)
    select g.grain, date_trunc(g.grain, m.day::timestamp)::date, case when s.all_shops then '' else m.shop_id end,
      case when s.all_shops then '' else m.platform end, m.reason,
      ${bucketOf(sql`m.secs`)}, sum(m.sign), sum(m.sign * m.secs), sum(m.sign * m.secs * m.secs)
    from ${m} as m cross join (values ('day'), ('week'), ('month')) as g(grain)
    cross join (values (false), (true)) as s(all_shops)
    group by 1, 2, 3, 4, 5, 6
    order by 1, 2, 3, 4, 5, 6
    on conflict (grain, starts, shop_id, platform, reason, bucket) do update set
      holds = h.holds + excluded.holds, seconds = h.seconds + excluded.seconds,
      squares = h.squares + excluded.squares`;
}

/** How many unfolded durations one fold takes at most (one statement, one transaction). */
export const FOLD_BATCH = 5_000;

/**
 * Folds a batch of the durations appended on write (`stage_durations_unfolded`, migration 0958) into
 * the stage and carrier histograms, and a batch of the hold waits (`hold_waits_unfolded`, 0967) into
 * theirs: a statement each deletes the oldest rows and adds them to the day, week and month rows, in
 * one transaction, so a batch is counted once or not at all, whatever fails (a retried fold
 * finds the rows gone and folds the next ones). One fold at a time (an advisory lock; a second fold
 * returns 0): two would upsert the same histogram rows in different orders. Returns how many rows it
 * folded. In a transaction given, it folds in that one.
 */
export async function foldStageDurations(db: AnyDb, limit = FOLD_BATCH): Promise<number> {
  const fold = async (trx: AnyDb) => {
    const lock = await sql<{ got: boolean }>`
      select pg_try_advisory_xact_lock(hashtext('stage_duration_fold')) as got`.execute(trx);
    if (!lock.rows[0]?.got) return 0;
    const r = await sql<{ folded: number }>`
      with m as (
        delete from stage_durations_unfolded
        where id in (select id from stage_durations_unfolded order by id limit ${limit})
        returning day, shop_id, platform, carrier, province, measure, secs
      ), stages as (
        ${histogramUpsert(sql`(select * from m where m.measure <> all(${CARRIER_ONLY_MEASURES}::text[]))`)}
      ), carriers as (
        ${carrierHistogramUpsert(sql`(select * from m where m.carrier is not null
          and m.measure = any(${CARRIER_MEASURES}::text[]))`)}
      )
      select count(*)::int as folded from m`.execute(trx);
    // The hold waits appended by order_holds' trigger (0967), in the same transaction.
    const holds = await sql<{ folded: number }>`
      with m as (
        delete from hold_waits_unfolded
        where id in (select id from hold_waits_unfolded order by id limit ${limit})
        returning day, shop_id, platform, reason, secs, sign
      ), added as (${holdHistogramUpsert(sql`m`)})
      select count(*)::int as folded from m`.execute(trx);
    return (r.rows[0]?.folded ?? 0) + (holds.rows[0]?.folded ?? 0);
  };
  return db.isTransaction ? fold(db) : db.transaction().execute(fold);
}

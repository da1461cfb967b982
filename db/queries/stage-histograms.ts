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

/**
 * What the histograms count for an order's stage-times row `t`, as (measure, seconds) pairs: each
 * stage's duration, pay → first handover (ship rates' median), and counters (seconds 0) of orders
 * paid and handed over within 24 and 48 hours of payment. Null seconds: not known (yet).
 */
export function measuresOf(t: string): RawBuilder<unknown> {
  const c = (column: string) => sql.raw(`${t}.${column}`);
  const span = (from: string, to: string) => sql`extract(epoch from ${c(to)} - ${c(from)})::float8`;
  const counter = (condition: RawBuilder<unknown>) => sql`case when ${condition} then 0::float8 end`;
  return sql.join([
    ...STAGES.map((s) => sql`(${s.stage}, ${span(s.from, s.to)})`),
    sql`('pay_to_ship', ${span('paid_at', 'shipped_at')})`,
    sql`('paid', ${counter(sql`${c('paid_at')} is not null`)})`,
    sql`('shipped_24h', ${counter(sql`${c('shipped_at')} <= ${c('paid_at')} + interval '24 hours'`)})`,
    sql`('shipped_48h', ${counter(sql`${c('shipped_at')} <= ${c('paid_at')} + interval '48 hours'`)})`,
  ]);
}

/**
 * Adds measured durations to the daily, weekly and monthly histograms (0956_stage_histograms): `measured`
 * is a query of rows (day, shop_id, platform, measure, secs), the day the order's paid day.
 */
export async function addToHistograms(db: AnyDb, measured: RawBuilder<unknown>): Promise<void> {
  await sql`
    with m as (${measured})
    insert into stage_duration_hist as h (grain, starts, shop_id, platform, measure, bucket, orders, seconds,
      squares)
    select g.grain, date_trunc(g.grain, m.day::timestamp)::date, m.shop_id, m.platform, m.measure,
      ${bucketOf(sql`m.secs`)}, count(*), sum(m.secs), sum(m.secs * m.secs)
    from m cross join (values ('day'), ('week'), ('month')) as g(grain)
    group by 1, 2, 3, 4, 5, 6
    on conflict (grain, starts, shop_id, platform, measure, bucket) do update set
      orders = h.orders + excluded.orders, seconds = h.seconds + excluded.seconds,
      squares = h.squares + excluded.squares`.execute(db);
}

/** Every paid order's measures from its stage times (the backfill). */
export const MEASURED_FROM_STAGE_TIMES = sql`
  select t.day, t.shop_id, t.platform, v.measure, v.secs
  from order_stage_times t cross join lateral (values ${measuresOf('t')}) as v(measure, secs)
  where t.day is not null and v.secs is not null`;

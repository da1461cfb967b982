import { sql } from 'kysely';
import type { Db } from '../../connect.js';
import { TERMINAL_STATUSES } from '../../../domain/order-status.js';
import { coverPeriod } from '../../../domain/reports/period.js';
import { BUCKET_RATIO, bucketOf, CARRIER_MEASURES, STAGES, type Stage } from '../stage-histograms.js';
import { salesWhere, type SalesFilter } from './sales.js';

export { coverPeriod, STAGES, type Stage };

export const EFFICIENCY_DIMENSIONS = ['shop', 'warehouse', 'carrier', 'day'] as const;
export type EfficiencyDimension = (typeof EFFICIENCY_DIMENSIONS)[number];

const DIMENSION_COLUMN: Record<EfficiencyDimension, string> = {
  shop: 't.shop_id',
  warehouse: 't.warehouse',
  carrier: 't.carrier',
  day: "to_char(t.day, 'YYYY-MM-DD')",
};

export interface StageDurations {
  stage: Stage;
  /** The shop, warehouse, carrier or day; null when not grouped (or not known for the order). */
  key: string | null;
  orders: number;
  p50Seconds: number;
  p90Seconds: number;
  p99Seconds: number;
  avgSeconds: number;
  /** Orders of the period that reached the stage and have not left it (and are still open). */
  waitingNow: number;
}

const durations = sql.join(
  STAGES.map(
    (s) =>
      sql`(${s.stage}, extract(epoch from t.${sql.ref(s.to)} - t.${sql.ref(s.from)}), t.${sql.ref(s.from)} is not null and t.${sql.ref(s.to)} is null)`,
  ),
);

/**
 * p50/p90/p99 of each stage's duration over the orders paid in the period, optionally per shop,
 * warehouse, carrier or day, with how many of them wait in the stage now. Over all shops or per
 * shop, from the histograms (the period's whole months, whole weeks, then days, and the durations
 * not folded into them yet); per warehouse,
 * carrier or day, exact from the stage times.
 */
export async function stageDurations(
  db: Db,
  f: SalesFilter,
  by?: EfficiencyDimension,
): Promise<StageDurations[]> {
  if (by !== undefined && by !== 'shop') return stageDurationsExact(db, f, by);
  const stages = STAGES.map((s) => s.stage);
  const [rows, waiting] = await Promise.all([
    histogramRows(db, f, stages, by === 'shop'),
    waitingNow(db, f, by === 'shop'),
  ]);
  const groups = new Map<string, { stage: Stage; key: string | null; buckets: Bucket[]; waiting: number }>();
  const group = (stage: Stage, key: string | null) => {
    const id = `${stage}\u0000${key ?? ''}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { stage, key, buckets: [], waiting: 0 }));
    return g;
  };
  for (const r of rows) group(r.measure as Stage, r.key).buckets.push(r);
  for (const w of waiting) group(w.stage, w.key).waiting = w.waiting;
  const order = new Map<string, number>(STAGES.map((s, i) => [s.stage, i]));
  return [...groups.values()]
    .map((g) => {
      const h = histogram(g.buckets);
      return {
        stage: g.stage,
        key: g.key,
        orders: h.orders,
        p50Seconds: Math.round(h.percentile(0.5) ?? 0),
        p90Seconds: Math.round(h.percentile(0.9) ?? 0),
        p99Seconds: Math.round(h.percentile(0.99) ?? 0),
        avgSeconds: Math.round(h.mean ?? 0),
        waitingNow: g.waiting,
      };
    })
    .sort((a, b) => (a.key ?? '').localeCompare(b.key ?? '') || order.get(a.stage)! - order.get(b.stage)!);
}

interface Bucket {
  bucket: number;
  orders: number;
  seconds: number;
  squares: number;
}

/**
 * Percentiles from bucket counts, as percentile_cont interpolates between neighbouring values: a
 * bucket's values are placed evenly around their mean, as far apart as their spread says (the
 * width of a uniform spread with their standard deviation, kept inside the bucket), so equal values
 * come out exact, a bucket of one order too, and any percentile is within one bucket's width (5 %)
 * of the exact one. The mean is exact.
 */
export function histogram(buckets: readonly Bucket[]) {
  const sorted = [...buckets].filter((b) => b.orders > 0).sort((a, b) => a.bucket - b.bucket);
  const orders = sorted.reduce((n, b) => n + b.orders, 0);
  const seconds = sorted.reduce((n, b) => n + b.seconds, 0);
  const valueAt = (rank: number): number => {
    let before = 0;
    for (const b of sorted) {
      if (rank < before + b.orders) {
        const mean = b.seconds / b.orders;
        const spread = Math.sqrt(Math.max(0, b.squares / b.orders - mean * mean) * 12);
        const width =
          b.bucket === 0
            ? spread
            : Math.min(
                spread,
                2 * (mean - BUCKET_RATIO ** (b.bucket - 1)),
                2 * (BUCKET_RATIO ** b.bucket - mean),
              );
        return mean + Math.max(0, width) * ((rank - before + 0.5) / b.orders - 0.5);
      }
      before += b.orders;
    }
    return 0;
  };
  return {
    orders,
    mean: orders > 0 ? seconds / orders : null,
    percentile(p: number): number | null {
      if (orders === 0) return null;
      const pos = p * (orders - 1);
      const lo = valueAt(Math.floor(pos));
      return lo + (pos - Math.floor(pos)) * (valueAt(Math.ceil(pos)) - lo);
    },
  };
}

/** The filter's shops and platform on a rollup's rows (`alias`). */
function scopeOf(f: SalesFilter, alias: string) {
  const t = sql.raw(alias);
  return sql.join(
    [
      sql`true`,
      ...(f.shopIds ? [sql`${t}.shop_id = any(${[...f.shopIds]}::text[])`] : []),
      ...(f.platform ? [sql`${t}.platform = ${f.platform}`] : []),
    ],
    sql` and `,
  );
}

/**
 * A histogram's rows (alias h) of the filter: over all shops the all-shop rows (shop and platform
 * '', 0962), else the shops' rows (also when split by shop).
 */
function histogramScope(f: SalesFilter, byShop: boolean) {
  return !byShop && !f.shopIds && !f.platform
    ? sql`h.shop_id = '' and h.platform = ''`
    : sql`h.shop_id <> '' and ${scopeOf(f, 'h')}`;
}

/**
 * The period's runs of rollup units on a histogram (alias h): its whole months, whole weeks, then
 * each run of days left over (`coverPeriod`), one index-only scan each (an OR of them read the
 * table's pages).
 */
function coverRuns(f: SalesFilter) {
  const cover = coverPeriod(f.period);
  return [
    ...(cover.months.length > 0 ? [sql`h.grain = 'month' and h.starts = any(${cover.months}::date[])`] : []),
    ...(cover.weeks.length > 0 ? [sql`h.grain = 'week' and h.starts = any(${cover.weeks}::date[])`] : []),
    ...cover.days.map((d) => sql`h.grain = 'day' and h.starts between ${d.from}::date and ${d.to}::date`),
  ];
}

/**
 * The bucket counts of the measures over the period (per shop when `byShop`): over all shops from the
 * all-shop rows (shop and platform '', 0962), else from the shops' rows; one index-only scan per run
 * of months, weeks or days (an OR of them read the table's pages).
 */
async function histogramRows(
  db: Db,
  f: SalesFilter,
  measures: readonly string[],
  byShop: boolean,
): Promise<Array<Bucket & { measure: string; key: string | null }>> {
  const scope = histogramScope(f, byShop);
  const key = (alias: string) => (byShop ? sql.raw(`${alias}.shop_id`) : sql`null::text`);
  const units = coverRuns(f).map(
    (where) => sql`
      select h.measure, ${key('h')} as key, h.bucket, h.orders, h.seconds, h.squares
      from stage_duration_hist h
      where ${where} and h.measure = any(${[...measures]}::text[]) and ${scope}`,
  );
  // The durations not folded yet are read beside the histograms, in the same statement: one
  // snapshot, so a fold committing meanwhile is seen whole or not at all.
  const rows = await sql<Bucket & { measure: string; key: string | null }>`
    select x.measure, x.key, x.bucket, sum(x.orders)::int as orders, sum(x.seconds)::float8 as seconds,
      sum(x.squares)::float8 as squares
    from (
      ${sql.join(units, sql` union all `)}
      union all
      select u.measure, ${key('u')}, ${bucketOf(sql`u.secs`)}, 1, u.secs, u.secs * u.secs
      from stage_durations_unfolded u
      where u.day between ${f.period.from}::date and ${f.period.to}::date
        and u.measure = any(${[...measures]}::text[]) and ${scopeOf(f, 'u')}
    ) x
    group by 1, 2, 3`.execute(db);
  return rows.rows;
}

/** As the partial index orders_open (0957) says it, so the planner reads the open orders from it. */
const OPEN_EXCLUDES = sql.raw(
  [...TERMINAL_STATUSES]
    .sort()
    .map((s) => `'${s}'`)
    .join(', '),
);

/** Orders of the period that reached a stage and did not leave it, among the orders still open. */
async function waitingNow(db: Db, f: SalesFilter, byShop: boolean) {
  const waits = sql.join(
    STAGES.map((s) => sql`(${s.stage}, t.${sql.ref(s.from)} is not null and t.${sql.ref(s.to)} is null)`),
  );
  const rows = await sql<{ stage: Stage; key: string | null; waiting: number }>`
    select v.stage, ${byShop ? sql`t.shop_id` : sql`null::text`} as key, count(*)::int as waiting
    from orders o join order_stage_times t on t.order_id = o.id
    cross join lateral (values ${waits}) as v(stage, waiting)
    where o.status not in (${OPEN_EXCLUDES}) and ${salesWhere(f, 't')} and v.waiting
    group by 1, 2`.execute(db);
  return rows.rows;
}

/** Exact percentiles from the stage times of every order of the period (splits by warehouse, carrier, day). */
export async function stageDurationsExact(
  db: Db,
  f: SalesFilter,
  by?: EfficiencyDimension,
): Promise<StageDurations[]> {
  const key = by ? sql.raw(DIMENSION_COLUMN[by]) : sql`null::text`;
  const rows = await sql<{
    stage: Stage;
    key: string | null;
    orders: number;
    p50: number | null;
    p90: number | null;
    p99: number | null;
    avg: number | null;
    waiting: number;
  }>`
    select v.stage, ${key} as key,
      count(v.secs)::int as orders,
      percentile_cont(0.5) within group (order by v.secs) as p50,
      percentile_cont(0.9) within group (order by v.secs) as p90,
      percentile_cont(0.99) within group (order by v.secs) as p99,
      avg(v.secs) as avg,
      count(*) filter (where v.waiting and o.status not in ('completed', 'cancelled'))::int as waiting
    from order_stage_times t
    join orders o on o.id = t.order_id
    cross join lateral (values ${durations}) as v(stage, secs, waiting)
    where ${salesWhere(f, 't')} and (v.secs is not null or v.waiting)
    group by 1, 2`.execute(db);
  const order = new Map<string, number>(STAGES.map((s, i) => [s.stage, i]));
  return rows.rows
    .map((r) => ({
      stage: r.stage,
      key: r.key,
      orders: r.orders,
      p50Seconds: Math.round(r.p50 ?? 0),
      p90Seconds: Math.round(r.p90 ?? 0),
      p99Seconds: Math.round(r.p99 ?? 0),
      avgSeconds: Math.round(r.avg ?? 0),
      waitingNow: r.waiting,
    }))
    .sort((a, b) => (a.key ?? '').localeCompare(b.key ?? '') || order.get(a.stage)! - order.get(b.stage)!);
}

/**
 * Of the orders paid in the period, the share handed over within 24 and 48 hours of payment, and the
 * median pay → handover time, from the histograms.
 */
export async function shipRates(db: Db, f: SalesFilter) {
  const rows = await histogramRows(db, f, ['paid', 'shipped_24h', 'shipped_48h', 'pay_to_ship'], false);
  const count = (measure: string) =>
    rows.filter((r) => r.measure === measure).reduce((n, r) => n + r.orders, 0);
  const paid = count('paid');
  const in24 = count('shipped_24h');
  const in48 = count('shipped_48h');
  const p50 = histogram(rows.filter((r) => r.measure === 'pay_to_ship')).percentile(0.5);
  const share = (x: number) => (paid > 0 ? Math.round((x / paid) * 10_000) / 10_000 : null);
  return {
    paidOrders: paid,
    shippedWithin24h: in24,
    shippedWithin48h: in48,
    rate24h: share(in24),
    rate48h: share(in48),
    payToShipP50Seconds: p50 === null ? null : Math.round(p50),
  };
}

/**
 * Holds of the period's orders by reason: how many, how long they waited for a person (p50/p90), how
 * many still wait. Cleared holds from the hold-wait histograms (0967: the period's whole months,
 * whole weeks, then days, and the waits not folded yet), open ones read live by their order's paid
 * day (they wait until now), all in one statement (one snapshot, as the stage histograms are read).
 * Counts exact; a percentile within one bucket (5 %) of the exact one, equal waits exact.
 */
export async function holdWaits(db: Db, f: SalesFilter) {
  const scope = histogramScope(f, false);
  const units = coverRuns(f).map(
    (where) => sql`
      select h.reason, h.bucket, h.holds, h.seconds, h.squares, 0 as open
      from hold_wait_hist h where ${where} and ${scope}`,
  );
  const wait = sql`extract(epoch from now() - o.opened_at)::float8`;
  const rows = await sql<Bucket & { reason: string; open: number }>`
    select x.reason, x.bucket, sum(x.holds)::int as orders, sum(x.seconds)::float8 as seconds,
      sum(x.squares)::float8 as squares, sum(x.open)::int as open
    from (
      ${sql.join(units, sql` union all `)}
      union all
      select u.reason, ${bucketOf(sql`u.secs`)}, u.sign, u.sign * u.secs, u.sign * u.secs * u.secs, 0
      from hold_waits_unfolded u
      where u.day between ${f.period.from}::date and ${f.period.to}::date and ${scopeOf(f, 'u')}
      union all
      select o.reason, ${bucketOf(wait)}, 1, ${wait}, ${wait} * ${wait}, 1
      from order_holds o
      where o.paid_day between ${f.period.from}::date and ${f.period.to}::date and o.cleared_at is null
        and ${scopeOf(f, 'o')}
    ) x
    group by 1, 2`.execute(db);
  const reasons = new Map<string, { buckets: Bucket[]; open: number }>();
  for (const r of rows.rows) {
    const g = reasons.get(r.reason) ?? { buckets: [], open: 0 };
    g.buckets.push(r);
    g.open += r.open;
    reasons.set(r.reason, g);
  }
  return [...reasons]
    .map(([reason, g]) => {
      const w = histogram(g.buckets);
      return {
        reason,
        holds: w.orders,
        open: g.open,
        p50Seconds: Math.round(w.percentile(0.5) ?? 0),
        p90Seconds: Math.round(w.percentile(0.9) ?? 0),
      };
    })
    .filter((x) => x.holds > 0)
    .sort((a, b) => b.holds - a.holds || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** The stage whose p90 is longest: where orders wait most. */
export function bottleneck(stages: StageDurations[], previous: StageDurations[]) {
  const slowest = [...stages].filter((s) => s.orders > 0).sort((a, b) => b.p90Seconds - a.p90Seconds)[0];
  if (!slowest) return null;
  const before = previous.find((p) => p.stage === slowest.stage && p.orders > 0);
  return {
    stage: slowest.stage,
    p90Seconds: slowest.p90Seconds,
    previousP90Seconds: before?.p90Seconds ?? null,
    trend:
      before === undefined
        ? 'new'
        : slowest.p90Seconds > before.p90Seconds
          ? 'slower'
          : slowest.p90Seconds < before.p90Seconds
            ? 'faster'
            : 'same',
  } as const;
}

export interface CarrierTimeliness {
  carrier: string;
  /** The receiver's province (an edited receiver's if edited); null when the order has none recorded. */
  province: string | null;
  /** Orders handed to this carrier (with their first parcel) for this province. */
  orders: number;
  delivered: number;
  handoverToScanP50Seconds: number | null;
  handoverToScanP90Seconds: number | null;
  scanToDeliveredP50Seconds: number | null;
  scanToDeliveredP90Seconds: number | null;
  handoverToDeliveredP50Seconds: number | null;
  handoverToDeliveredP90Seconds: number | null;
}

/**
 * Carrier timeliness by destination province over the orders paid in the period that were handed
 * over: handover → first carrier scan → delivered, p50/p90 per carrier × province. Over all shops,
 * from the carrier histograms (the period's whole months, whole weeks, then days, and the durations
 * not folded yet); for some shops or a platform, exact from the stage times (those histograms have
 * no shop: 0959_carrier_timeliness_hist).
 */
export async function carrierTimeliness(db: Db, f: SalesFilter): Promise<CarrierTimeliness[]> {
  if (f.shopIds || f.platform) return carrierTimelinessExact(db, f);
  const cover = coverPeriod(f.period);
  // One index-only scan per run of months, weeks or days (an OR of them would read the table).
  const units = [
    sql`h.grain = 'month' and h.starts = any(${cover.months}::date[])`,
    sql`h.grain = 'week' and h.starts = any(${cover.weeks}::date[])`,
    ...cover.days.map((d) => sql`h.grain = 'day' and h.starts between ${d.from}::date and ${d.to}::date`),
  ].map(
    (where) => sql`
      select h.carrier, h.province, h.measure, h.bucket, h.orders, h.seconds, h.squares
      from carrier_duration_hist h where ${where}`,
  );
  const rows = await sql<Bucket & { carrier: string; province: string; measure: string }>`
    select x.carrier, x.province, x.measure, x.bucket, sum(x.orders)::int as orders,
      sum(x.seconds)::float8 as seconds, sum(x.squares)::float8 as squares
    from (
      ${sql.join(units, sql` union all `)}
      union all
      select u.carrier, coalesce(u.province, ''), u.measure, ${bucketOf(sql`u.secs`)}, 1, u.secs, u.secs * u.secs
      from stage_durations_unfolded u
      where u.day between ${f.period.from}::date and ${f.period.to}::date
        and u.carrier is not null and u.measure = any(${CARRIER_MEASURES}::text[])
    ) x
    group by 1, 2, 3, 4`.execute(db);
  const groups = new Map<string, { carrier: string; province: string; byMeasure: Map<string, Bucket[]> }>();
  for (const r of rows.rows) {
    const id = `${r.carrier}\u0000${r.province}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { carrier: r.carrier, province: r.province, byMeasure: new Map() }));
    const list = g.byMeasure.get(r.measure) ?? [];
    list.push(r);
    g.byMeasure.set(r.measure, list);
  }
  const secs = (v: number | null) => (v === null ? null : Math.round(v));
  return [...groups.values()]
    .map((g) => {
      const of = (measure: string) => histogram(g.byMeasure.get(measure) ?? []);
      const [scan, delivery, whole] = [of('carrier_pickup'), of('delivery'), of('ship_to_delivery')];
      return {
        carrier: g.carrier,
        province: g.province === '' ? null : g.province,
        orders: of('handed').orders,
        delivered: of('delivered').orders,
        handoverToScanP50Seconds: secs(scan.percentile(0.5)),
        handoverToScanP90Seconds: secs(scan.percentile(0.9)),
        scanToDeliveredP50Seconds: secs(delivery.percentile(0.5)),
        scanToDeliveredP90Seconds: secs(delivery.percentile(0.9)),
        handoverToDeliveredP50Seconds: secs(whole.percentile(0.5)),
        handoverToDeliveredP90Seconds: secs(whole.percentile(0.9)),
      };
    })
    .filter((c) => c.orders > 0)
    .sort(
      (a, b) =>
        (a.carrier < b.carrier ? -1 : a.carrier > b.carrier ? 1 : 0) ||
        (a.province === b.province
          ? 0
          : a.province === null
            ? 1
            : b.province === null
              ? -1
              : a.province < b.province
                ? -1
                : 1),
    );
}

/**
 * Carrier timeliness computed exactly from the stage times of every handed-over order of the period
 * (the histograms' reference), the province the one recorded at handover (0962): an index-only scan
 * of the handed-over orders by shop and day.
 */
export async function carrierTimelinessExact(db: Db, f: SalesFilter): Promise<CarrierTimeliness[]> {
  const pct = (p: number, from: string, to: string) =>
    sql`percentile_cont(${p}::float8) within group (order by extract(epoch from t.${sql.ref(to)} - t.${sql.ref(from)}))`;
  const rows = await sql<{
    carrier: string;
    province: string | null;
    orders: number;
    delivered: number;
    [k: string]: number | string | null;
  }>`
    select t.carrier, t.province,
      count(*)::int as orders, count(t.delivered_at)::int as delivered,
      ${pct(0.5, 'shipped_at', 'first_scan_at')} as hs50, ${pct(0.9, 'shipped_at', 'first_scan_at')} as hs90,
      ${pct(0.5, 'first_scan_at', 'delivered_at')} as sd50, ${pct(0.9, 'first_scan_at', 'delivered_at')} as sd90,
      ${pct(0.5, 'shipped_at', 'delivered_at')} as hd50, ${pct(0.9, 'shipped_at', 'delivered_at')} as hd90
    from order_stage_times t
    where ${salesWhere(f, 't')} and t.shipped_at is not null and t.carrier is not null
      ${
        // The platform's shops named, so the handed-over orders are read by shop and day (0962).
        f.platform && !f.shopIds
          ? sql`and t.shop_id = any(array(select id from shops where platform = ${f.platform}))`
          : sql``
      }
    group by 1, 2
    order by 1, 2 nulls last`.execute(db);
  const secs = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return rows.rows.map((r) => ({
    carrier: r.carrier,
    province: r.province,
    orders: r.orders,
    delivered: r.delivered,
    handoverToScanP50Seconds: secs(r.hs50),
    handoverToScanP90Seconds: secs(r.hs90),
    scanToDeliveredP50Seconds: secs(r.sd50),
    scanToDeliveredP90Seconds: secs(r.sd90),
    handoverToDeliveredP50Seconds: secs(r.hd50),
    handoverToDeliveredP90Seconds: secs(r.hd90),
  }));
}

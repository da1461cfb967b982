import { sql } from 'kysely';
import type { Db } from '../../connect.js';
import { salesWhere, type SalesFilter } from './sales.js';

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
 * warehouse, carrier or day, with how many of them wait in the stage now.
 */
export async function stageDurations(
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

/** Of the orders paid in the period, the share handed over within 24 and 48 hours of payment. */
export async function shipRates(db: Db, f: SalesFilter) {
  const r = await sql<{ paid: number; in24: number; in48: number; p50: number | null }>`
    select count(*)::int as paid,
      count(*) filter (where t.shipped_at <= t.paid_at + interval '24 hours')::int as in24,
      count(*) filter (where t.shipped_at <= t.paid_at + interval '48 hours')::int as in48,
      percentile_cont(0.5) within group (order by extract(epoch from t.shipped_at - t.paid_at)) as p50
    from order_stage_times t
    where ${salesWhere(f, 't')} and t.paid_at is not null`.execute(db);
  const row = r.rows[0]!;
  const share = (x: number) => (row.paid > 0 ? Math.round((x / row.paid) * 10_000) / 10_000 : null);
  return {
    paidOrders: row.paid,
    shippedWithin24h: row.in24,
    shippedWithin48h: row.in48,
    rate24h: share(row.in24),
    rate48h: share(row.in48),
    payToShipP50Seconds: row.p50 === null ? null : Math.round(row.p50),
  };
}

/** Holds of the period's orders by reason: how many, how long they waited for a person, how many still wait. */
export async function holdWaits(db: Db, f: SalesFilter) {
  const r = await sql<{ reason: string; holds: number; open: number; p50: number; p90: number }>`
    select h.reason, count(*)::int as holds,
      count(*) filter (where h.cleared_at is null)::int as open,
      percentile_cont(0.5) within group (order by extract(epoch from coalesce(h.cleared_at, now()) - h.opened_at)) as p50,
      percentile_cont(0.9) within group (order by extract(epoch from coalesce(h.cleared_at, now()) - h.opened_at)) as p90
    from order_holds h join order_stage_times t on t.order_id = h.order_id
    where ${salesWhere(f, 't')}
    group by h.reason order by holds desc, h.reason`.execute(db);
  return r.rows.map((x) => ({
    reason: x.reason,
    holds: x.holds,
    open: x.open,
    p50Seconds: Math.round(x.p50),
    p90Seconds: Math.round(x.p90),
  }));
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
 * over: handover → first carrier scan → delivered, p50/p90 per carrier × province.
 */
export async function carrierTimeliness(db: Db, f: SalesFilter): Promise<CarrierTimeliness[]> {
  const pct = (p: number, from: string, to: string) =>
    sql`percentile_cont(${p}::float8) within group (order by extract(epoch from t.${sql.ref(to)} - t.${sql.ref(from)}))`;
  const rows = await sql<{
    carrier: string;
    province: string | null;
    orders: number;
    delivered: number;
    [k: string]: number | string | null;
  }>`
    select t.carrier, coalesce(o.effective_province, o.receiver_province) as province,
      count(*)::int as orders, count(t.delivered_at)::int as delivered,
      ${pct(0.5, 'shipped_at', 'first_scan_at')} as hs50, ${pct(0.9, 'shipped_at', 'first_scan_at')} as hs90,
      ${pct(0.5, 'first_scan_at', 'delivered_at')} as sd50, ${pct(0.9, 'first_scan_at', 'delivered_at')} as sd90,
      ${pct(0.5, 'shipped_at', 'delivered_at')} as hd50, ${pct(0.9, 'shipped_at', 'delivered_at')} as hd90
    from order_stage_times t
    join orders o on o.id = t.order_id
    where ${salesWhere(f, 't')} and t.shipped_at is not null and t.carrier is not null
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

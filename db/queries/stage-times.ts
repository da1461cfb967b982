import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { REPORT_TIME_ZONE, type FactSourceEvent } from './sales-facts.js';
import { addToHistograms, measuresOf } from './stage-histograms.js';

/** The timeline stage that marks each processing stage's start (its first event wins). */
const STAGE_COLUMNS: Record<string, string> = {
  payment_confirmed: 'paid_at',
  audit_passed: 'audited_at',
  stock_reserved: 'allocated_at',
  parcel_assigned: 'waved_at',
  picked: 'picked_at',
  packed: 'packed_at',
  shipped: 'shipped_at',
  in_transit: 'first_scan_at',
  out_for_delivery: 'first_scan_at',
};

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Sets, once, when the order reached the stage this timeline event starts; the warehouse and carrier
 * come from the allocation, wave and handover events. The durations it completes (known once the
 * order is paid and both ends of a stage are set) are added to the daily, weekly and monthly histograms.
 * Runs in the event's transaction.
 */
export async function recordStageTime(trx: Transaction<Database>, event: FactSourceEvent): Promise<void> {
  const delivered = event.stage === 'completed' && event.detail.outcome === 'delivered';
  const column = delivered ? 'delivered_at' : STAGE_COLUMNS[event.stage];
  if (!column) return;
  const warehouses = event.detail.warehouses;
  const warehouse = text(event.detail.warehouse) ?? (Array.isArray(warehouses) ? text(warehouses[0]) : null);
  const carrier = event.stage === 'shipped' ? text(event.detail.carrier) : null;
  const col = sql.ref(column);
  // Paid orders are dated by the platform's payment time, as the sales facts are.
  const at =
    column === 'paid_at'
      ? sql`coalesce((select paid_at from orders where id = ${event.orderId}), ${event.at}::timestamptz)`
      : sql`${event.at}::timestamptz`;
  const measured = (known: readonly string[]) => sql`
    select t.day, t.shop_id, t.platform, v.measure, v.secs
    from order_stage_times t cross join lateral (values ${measuresOf('t')}) as v(measure, secs)
    where t.order_id = ${event.orderId} and t.day is not null and v.secs is not null
      and not (v.measure = any(${known}::text[]))`;
  const before = await sql<{ measure: string }>`select measure from (${measured([])}) x`.execute(trx);
  await sql`
    insert into order_stage_times as t (order_id, platform, shop_id, warehouse, carrier, day, ${col})
    select o.id, o.platform, o.shop_id, ${warehouse}, ${carrier},
      case when ${column} = 'paid_at' then ((${at}) at time zone ${REPORT_TIME_ZONE})::date end, ${at}
    from orders o where o.id = ${event.orderId}
    on conflict (order_id) do update set
      ${col} = coalesce(t.${col}, excluded.${col}),
      day = coalesce(t.day, excluded.day),
      warehouse = coalesce(t.warehouse, excluded.warehouse),
      carrier = coalesce(t.carrier, excluded.carrier)`.execute(trx);
  // The durations this event made known go into the histograms, once each.
  await addToHistograms(trx, measured(before.rows.map((r) => r.measure)));
}

import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { REPORT_TIME_ZONE, type FactSourceEvent } from './sales-facts.js';
import { CARRIER_ONLY_MEASURES, measuresOf } from './stage-histograms.js';

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
 * come from the allocation, wave and handover events. The durations it makes known (once the order
 * is paid and both ends of a stage are set) are appended to `stage_durations_unfolded` with the
 * order's carrier and destination province, in the same statement; a scheduled fold adds them to the
 * stage and carrier histograms (db/queries/stage-histograms.ts). Runs in the event's transaction.
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
  // A stage's time is set once (its first event wins), so what this event makes known are the
  // measures computed from its column, and only if the column was not set before (every measure
  // when it dates the order, paid_at). `before` is the row as the statement found it (an order's
  // events are written one after another: each transaction updates the order's row first).
  await sql`
    with before as (
      select ${col} as was from order_stage_times where order_id = ${event.orderId}
    ), t as (
      insert into order_stage_times as t (order_id, platform, shop_id, warehouse, carrier, day, ${col}, province)
      select o.id, o.platform, o.shop_id, ${warehouse}, ${carrier},
        case when ${column} = 'paid_at' then ((${at}) at time zone ${REPORT_TIME_ZONE})::date end, ${at},
        case when ${column} = 'shipped_at' then coalesce(o.effective_province, o.receiver_province) end
      from orders o where o.id = ${event.orderId}
      on conflict (order_id) do update set
        ${col} = coalesce(t.${col}, excluded.${col}),
        day = coalesce(t.day, excluded.day),
        warehouse = coalesce(t.warehouse, excluded.warehouse),
        carrier = coalesce(t.carrier, excluded.carrier),
        province = case when t.shipped_at is null then excluded.province else t.province end
      returning t.*
    )
    insert into stage_durations_unfolded (day, shop_id, platform, carrier, province, measure, secs)
    select t.day, t.shop_id, t.platform, t.carrier, coalesce(o.effective_province, o.receiver_province),
      v.measure, v.secs
    from t join orders o on o.id = t.order_id
    cross join lateral (values ${measuresOf('t', column)}) as v(measure, secs)
    where t.day is not null and v.secs is not null
      and (t.carrier is not null or v.measure <> all(${CARRIER_ONLY_MEASURES}::text[]))
      and not exists (select 1 from before where before.was is not null)`.execute(trx);
  // Holds raised before the payment was recorded learn the order's paid day (0962).
  if (column === 'paid_at')
    await sql`
      update order_holds h set paid_day = t.day
      from order_stage_times t
      where h.order_id = ${event.orderId} and t.order_id = h.order_id and h.paid_day is null and t.day is not null`.execute(
      trx,
    );
}

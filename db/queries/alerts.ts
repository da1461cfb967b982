import { sql } from 'kysely';
import type { Db } from '../connect.js';

/**
 * Alerts for ops: something needs a person (a shop's sync failing, a token rejected, orders
 * waiting for an exchange rate). One open alert per shop and kind; a repeat bumps it. An alert about
 * one thing of the shop names it as its `subject` (a return parcel's case): one open alert per shop,
 * kind and subject.
 */
export const ALERT_KINDS = [
  /** A platform kept failing (5xx, timeouts, rate limits) past the retry budget. */
  'sync_failing',
  /** The platform refused the shop's credentials: sync paused until they are fixed. */
  'auth_failed',
  /** The platform refused our request itself: sync paused until someone looks. */
  'sync_rejected',
  /** Orders in a currency with no exchange rate: parked until a rate is recorded. */
  'fx_rate_missing',
  /** Parcels of the shop need a person: no scan, refused, returned, address problem, no carrier. */
  'shipment_exception',
  /** The shop's message channel (Taobao TMC, PDD PMC) keeps failing: changes arrive by polling only. */
  'channel_failing',
  /** Units missing or damaged at picking: written off, replenishment requested, bins to count. */
  'pick_exception',
  /** An external WMS reported something the order system could not accept (see the message). */
  'wms_report_rejected',
  /** A marketplace order unpaid past the shop's reminder time (the platform closes it, not us). */
  'unpaid_overdue',
  /** The platform reports an order paid that the ERP had ended: ship it by hand or refund. */
  'paid_after_close',
  /** A platform refused a stock upload (item delisted, SKU unknown): the listing waits for a person. */
  'stock_sync_refused',
  /** Stock uploads to the shop's platform keep failing (outage, credentials): quantities are stale. */
  'stock_sync_failing',
  /** An order was shipped from the platform's back office while it waited here: stopped, see the message. */
  'shipped_on_platform',
  /** The buyer changed the delivery address after the parcel left: redirect it with the carrier. */
  'address_changed_after_handover',
  /** A waybill account's balance is at or below its threshold: top it up before orders fail. */
  'waybill_balance_low',
  /** A waybill account was refused (balance spent, authorisation expired, not subscribed): other accounts issue meanwhile. */
  'waybill_account_failing',
  /** An after-sales case nears the platform's seller deadline with no decision (the platform would decide for the buyer). */
  'after_sale_deadline',
  /** A parcel was lost (the carrier said so, or it went silent): reship or refund it on the order. */
  'parcel_lost',
  /** A person chose to refund a lost parcel's lines: refund them on the platform (or the store). */
  'lost_parcel_refund',
  /** An after-sales return parcel with no new scan for RETURN_NO_SCAN_SECONDS: ask the carrier or the buyer. */
  'return_parcel_stalled',
  /** A return parcel reported delivered RETURN_UNRECEIVED_SECONDS ago and not received at the warehouse: find it. */
  'return_not_received',
  /**
   * A return parcel no tracking service follows (Shopee's own logistics, a carrier we have no code
   * for) not at the warehouse RETURN_UNTRACKED_SECONDS after the buyer sent it: one reminder.
   */
  'return_parcel_overdue',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export async function raiseAlert(
  db: Db,
  input: { shopId: string | null; kind: AlertKind; message: string; subject?: string; at?: Date },
): Promise<void> {
  const at = input.at ?? new Date();
  await sql`
    insert into alerts (shop_id, kind, subject, message, first_seen, last_seen)
    values (${input.shopId}, ${input.kind}, ${input.subject ?? null}, ${input.message}, ${at}, ${at})
    on conflict ((coalesce(shop_id, '')), kind, (coalesce(subject, ''))) where resolved_at is null
    do update set message = excluded.message, last_seen = excluded.last_seen,
                  occurrences = alerts.occurrences + 1
  `.execute(db);
}

/** Resolves the open alerts of these kinds about one subject (a case whose parcel moved or came back). */
export async function resolveSubjectAlerts(
  db: Db,
  input: { subject: string; kinds: readonly AlertKind[]; at?: Date },
): Promise<number> {
  if (input.kinds.length === 0) return 0;
  const result = await db
    .updateTable('alerts')
    .set({ resolved_at: input.at ?? new Date() })
    .where('resolved_at', 'is', null)
    .where('subject', '=', input.subject)
    .where('kind', 'in', [...input.kinds])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Resolves the shop's open alerts of these kinds; returns how many were open. */
export async function resolveAlerts(
  db: Db,
  input: { shopId: string | null; kinds: readonly AlertKind[]; at?: Date },
): Promise<number> {
  if (input.kinds.length === 0) return 0;
  let query = db
    .updateTable('alerts')
    .set({ resolved_at: input.at ?? new Date() })
    .where('resolved_at', 'is', null)
    .where('kind', 'in', [...input.kinds]);
  query =
    input.shopId === null ? query.where('shop_id', 'is', null) : query.where('shop_id', '=', input.shopId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface AlertFilter {
  shopId?: string;
  /** Only these shops' rows (a user limited to shops); an empty list matches none. */
  shopIds?: readonly string[];
  kind?: string;
  /** Open only (default), or every alert. */
  includeResolved?: boolean;
  /**
   * One row per shop and kind for alerts about one thing each (their subject): the newest stands for
   * them, with how many there are (`group_size`) and since when (`first_seen` of the oldest). Alerts
   * without a subject are one open per shop and kind already.
   */
  grouped?: boolean;
  limit: number;
}

export interface AlertRow {
  id: number | string;
  shop_id: string | null;
  kind: string;
  subject: string | null;
  message: string;
  occurrences: number;
  first_seen: Date;
  last_seen: Date;
  resolved_at: Date | null;
  /** How many alerts the row stands for (1 unless grouped). */
  group_size: number;
}

export async function listAlerts(db: Db, filter: AlertFilter): Promise<AlertRow[]> {
  if (filter.grouped) return listGroupedAlerts(db, filter);
  let query = db
    .selectFrom('alerts')
    .selectAll()
    .orderBy('last_seen', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (!filter.includeResolved) query = query.where('resolved_at', 'is', null);
  if (filter.shopId) query = query.where('shop_id', '=', filter.shopId);
  if (filter.shopIds) query = query.where(sql<boolean>`shop_id = any(${[...filter.shopIds]}::text[])`);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return (await query.execute()).map((row) => ({ ...row, group_size: 1 }));
}

/**
 * Many return parcels of one shop stalled at once (a carrier's depot closed) are as many alerts,
 * one per case; listed one by one they would push the shop's other alerts off the list. Grouped,
 * they are one row per shop, kind and state (open or resolved), the newest's message and subject
 * with the group's size; the group's members are `listAlerts` with its shop and kind.
 */
async function listGroupedAlerts(db: Db, filter: AlertFilter): Promise<AlertRow[]> {
  const shops = filter.shopIds ? [...filter.shopIds] : null;
  const { rows } = await sql<AlertRow>`
    with chosen as (
      select a.*,
             case when subject is null then id::text else '' end as member_of,
             resolved_at is null as open
      from alerts a
      where (${filter.includeResolved ?? false}::boolean or resolved_at is null)
        and (${filter.shopId ?? null}::text is null or shop_id = ${filter.shopId ?? null})
        and (${shops}::text[] is null or shop_id = any(${shops}::text[]))
        and (${filter.kind ?? null}::text is null or kind = ${filter.kind ?? null})
    ),
    counted as (
      select c.*,
             count(*) over w as group_size,
             sum(occurrences) over w as group_occurrences,
             min(first_seen) over w as group_first_seen,
             row_number() over (partition by coalesce(shop_id, ''), kind, open, member_of
                                order by last_seen desc, id desc) as place
      from chosen c
      window w as (partition by coalesce(shop_id, ''), kind, open, member_of)
    )
    select id, shop_id, kind, subject, message, group_occurrences::int as occurrences,
           group_first_seen as first_seen, last_seen, resolved_at, group_size::int as group_size
    from counted
    where place = 1
    order by last_seen desc, id desc
    limit ${filter.limit}
  `.execute(db);
  return rows;
}

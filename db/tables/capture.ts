import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from './columns.js';

/** Order capture: exchange rates, webhook delivery ids, alerts and parked orders (0200_capture). */

export interface ExchangeRatesTable {
  id: Generated<number>;
  currency: string;
  /** numeric: select it as text (`rate::text`) to keep every digit. */
  rate: ColumnType<number, string, string>;
  valid_from: Timestamp;
  source: ColumnType<string, string | undefined, string>;
  created_by: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  shop_id: string;
  delivery_id: string;
  platform: string;
  received_at: CreatedAt;
}

export interface AlertsTable {
  id: Generated<number>;
  shop_id: string | null;
  kind: string;
  message: string;
  /** What the alert is about when not the shop as a whole (a return parcel's case id; 0736). */
  subject: ColumnType<string | null, string | null | undefined, string | null>;
  occurrences: ColumnType<number, number | undefined, number>;
  first_seen: ColumnType<Date, Date | string | undefined, Date | string>;
  last_seen: ColumnType<Date, Date | string | undefined, Date | string>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ParkedOrdersTable {
  shop_id: string;
  platform_order_id: string;
  reason: string;
  currency: string;
  modified_at: Timestamp;
  snapshot: JSONColumnType<Record<string, unknown>, string, string>;
  parked_at: CreatedAt;
}

/** Verified pushes waiting to be handed to Temporal (0900_webhook_inbox). */
export interface WebhookInboxTable {
  id: Generated<number>;
  event_id: string;
  shop_id: string;
  platform: string;
  payload: ColumnType<InboxPayload | null, string | null, string | null>;
  received_at: CreatedAt;
  attempts: ColumnType<number, number | undefined, number>;
  not_before: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  forwarded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** What one push asks of Temporal: order snapshots to submit, order ids for the shop's sync to fetch. */
export interface InboxPayload {
  /** Prepared (converted) orders with their receivers sealed. */
  orders: Record<string, unknown>[];
  fetches: Record<string, unknown>[];
}

export interface CaptureTables {
  exchange_rates: ExchangeRatesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  alerts: AlertsTable;
  parked_orders: ParkedOrdersTable;
  webhook_inbox: WebhookInboxTable;
}

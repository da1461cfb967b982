import type { ReportTables } from './tables/reports.js';
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { AuditTables } from './tables/audit.js';
import type { AuthTables } from './tables/auth.js';
import type { CatalogTables } from './tables/catalog.js';
import type { StockTables } from './tables/stock.js';
import type { StockSyncTables } from './tables/stock-sync.js';
import type { WmsTables } from './tables/wms.js';
import type { CarrierTables } from './tables/carriers.js';
import type { WaybillAccountTables } from './tables/waybill-accounts.js';
import type { CaptureTables } from './tables/capture.js';
import type { FulfilmentTables } from './tables/fulfilment.js';
import type { ChannelTables } from './tables/channels.js';
import type { AfterSaleRuleTables } from './tables/after-sale-rules.js';
import type { RemarkTables } from './tables/remarks.js';
import type { AfterSaleTables } from './tables/after-sales.js';
import type { HumanActionTables } from './tables/human-actions.js';
import type { CreatedAt, Timestamp } from './tables/columns.js';

export interface ShopsTable {
  id: string;
  platform: string;
  name: string;
  settings: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The shop's own id on its platform (Taobao seller nick, PDD mall id, Shopee shop_id, …). */
  platform_shop_id: ColumnType<string, string | undefined, string>;
  /** The platform endpoint: the real one, or a sandbox simulator. */
  base_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** AES-256-GCM ciphertext of the shop's credentials (services/capture/credentials.ts). */
  credentials_encrypted: ColumnType<string | null, string | null | undefined, string | null>;
  poll_interval_seconds: ColumnType<number, number | undefined, number>;
  sync_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  sync_cursor: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_synced_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sync_error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SkusTable {
  code: string;
  name: string;
  weight_g: number;
  length_mm: number;
  width_mm: number;
  height_mm: number;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

export interface OrdersTable {
  id: string;
  platform: string;
  shop_id: string;
  platform_order_id: string;
  status: string;
  platform_status: string;
  refund_status: string;
  order_type: string;
  buyer_id: string;
  buyer_nick: string | null;
  receiver: JSONColumnType<Record<string, unknown>, string, string>;
  currency: string;
  goods_fen: number;
  discount_fen: number;
  shipping_fen: number;
  tax_fen: Generated<number>;
  paid_fen: number;
  buyer_remark: string | null;
  seller_memo: string | null;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  locked: ColumnType<boolean, boolean | undefined, boolean>;
  route_group: string | null;
  priority: ColumnType<number, number | undefined, number>;
  held_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ship_by_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ship_by_at_risk: ColumnType<boolean, boolean | undefined, boolean>;
  internal_memo: string | null;
  carrier_preference: string | null;
  /** The receiver after reviewer edits; null when unedited. */
  effective_receiver: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  outcome: string | null;
  /** Lookup hash of the platform receiver's phone tail (db/crypto/receivers.ts); receivers are sealed. */
  receiver_phone_tail: ColumnType<string | null, string | null | undefined, string | null>;
  /** Lookup hash of the edited receiver's phone tail; null when unedited. */
  effective_phone_tail: ColumnType<string | null, string | null | undefined, string | null>;
  /** The platform receiver's province, in plain text for reports by destination (0952). */
  receiver_province: ColumnType<string | null, string | null | undefined, string | null>;
  /** The edited receiver's province; null when unedited. */
  effective_province: ColumnType<string | null, string | null | undefined, string | null>;
  platform_created_at: Timestamp;
  paid_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  platform_modified_at: Timestamp;
  captured_at: CreatedAt;
  updated_at: Timestamp;
  last_event_seq: ColumnType<number, number | undefined, number>;
  /** The history position of the event the workflow-owned columns show (domain/event-fence.ts). */
  last_event_run_started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_event_history_length: ColumnType<number, number | undefined, number>;
  /** Set for orders converted to CNY at intake: the currency the buyer paid in. */
  original_currency: ColumnType<string | null, string | null | undefined, string | null>;
  fx: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  instructions: ColumnType<string[], string[] | undefined, string[]>;
}

export interface OrderLinesTable {
  order_id: string;
  line_id: string;
  sku_code: string;
  platform_sku_id: string;
  title: string;
  quantity: number;
  unit_price_fen: number;
  discount_fen: number;
  tax_fen: Generated<number>;
  /** The line's own refund state; null: the order's `refund_status` is every line's. */
  refund_status: string | null;
}

export interface OrderEventsTable {
  id: Generated<number>;
  order_id: string;
  seq: number;
  stage: string;
  status: string;
  actor: string;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  at: Timestamp;
  /** Where in the workflow's history the event was emitted (domain/event-fence.ts). */
  fence_run_started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  fence_history_length: ColumnType<number, number | undefined, number>;
}

export interface OrderHoldsTable {
  order_id: string;
  hold_key: string;
  reason: string;
  stage: number;
  cleared_by_role: string;
  rule_id: string | null;
  message: string | null;
  detail: string;
  opened_at: Timestamp;
  escalated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cleared_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cleared_by: string | null;
  decision: string | null;
  note: string | null;
  /** The order's paid China day, shop and platform (0962), for the efficiency report's hold waits. */
  paid_day: ColumnType<Date | null, string | null | undefined, string | null>;
  shop_id: ColumnType<string | null, string | null | undefined, string | null>;
  platform: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CoreTables {
  shops: ShopsTable;
  skus: SkusTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_events: OrderEventsTable;
  order_holds: OrderHoldsTable;
}

/**
 * The whole schema. Each area declares its tables in `db/tables/<area>.ts` and is listed here,
 * so areas can grow without editing one another's declarations.
 */
export interface Database
  extends
    CoreTables,
    FulfilmentTables,
    CatalogTables,
    StockTables,
    StockSyncTables,
    WmsTables,
    AuditTables,
    AuthTables,
    CarrierTables,
    WaybillAccountTables,
    CaptureTables,
    ChannelTables,
    HumanActionTables,
    AfterSaleTables,
    ReportTables,
    AfterSaleRuleTables,
    RemarkTables {}

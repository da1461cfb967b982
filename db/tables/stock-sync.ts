import type { ColumnType, JSONColumnType } from 'kysely';
import type { CreatedAt } from './columns.js';

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeDate = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type MaybeInt = ColumnType<number | null, number | null | undefined, number | null>;
/** bigint sequence numbers: pg returns them as strings. */
type Seq = ColumnType<string, number | string | undefined, number | string>;

export interface StockSyncRulesTable {
  shop_id: string;
  /** '*' for the shop's default. */
  sku_code: string;
  warehouses: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  share_kind: string;
  share_percent: MaybeInt;
  fixed_qty: MaybeInt;
  safety_stock: ColumnType<number, number | undefined, number>;
  updated_at: UpdatedAt;
}

export interface StockListingsTable {
  shop_id: string;
  listing_key: string;
  sku_code: string;
  item_id: string | null;
  sku_id: string;
  extra: JSONColumnType<Record<string, string>, string | undefined, string>;
  dirty_seq: Seq;
  synced_seq: Seq;
  status: ColumnType<string, string | undefined, string>;
  computed_qty: MaybeInt;
  last_sent_qty: MaybeInt;
  last_sent_at: MaybeDate;
  platform_qty: MaybeInt;
  platform_read_at: MaybeDate;
  refusal: ColumnType<string | null, string | null | undefined, string | null>;
  refused_at: MaybeDate;
  calls: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StockSyncMarksTable {
  id: ColumnType<string, never, never>;
  shop_id: string;
  sku_code: string;
}

export interface StockSyncTables {
  stock_sync_rules: StockSyncRulesTable;
  stock_listings: StockListingsTable;
  stock_sync_marks: StockSyncMarksTable;
}

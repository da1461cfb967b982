import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, never>;
type Count = ColumnType<number, number | undefined, number>;
/** bigint columns (db/connect.ts reads them as numbers: fen amounts are safe integers). */
type Fen = ColumnType<number, number | undefined, number>;

/** One fact about an order's money or goods (0950_sales_facts); append-only. */
export interface SalesFactsTable {
  id: Generated<number>;
  fact_key: string;
  kind: 'placed' | 'paid' | 'refund' | 'cancelled' | 'shipped' | 'delivered';
  order_id: string;
  line_id: string | null;
  platform: string;
  shop_id: string;
  buyer_id: string;
  sku_code: string;
  quantity: number;
  amount_fen: Fen;
  currency: string;
  fx_rate: ColumnType<number | null, string | null | undefined, never>;
  source: string;
  at: Timestamp;
  /** A date column: read it as text (`day::text`); pg gives a Date at local midnight otherwise. */
  day: ColumnType<Date, string, never>;
  recorded_at: ColumnType<Date, never, never>;
}

/** The daily rollup by day × shop × platform × SKU ('' for order-level figures). */
export interface SalesDailyTable {
  /** A date column: read it as text (`day::text`); pg gives a Date at local midnight otherwise. */
  day: ColumnType<Date, string, never>;
  shop_id: string;
  platform: string;
  sku_code: string;
  placed_orders: Count;
  gmv_fen: Fen;
  paid_orders: Count;
  paid_fen: Fen;
  units: Count;
  refund_fen: Fen;
  refunded_units: Count;
  cancelled_orders: Count;
  shipped_orders: Count;
  delivered_orders: Count;
}

export interface ShopTrafficDailyTable {
  shop_id: string;
  day: string;
  visitors: number;
  page_views: number | null;
  source: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

type At = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** When one order reached each processing stage (0951_order_stage_times). */
export interface OrderStageTimesTable {
  order_id: string;
  platform: string;
  shop_id: string;
  warehouse: string | null;
  carrier: string | null;
  day: ColumnType<Date | null, string | null | undefined, string | null>;
  paid_at: At;
  audited_at: At;
  allocated_at: At;
  waved_at: At;
  picked_at: At;
  packed_at: At;
  shipped_at: At;
  first_scan_at: At;
  delivered_at: At;
}

export interface ReportTables {
  order_stage_times: OrderStageTimesTable;
  sales_facts: SalesFactsTable;
  sales_daily: SalesDailyTable;
  shop_traffic_daily: ShopTrafficDailyTable;
}

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

/** The order-level figures by day × shop × platform: `sales_daily` summed over SKUs (0954_sales_rollups). */
export type SalesDailyTotalsTable = Omit<SalesDailyTable, 'sku_code'>;

/** Who paid on which day in which shop (0954_sales_rollups): paying buyers counted distinct. */
export interface SalesBuyerDaysTable {
  day: ColumnType<Date, string, never>;
  shop_id: string;
  platform: string;
  buyer_id: string;
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
  /** The destination province when the order was handed over (0962), for carrier timeliness. */
  province: string | null;
}

/** One FP-growth run over a period's baskets (0953_basket_itemsets). */
export interface BasketItemsetRunsTable {
  id: string;
  params_key: string;
  params: ColumnType<ItemsetRunParams, string, string>;
  status: 'running' | 'done' | 'failed';
  baskets: number | null;
  items_total: number | null;
  items_mined: ColumnType<string[], string[] | undefined, string[]>;
  error: string | null;
  requested_by: string;
  started_at: ColumnType<Date, Date | string | undefined, never>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** What a run mines: the sales filter and FP-growth's thresholds. */
export interface ItemsetRunParams {
  from: string;
  to: string;
  shopIds: string[] | null;
  platform: string | null;
  minOrders: number;
  maxSize: number;
}

export interface BasketItemsetsTable {
  run_id: string;
  items: string[];
  orders: number;
}

export interface ReportTables {
  basket_itemset_runs: BasketItemsetRunsTable;
  basket_itemsets: BasketItemsetsTable;
  order_stage_times: OrderStageTimesTable;
  sales_facts: SalesFactsTable;
  sales_daily: SalesDailyTable;
  sales_daily_totals: SalesDailyTotalsTable;
  sales_buyer_days: SalesBuyerDaysTable;
  shop_traffic_daily: ShopTrafficDailyTable;
}

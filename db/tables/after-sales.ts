import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One after-sales case (0700_after_sales); `id` is its workflow id. */
export interface AfterSaleCasesTable {
  id: string;
  platform: string;
  shop_id: string;
  platform_case_id: string;
  order_id: string;
  kind: string;
  status: string;
  reason: ColumnType<string, string | undefined, string>;
  requested_fen: number;
  agreed_fen: number | null;
  refunded_fen: ColumnType<number, number | undefined, number>;
  payment_channel: string | null;
  out_trade_no: string | null;
  waiting_for: string | null;
  outcome: string | null;
  opened_at: Timestamp;
  updated_at: Timestamp;
  /** The platform's own status word for the case (0701). */
  platform_status: ColumnType<string | null, string | null | undefined, string | null>;
  seller_deadline: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  buyer_deadline: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the seller's deadline was escalated to a person. */
  escalated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The platform's modified time of the last snapshot the case took (1152). */
  platform_modified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AfterSaleCaseLinesTable {
  case_id: string;
  line_id: string;
  quantity: number;
  requested_fen: number;
  refunded_fen: ColumnType<number, number | undefined, number>;
  /** Exchanges: the SKU the replacement ships as, when not the one sold (migration 0732). */
  exchange_sku: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AfterSaleEventsTable {
  id: Generated<string>;
  case_id: string;
  /** The workflow step that wrote it: a retried activity writes the same step once. */
  step: string;
  stage: string;
  status: string;
  actor: string;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  at: Timestamp;
}

/** A refund sent through a payment channel; `refund_no` is the channel's idempotency key. */
export interface PaymentRefundsTable {
  refund_no: string;
  case_id: string;
  step: string;
  order_id: string;
  channel: string;
  out_trade_no: string;
  amount_fen: number;
  lines: JSONColumnType<Array<{ lineId: string; amountFen: number }>, string, string>;
  state: string;
  channel_refund_id: string | null;
  detail: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PaymentNoticesTable {
  channel: string;
  notice_id: string;
  refund_no: string;
  state: string;
  received_at: Timestamp;
}

/** The parcel a case's buyer sends back (0730_after_sale_returns). */
export interface AfterSaleReturnsTable {
  case_id: string;
  order_id: string;
  waybill_source: string | null;
  carrier_code: string | null;
  tracking_no: string | null;
  status: string;
  warehouse_code: string | null;
  created_at: Timestamp;
  received_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The return waybill we issued (0731): request id, issuer, sort codes, print data. */
  waybill: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** Where the return parcel last stood by tracking (a TrackingStatus), and when that was read. */
  tracking_status: ColumnType<string | null, string | null | undefined, string | null>;
  tracked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Each scan of a return parcel, pushed or polled, once (0735). */
export interface AfterSaleReturnScansTable {
  case_id: string;
  at: Timestamp;
  status: string;
  description: string;
  location: string | null;
  source: string | null;
  via: string;
}

export interface ReturnReceiptLine {
  lineId: string;
  qty: number;
  condition: 'resaleable' | 'damaged' | 'wrong_item';
  reason?: string;
}

export interface AfterSaleReturnReceiptsTable {
  case_id: string;
  idempotency_key: string;
  warehouse_code: string;
  scanned: string;
  lines: JSONColumnType<ReturnReceiptLine[], string, string>;
  actor: string;
  at: Timestamp;
}

export interface AfterSaleReturnLinesTable {
  case_id: string;
  line_id: string;
  sku_code: string;
  expected_qty: number;
  restocked_qty: ColumnType<number, number | undefined, number>;
  written_off_qty: ColumnType<number, number | undefined, number>;
  held_qty: ColumnType<number, number | undefined, number>;
  notes: string | null;
}

/** What the returns report last showed of an Amazon return, as told to its case (0733). */
export interface AmazonReturnReadsTable {
  case_id: string;
  shop_id: string;
  state: JSONColumnType<Record<string, unknown>, string, string>;
  told_at: Timestamp;
}

/** An Amazon refund sent as a payment adjustment feed, one per case (0734). */
export interface AmazonRefundFeedsTable {
  case_id: string;
  shop_id: string;
  asked_at: Timestamp;
  rows: JSONColumnType<Array<Record<string, unknown>>, string, string>;
  feed_document_id: string | null;
  feed_id: string | null;
  result: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  updated_at: Timestamp;
}

export interface AfterSaleTables {
  after_sale_returns: AfterSaleReturnsTable;
  after_sale_return_scans: AfterSaleReturnScansTable;
  after_sale_return_receipts: AfterSaleReturnReceiptsTable;
  after_sale_return_lines: AfterSaleReturnLinesTable;
  after_sale_cases: AfterSaleCasesTable;
  after_sale_case_lines: AfterSaleCaseLinesTable;
  after_sale_events: AfterSaleEventsTable;
  payment_refunds: PaymentRefundsTable;
  payment_notices: PaymentNoticesTable;
  amazon_return_reads: AmazonReturnReadsTable;
  amazon_refund_feeds: AmazonRefundFeedsTable;
}

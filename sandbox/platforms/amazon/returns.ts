import { gzipSync } from 'node:zlib';

/**
 * The simulated seller's returns, as Amazon's MFN returns report lists them (one row per order,
 * RMA and SKU). The header row uses the attribute names of Amazon's "Returns reports attributes"
 * page for `GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE`; whether the real file spells its header
 * so, and the words in its status and resolution columns, are not in the facts (the simulator's
 * assumption, kept configurable in the adapter).
 */
export interface SimAmazonReturn {
  orderId: string;
  orderDate: Date;
  returnRequestDate: Date;
  status: string;
  amazonRmaId: string;
  merchantRmaId?: string;
  labelType?: string;
  returnCarrier?: string;
  trackingId?: string;
  asin: string;
  merchantSku: string;
  itemName: string;
  quantity: number;
  reason: string;
  inPolicy?: 'Y' | 'N';
  returnType?: string;
  resolution?: string;
  currencyCode: string;
  orderAmount: string;
  orderQuantity: number;
  /** When the return parcel reached the seller (the report's Return delivery date). */
  returnDeliveryDate?: Date;
  /** What the seller refunded, in `currencyCode` ("19.99"), once refunded. */
  refundedAmount?: string;
}

export const SIM_RETURNS_REPORT_HEADER = [
  'Order ID',
  'Order date',
  'Return request date',
  'Return request status',
  'Amazon RMA ID',
  'Merchant RMA ID',
  'Label type',
  'Label cost',
  'Currency code',
  'Return carrier',
  'Tracking ID',
  'Label to be paid by',
  'A-to-Z Claim',
  'Is prime',
  'ASIN',
  'Merchant SKU',
  'Item Name',
  'Return quantity',
  'Return Reason',
  'In policy',
  'Return type',
  'Resolution',
  'Invoice number',
  'Return delivery date',
  'Order Amount',
  'Order quantity',
  'SafeT Action reason',
  'SafeT claim id',
  'SafeT claim state',
  'SafeT claim creation time',
  'SafeT claim reimbursement amount',
  'Refunded Amount',
] as const;

/** The returns of each selling partner the simulator knows. */
export class SimAmazonReturnBook {
  private readonly bySeller = new Map<string, SimAmazonReturn[]>();

  add(sellerId: string, row: SimAmazonReturn): void {
    const rows = this.bySeller.get(sellerId) ?? [];
    rows.push(row);
    this.bySeller.set(sellerId, rows);
  }

  /**
   * A later state of a return (the parcel delivered, the refund issued in Seller Central, the
   * request closed): every row of the order and RMA changes, as the report shows them on the next
   * read. Answers how many rows changed.
   */
  update(
    sellerId: string,
    ref: { orderId: string; amazonRmaId: string },
    change: Partial<Pick<SimAmazonReturn, 'status' | 'returnDeliveryDate' | 'refundedAmount' | 'resolution'>>,
  ): number {
    const rows = (this.bySeller.get(sellerId) ?? []).filter(
      (r) => r.orderId === ref.orderId && r.amazonRmaId === ref.amazonRmaId,
    );
    for (const row of rows) Object.assign(row, change);
    return rows.length;
  }

  /**
   * A refund the seller's payment adjustment feed made of a SKU of an order: the report shows it as
   * the Refunded Amount of the order's return of that SKU (the first not yet refunded, else the
   * last, added to), in the currency's decimals. Answers whether a return row took it.
   */
  refund(sellerId: string, orderId: string, sku: string, currency: string, minor: number): boolean {
    const rows = (this.bySeller.get(sellerId) ?? []).filter(
      (r) => r.orderId === orderId && r.merchantSku === sku,
    );
    const row = rows.find((r) => !r.refundedAmount) ?? rows[rows.length - 1];
    if (!row) return false;
    const digits = ['JPY', 'KRW', 'VND', 'IDR'].includes(currency) ? 0 : 2;
    const was = row.refundedAmount ? Math.round(Number(row.refundedAmount) * 10 ** digits) : 0;
    row.refundedAmount = ((was + minor) / 10 ** digits).toFixed(digits);
    return true;
  }

  /** Returns requested in [from, to), by return request date (copies: a report is as of its making). */
  between(sellerId: string, from: Date, to: Date): SimAmazonReturn[] {
    return (this.bySeller.get(sellerId) ?? [])
      .filter((r) => r.returnRequestDate >= from && r.returnRequestDate < to)
      .map((r) => ({ ...r }));
  }
}

const day = (at: Date) => at.toISOString().slice(0, 10);
const clean = (value: string) => value.replace(/[\t\r\n]+/g, ' ');

/** The tab-delimited report, gzipped as getReportDocument says (`compressionAlgorithm: GZIP`). */
export function renderReturnsReport(rows: readonly SimAmazonReturn[]): Buffer {
  const lines = rows.map((r) =>
    [
      r.orderId,
      day(r.orderDate),
      day(r.returnRequestDate),
      r.status,
      r.amazonRmaId,
      r.merchantRmaId ?? '',
      r.labelType ?? 'AmazonUnPaidLabel',
      '',
      r.currencyCode,
      r.returnCarrier ?? '',
      r.trackingId ?? '',
      '',
      'N',
      'N',
      r.asin,
      r.merchantSku,
      r.itemName,
      String(r.quantity),
      r.reason,
      r.inPolicy ?? 'Y',
      r.returnType ?? 'C-Returns',
      r.resolution ?? '',
      '',
      r.returnDeliveryDate ? day(r.returnDeliveryDate) : '',
      r.orderAmount,
      String(r.orderQuantity),
      '',
      '',
      '',
      '',
      '',
      r.refundedAmount ?? '',
    ]
      .map(clean)
      .join('\t'),
  );
  return gzipSync(Buffer.from([SIM_RETURNS_REPORT_HEADER.join('\t'), ...lines].join('\n') + '\n', 'utf8'));
}

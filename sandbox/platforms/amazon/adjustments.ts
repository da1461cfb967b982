import type { SimOrderStore } from '../../kit/store.js';
import type { SimAmazonReturnBook } from './returns.js';

/**
 * The Flat File Order Adjustments feed (`POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA`) as the simulator
 * processes it, read on its own — not with the adapter's code — from the uploaded file: a header
 * row naming the attributes Amazon lists (developer-docs.amazon.com/sp-api/docs/order-feed-type-values),
 * then one record a row. A record that adjusts an item of one of the seller's orders in the order's
 * currency, by amounts the item still has to refund, is taken: the refund is recorded here and on
 * the seller's returns report (the Refunded Amount of the order's return of that SKU). Any other is
 * refused in the processing report with the simulator's own error code and message (Amazon's codes
 * are not in the facts). The report is the flat-file processing report Seller Central describes
 * (a summary, then `original-record-number`, `order-id`, `order-item-id`, `error-code`,
 * `error-type`, `error-message`).
 *
 * Assumed, as the adapter's defaults (not in the facts): amounts are positive decimals with the
 * currency's digits; the reason codes are the Order Adjustment feed's `AdjustmentReason` values.
 */
export interface SimAmazonAdjustment {
  feedId: string;
  orderId: string;
  orderItemId: string;
  sku: string;
  reason: string;
  currency: string;
  /** Minor units refunded of the item's price and of its tax. */
  itemPriceMinor: number;
  itemTaxMinor: number;
  at: Date;
}

export const SIM_ADJUSTMENT_REASONS: ReadonlySet<string> = new Set([
  'NoInventory',
  'CustomerReturn',
  'GeneralAdjustment',
  'CouldNotShip',
  'DifferentItem',
  'Abandoned',
  'CustomerCancel',
  'PriceError',
  'ProductOutofStock',
  'CustomerAddressIncorrect',
  'Exchange',
  'Other',
  'CarrierCreditDecision',
  'RiskAssessmentInformationNotValid',
  'CarrierCoverageFailure',
  'TransactionRecord',
  'Undeliverable',
  'RefusedDelivery',
]);

const KNOWN_COLUMNS = new Set([
  'order-id',
  'order-item-id',
  'adjustment-reason-code',
  'currency',
  'item-price-adj',
  'item-tax-adj',
  'shipping-price-adj',
  'shipping-tax-adj',
  'gift-wrap-price-adj',
  'gift-wrap-tax-adj',
  'item-promotion-adj',
  'item-promotion-id',
  'ship-promotion-adj',
  'ship-promotion-id',
  'quantity-cancelled',
]);
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'IDR']);

/** Every adjustment the simulated sellers' feeds made, in order. */
export class SimAmazonAdjustmentBook {
  private readonly bySeller = new Map<string, SimAmazonAdjustment[]>();

  add(sellerId: string, adjustment: SimAmazonAdjustment): void {
    this.bySeller.set(sellerId, [...(this.bySeller.get(sellerId) ?? []), adjustment]);
  }

  list(sellerId: string, orderId?: string): SimAmazonAdjustment[] {
    return (this.bySeller.get(sellerId) ?? []).filter((a) => orderId === undefined || a.orderId === orderId);
  }
}

interface Refusal {
  record: number;
  orderId: string;
  orderItemId: string;
  code: string;
  message: string;
}

/** Minor units of a positive decimal written with at most the currency's digits; null otherwise. */
function minorOf(text: string, currency: string): number | null {
  const digits = ZERO_DECIMAL.has(currency) ? 0 : 2;
  const pattern = digits === 0 ? /^(\d+)$/ : /^(\d+)(?:\.(\d{1,2}))?$/;
  const m = pattern.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
}

/**
 * Processes an uploaded file for `seller`: answers the processing report's text and the counts.
 * Records are numbered from 1, the first row after the header.
 */
export function processPaymentAdjustmentFeed(input: {
  feedId: string;
  seller: string;
  content: string;
  store: SimOrderStore;
  book: SimAmazonAdjustmentBook;
  returns?: SimAmazonReturnBook;
  now: Date;
}): { report: string; processed: number; successful: number } {
  const lines = input.content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const refusals: Refusal[] = [];
  const records = lines.slice(1);
  const missing = ['order-id', 'order-item-id', 'adjustment-reason-code', 'currency'].filter(
    (c) => !header.includes(c),
  );
  const unknown = header.filter((h) => !KNOWN_COLUMNS.has(h));
  if (missing.length > 0 || unknown.length > 0) {
    // A header Amazon cannot read: no record is processed.
    return {
      report: render(records.length, 0, [
        {
          record: 0,
          orderId: '',
          orderItemId: '',
          code: '90001',
          message: `The file header is not valid: ${[
            ...missing.map((m) => `missing ${m}`),
            ...unknown.map((u) => `unknown column ${u}`),
          ].join(', ')}.`,
        },
      ]),
      processed: records.length,
      successful: 0,
    };
  }
  const at = (row: string[], column: string) => (row[header.indexOf(column)] ?? '').trim();
  let successful = 0;
  records.forEach((line, i) => {
    const record = i + 1;
    const row = line.split('\t');
    const orderId = at(row, 'order-id');
    const orderItemId = at(row, 'order-item-id');
    const refuse = (code: string, message: string) =>
      refusals.push({ record, orderId, orderItemId, code, message });
    if (row.length !== header.length)
      return refuse('90002', `Record ${record} has ${row.length} fields, the header ${header.length}.`);
    const order = orderId ? input.store.get(input.seller, orderId) : undefined;
    if (!order) return refuse('18028', `Order ${orderId} was not found for this merchant.`);
    const item = order.items.find((it) => it.lineId === orderItemId);
    if (!item) return refuse('18029', `Order item ${orderItemId} is not an item of order ${orderId}.`);
    const reason = at(row, 'adjustment-reason-code');
    if (!SIM_ADJUSTMENT_REASONS.has(reason))
      return refuse('18030', `The adjustment-reason-code '${reason}' is not valid.`);
    const currency = at(row, 'currency');
    if (currency !== order.currency)
      return refuse(
        '18031',
        `The currency ${currency || '(empty)'} is not the order's currency ${order.currency}.`,
      );
    const price = at(row, 'item-price-adj');
    const tax = at(row, 'item-tax-adj');
    for (const other of [
      'shipping-price-adj',
      'shipping-tax-adj',
      'gift-wrap-price-adj',
      'gift-wrap-tax-adj',
      'item-promotion-adj',
      'ship-promotion-adj',
      'quantity-cancelled',
    ]) {
      if (header.includes(other) && at(row, other) !== '')
        return refuse('90003', `The simulator adjusts item price and tax only, not ${other}.`);
    }
    const priceMinor = price === '' ? 0 : minorOf(price, currency);
    const taxMinor = tax === '' ? 0 : minorOf(tax, currency);
    if (priceMinor === null || taxMinor === null)
      return refuse(
        '18032',
        `item-price-adj '${price}' / item-tax-adj '${tax}' is not a positive amount in ${currency}.`,
      );
    if (priceMinor + taxMinor <= 0) return refuse('18033', 'The adjustment refunds nothing.');
    const before = input.book
      .list(input.seller, orderId)
      .filter((a) => a.orderItemId === orderItemId)
      .reduce((sum, a) => ({ price: sum.price + a.itemPriceMinor, tax: sum.tax + a.itemTaxMinor }), {
        price: 0,
        tax: 0,
      });
    const paidPrice = item.unitPriceMinor * item.quantity - item.discountMinor;
    const paidTax = item.taxMinor ?? 0;
    if (before.price + priceMinor > paidPrice || before.tax + taxMinor > paidTax)
      return refuse(
        '18034',
        `The adjustment exceeds what item ${orderItemId} has left to refund (price ${paidPrice - before.price}, tax ${paidTax - before.tax} in minor units).`,
      );
    input.book.add(input.seller, {
      feedId: input.feedId,
      orderId,
      orderItemId,
      sku: item.skuCode,
      reason,
      currency,
      itemPriceMinor: priceMinor,
      itemTaxMinor: taxMinor,
      at: input.now,
    });
    input.returns?.refund(input.seller, orderId, item.skuCode, currency, priceMinor + taxMinor);
    successful += 1;
  });
  return { report: render(records.length, successful, refusals), processed: records.length, successful };
}

function render(processed: number, successful: number, refusals: Refusal[]): string {
  return [
    'Feed Processing Summary:',
    `\tNumber of records processed\t\t${processed}`,
    `\tNumber of records successful\t\t${successful}`,
    '',
    ['original-record-number', 'order-id', 'order-item-id', 'error-code', 'error-type', 'error-message'].join(
      '\t',
    ),
    ...refusals.map((r) =>
      [
        String(r.record),
        r.orderId,
        r.orderItemId,
        r.code,
        'Error',
        r.message.replace(/[\t\r\n]+/g, ' '),
      ].join('\t'),
    ),
    '',
  ].join('\n');
}

import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import type { AdapterContext } from '../types.js';
import { createAmazonClient, feedDocument } from './client.js';

/**
 * Refunds of merchant-fulfilled orders go through the Feeds API (docs/platforms/amazon-returns.md,
 * "Refunds by feed"): no endpoint issues an MFN refund, `POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA`
 * "makes financial adjustment to customers' orders. For example, a refund" (AFTER-SALES-FACTS.md
 * §1.6, developer-docs.amazon.com/sp-api/docs/order-feed-type-values). Feeds 2021-06-30:
 * `createFeedDocument` → the tab-separated file PUT to the pre-signed URL → `createFeed` →
 * `getFeed` until `DONE` → `getFeedDocument` → the processing report, one error line per refused
 * record. Authorised with the LWA token, as every SP-API call (the shared client).
 *
 * The steps are separate calls so that the caller can keep what each gave (the case's feed id)
 * before the next: a retried refund must find its feed, never send a second one.
 */
export const PAYMENT_ADJUSTMENT_FEED_TYPE = 'POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA';

/** The feed's attributes as the order-feed-type-values page lists them, in the file's column order (❓ order). */
export const PAYMENT_ADJUSTMENT_COLUMNS = [
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
] as const;

/**
 * Adjustment reason codes. Amazon's own list is not in the facts; these are the values of the
 * Order Adjustment feed's `AdjustmentReason` as integrations that send it list them (secondary
 * sources, docs/platforms/amazon-returns.md). A return refund is `CustomerReturn` unless the shop
 * names another (`credentials.extra.refundReasonCode`).
 */
export const ADJUSTMENT_REASON_CODES = [
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
] as const;

/** One record of the file: a refund of one order item, amounts as decimals in `currency`. */
export interface PaymentAdjustmentRow {
  orderId: string;
  orderItemId: string;
  reason: string;
  currency: string;
  /** The item's price refunded, a decimal in `currency` ("19.99"). */
  itemPrice: string;
  /** The item's tax refunded, when any. */
  itemTax?: string;
}

/** How the shop's file is written: the feed's attributes whose format the facts leave open. */
export interface PaymentAdjustmentFormat {
  /** `positive` (default): a refund is written `19.99`; `negative`: `-19.99` (❓ not in the facts). */
  sign: 'positive' | 'negative';
}

/** The shop's format from `credentials.extra.adjustmentAmountSign` (`positive` unless `negative`). */
export function paymentAdjustmentFormat(extra: Record<string, string> | undefined): PaymentAdjustmentFormat {
  return { sign: extra?.adjustmentAmountSign === 'negative' ? 'negative' : 'positive' };
}

/** The reason code a return refund is sent with (`credentials.extra.refundReasonCode`, else CustomerReturn). */
export function refundReasonCode(extra: Record<string, string> | undefined): string {
  const code = extra?.refundReasonCode?.trim();
  if (!code) return 'CustomerReturn';
  if (!(ADJUSTMENT_REASON_CODES as readonly string[]).includes(code))
    throw new RequestRejectedError(
      `amazon extra.refundReasonCode ${code} is not an adjustment reason code (${ADJUSTMENT_REASON_CODES.join(', ')})`,
      'amazon',
      'config',
    );
  return code;
}

const clean = (value: string) => value.replace(/[\t\r\n]+/g, ' ');

/** The tab-separated file: a header row of the attributes, one record per row (UTF-8). */
export function renderPaymentAdjustmentFeed(
  rows: readonly PaymentAdjustmentRow[],
  format: PaymentAdjustmentFormat = { sign: 'positive' },
): string {
  const signed = (amount: string | undefined) =>
    amount === undefined || amount === '' ? '' : format.sign === 'negative' ? `-${amount}` : amount;
  const lines = rows.map((row) => {
    const cells: Record<(typeof PAYMENT_ADJUSTMENT_COLUMNS)[number], string> = {
      'order-id': row.orderId,
      'order-item-id': row.orderItemId,
      'adjustment-reason-code': row.reason,
      currency: row.currency,
      'item-price-adj': signed(row.itemPrice),
      'item-tax-adj': signed(row.itemTax),
      'shipping-price-adj': '',
      'shipping-tax-adj': '',
      'gift-wrap-price-adj': '',
      'gift-wrap-tax-adj': '',
      'item-promotion-adj': '',
      'item-promotion-id': '',
      'ship-promotion-adj': '',
      'ship-promotion-id': '',
      'quantity-cancelled': '',
    };
    return PAYMENT_ADJUSTMENT_COLUMNS.map((c) => clean(cells[c])).join('\t');
  });
  return [PAYMENT_ADJUSTMENT_COLUMNS.join('\t'), ...lines].join('\n') + '\n';
}

/** One line of the processing report: a record Amazon refused (`Error`) or warned about. */
export interface ProcessingReportLine {
  /** The record's number in the file (1 = the first row after the header), when given. */
  record: number | null;
  orderId: string | null;
  orderItemId: string | null;
  code: string;
  /** `Error` (the record was not processed) or `Warning` (processed), as Amazon writes it. */
  type: string;
  message: string;
}

export interface ProcessingReport {
  processed: number | null;
  successful: number | null;
  lines: ProcessingReportLine[];
}

const norm = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * The flat-file processing report (Seller Central "Review a Processing Report", G200194300): a
 * summary — "Number of records processed" / "Number of records successful" — then a tab-separated
 * table with `original-record-number`, `error-code`, `error-type` (Error or Warning) and
 * `error-message`, and for order feeds the record's `order-id` / `order-item-id` (a secondary
 * source). Read by its header wherever it is in the file; columns it lacks are null.
 */
export function parseProcessingReport(text: string): ProcessingReport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const count = (label: RegExp) => {
    const line = lines.find((l) => label.test(l));
    const n = line ? /(\d[\d,]*)\s*$/.exec(line.trim())?.[1] : undefined;
    return n === undefined ? null : Number(n.replace(/,/g, ''));
  };
  const report: ProcessingReport = {
    processed: count(/records\s+processed/i),
    successful: count(/records\s+successful/i),
    lines: [],
  };
  const at = lines.findIndex((l) => l.split('\t').some((h) => norm(h) === 'errormessage'));
  if (at < 0) return report;
  const header = lines[at]!.split('\t').map(norm);
  const col = (name: string) => header.indexOf(name);
  const [rec, order, item, code, type, message] = [
    'originalrecordnumber',
    'orderid',
    'orderitemid',
    'errorcode',
    'errortype',
    'errormessage',
  ].map(col) as [number, number, number, number, number, number];
  for (const line of lines.slice(at + 1)) {
    if (!line.trim()) continue;
    const cells = line.split('\t');
    const cell = (i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const n = Number(cell(rec));
    report.lines.push({
      record: rec >= 0 && Number.isInteger(n) && n > 0 ? n : null,
      orderId: cell(order) || null,
      orderItemId: cell(item) || null,
      code: cell(code),
      type: cell(type),
      message: cell(message),
    });
  }
  return report;
}

/**
 * Which of the rows sent the report refuses: its `Error` lines, matched to a row by record number
 * (1 = the first row after the header) when that row is the order item the line names, else by
 * the order item it names. An error line naming no row of ours (a header error, a record number
 * out of range) refuses them all.
 */
export function refusedRows(
  rows: readonly PaymentAdjustmentRow[],
  report: ProcessingReport,
): Array<{ row: PaymentAdjustmentRow; errors: ProcessingReportLine[] }> {
  const errors = report.lines.filter((l) => /^err/i.test(l.type));
  const out = rows.map((row) => ({ row, errors: [] as ProcessingReportLine[] }));
  for (const line of errors) {
    const named = (o: (typeof out)[number]) =>
      (!line.orderItemId || o.row.orderItemId === line.orderItemId) &&
      (!line.orderId || o.row.orderId === line.orderId);
    const atRecord = line.record !== null && line.record <= out.length ? out[line.record - 1]! : undefined;
    const byItem = line.orderItemId ? out.filter(named) : [];
    const hit = atRecord && named(atRecord) ? [atRecord] : byItem.length > 0 ? byItem : out;
    for (const o of hit) o.errors.push(line);
  }
  // Fewer records successful than sent, and no line says which: none can be taken as refunded.
  if (
    errors.length === 0 &&
    report.successful !== null &&
    report.processed !== null &&
    report.successful < Math.min(report.processed, rows.length)
  ) {
    for (const o of out)
      o.errors.push({
        record: null,
        orderId: null,
        orderItemId: null,
        code: 'unreported',
        type: 'Error',
        message: `Amazon processed ${report.processed} records, ${report.successful} successfully, naming none`,
      });
  }
  return out.filter((o) => o.errors.length > 0);
}

const DocumentSchema = z.object({ feedDocumentId: z.string(), url: z.string() });
const ReportDocumentSchema = z.object({
  feedDocumentId: z.string(),
  url: z.string(),
  compressionAlgorithm: z.string().optional(),
});
const FeedSchema = z.object({
  feedId: z.string(),
  feedType: z.string().optional(),
  createdTime: z.string().optional(),
  processingStatus: z.string().optional(),
  resultFeedDocumentId: z.string().optional(),
});
export type AmazonFeed = z.infer<typeof FeedSchema>;
const FeedsSchema = z.object({ feeds: z.array(FeedSchema), nextToken: z.string().optional() });

export interface AmazonRefundFeeds {
  /** `createFeedDocument` for a tab-separated text file: the document id and its pre-signed URL. */
  createDocument(): Promise<{ feedDocumentId: string; url: string }>;
  /** PUTs the file to the document's pre-signed URL (no token). */
  upload(url: string, content: string): Promise<void>;
  /** `createFeed` of the payment adjustment feed over an uploaded document: its feed id. */
  createFeed(feedDocumentId: string): Promise<string>;
  /** `getFeeds` of this feed type created since `since` (every page): to find a feed whose answer was lost. */
  feedsSince(since: Date): Promise<AmazonFeed[]>;
  /** `getFeed`. */
  feed(feedId: string): Promise<AmazonFeed>;
  /** `getFeedDocument` of a result document and its processing report, parsed. */
  report(resultFeedDocumentId: string): Promise<ProcessingReport>;
  readonly marketplaceId: string;
}

export const FEED_CONTENT_TYPE = 'text/tab-separated-values; charset=UTF-8';

export function createAmazonRefundFeeds(ctx: AdapterContext): AmazonRefundFeeds {
  const client = createAmazonClient(ctx);
  const marketplaceId = ctx.credentials.extra?.marketplaceId ?? '';
  if (!marketplaceId)
    throw new RequestRejectedError('amazon: shop credentials lack extra.marketplaceId', 'amazon', 'config');

  return {
    marketplaceId,
    async createDocument() {
      return client.request(
        { method: 'POST', path: '/feeds/2021-06-30/documents', body: { contentType: FEED_CONTENT_TYPE } },
        DocumentSchema,
      );
    },
    async upload(url, content) {
      await feedDocument(ctx, url, {
        method: 'PUT',
        headers: { 'content-type': FEED_CONTENT_TYPE },
        body: content,
      });
    },
    async createFeed(feedDocumentId) {
      const created = await client.request(
        {
          method: 'POST',
          path: '/feeds/2021-06-30/feeds',
          body: {
            feedType: PAYMENT_ADJUSTMENT_FEED_TYPE,
            marketplaceIds: [marketplaceId],
            inputFeedDocumentId: feedDocumentId,
          },
        },
        FeedSchema.pick({ feedId: true }),
      );
      return created.feedId;
    },
    async feedsSince(since) {
      const found: AmazonFeed[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.request(
          {
            path: '/feeds/2021-06-30/feeds',
            query: nextToken
              ? { nextToken }
              : {
                  feedTypes: PAYMENT_ADJUSTMENT_FEED_TYPE,
                  marketplaceIds: marketplaceId,
                  pageSize: '100',
                  createdSince: since.toISOString(),
                },
          },
          FeedsSchema,
        );
        found.push(...page.feeds);
        nextToken = page.nextToken;
      } while (nextToken);
      return found;
    },
    async feed(feedId) {
      return client.request({ path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}` }, FeedSchema);
    },
    async report(resultFeedDocumentId) {
      const doc = await client.request(
        { path: `/feeds/2021-06-30/documents/${encodeURIComponent(resultFeedDocumentId)}` },
        ReportDocumentSchema,
      );
      const response = await feedDocument(ctx, doc.url, { method: 'GET' });
      let bytes = Buffer.from(await response.arrayBuffer());
      if (doc.compressionAlgorithm === 'GZIP') bytes = gunzipSync(bytes);
      return parseProcessingReport(bytes.toString('utf8'));
    },
  };
}

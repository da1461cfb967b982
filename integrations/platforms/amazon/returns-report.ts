import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { PlatformError, RequestRejectedError, TransientPlatformError } from '../errors.js';
import type { AdapterContext } from '../types.js';
import { createAmazonClient, type AmazonClient } from './client.js';

/**
 * Amazon returns come only from reports (docs/platforms/amazon-returns.md): Reports API 2021-06-30
 * `createReport` for `GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE` over a window of return dates (at
 * most 60 days a report), `getReport` until it is `DONE` (`CANCELLED` is Amazon's "no data to
 * return"; `FATAL` aborted), `getReportDocument` for a pre-signed URL valid five minutes and the
 * `compressionAlgorithm` (`GZIP` → gunzip), then the tab-delimited file parsed by its header row.
 * Authorised with the LWA token, as every SP-API call (the shared client).
 */
export const RETURNS_REPORT_TYPE = 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE';
/** "You can request up to 60 days of data in a single report." */
export const RETURNS_REPORT_MAX_DAYS = 60;

/**
 * The columns read, under the attribute names Amazon's "Returns reports attributes" page lists for
 * this report. Whether the file's header row spells them exactly so is not confirmed: headers are
 * matched ignoring case, spaces, hyphens and underscores ("Order ID" = "order-id" = "order_id"),
 * and a shop may name its own (`credentials.extra.returnsReportColumns`, JSON `{field: header}`).
 */
export const RETURNS_REPORT_COLUMNS = {
  orderId: 'Order ID',
  returnRequestDate: 'Return request date',
  returnRequestStatus: 'Return request status',
  amazonRmaId: 'Amazon RMA ID',
  merchantRmaId: 'Merchant RMA ID',
  returnCarrier: 'Return carrier',
  trackingId: 'Tracking ID',
  asin: 'ASIN',
  merchantSku: 'Merchant SKU',
  returnQuantity: 'Return quantity',
  returnReason: 'Return Reason',
  inPolicy: 'In policy',
  returnType: 'Return type',
  resolution: 'Resolution',
  currencyCode: 'Currency code',
  refundedAmount: 'Refunded Amount',
  returnDeliveryDate: 'Return delivery date',
} as const;
export type ReturnsReportField = keyof typeof RETURNS_REPORT_COLUMNS;
/** Without these a row names no return of ours: the file is refused rather than read wrong. */
const REQUIRED: ReturnsReportField[] = ['orderId', 'amazonRmaId', 'merchantSku', 'returnQuantity'];

/** One row of the report: a return of some units of one SKU of an order, under Amazon's RMA. */
export interface AmazonReturnRow {
  orderId: string;
  amazonRmaId: string;
  merchantRmaId: string | null;
  merchantSku: string;
  asin: string | null;
  quantity: number;
  returnRequestDate: string | null;
  /** Amazon's words, as the report gives them (the values are not in the facts). */
  status: string | null;
  reason: string | null;
  resolution: string | null;
  returnType: string | null;
  inPolicy: string | null;
  carrier: string | null;
  trackingId: string | null;
  currency: string | null;
  /** The refunded amount as the report writes it (a decimal in `currency`), when given. */
  refundedAmount: string | null;
  returnDeliveryDate: string | null;
}

export interface ReturnsReport {
  reportId: string;
  /** `DONE` with its rows, or `CANCELLED` (no data in the window: no rows). */
  processingStatus: 'DONE' | 'CANCELLED';
  rows: AmazonReturnRow[];
  /** Rows left out (a required column empty, a quantity not a positive whole number), with why. */
  skipped: Array<{ line: number; why: string }>;
}

const CreateReportResponse = z.object({ reportId: z.string() });
const ReportSchema = z.object({
  reportId: z.string(),
  reportType: z.string(),
  processingStatus: z.enum(['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE']),
  reportDocumentId: z.string().optional(),
});
const ReportDocumentSchema = z.object({
  reportDocumentId: z.string(),
  url: z.string(),
  compressionAlgorithm: z.literal('GZIP').optional(),
});

const squash = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');

/** The shop's own header names (JSON `{field: header}`), over the documented ones. */
export function returnsReportColumns(
  extra: Record<string, string> | undefined,
): Record<ReturnsReportField, string> {
  const columns: Record<ReturnsReportField, string> = { ...RETURNS_REPORT_COLUMNS };
  const raw = extra?.returnsReportColumns;
  if (!raw) return columns;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RequestRejectedError('amazon extra.returnsReportColumns is not JSON', 'amazon', 'config');
  }
  for (const [field, header] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
    if (!(field in RETURNS_REPORT_COLUMNS) || typeof header !== 'string' || !header) {
      throw new RequestRejectedError(
        `amazon extra.returnsReportColumns: ${field} is not a column of the returns report`,
        'amazon',
        'config',
      );
    }
    columns[field as ReturnsReportField] = header;
  }
  return columns;
}

/** The tab-delimited file, by its header row (a BOM and CRLF line ends tolerated). */
export function parseReturnsReport(
  text: string,
  columns: Record<ReturnsReportField, string> = RETURNS_REPORT_COLUMNS,
): { rows: AmazonReturnRow[]; skipped: ReturnsReport['skipped'] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines.shift() ?? '').split('\t').map(squash);
  const at = {} as Record<ReturnsReportField, number>;
  for (const field of Object.keys(columns) as ReturnsReportField[]) {
    at[field] = header.indexOf(squash(columns[field]));
  }
  const missing = REQUIRED.filter((field) => at[field] < 0);
  if (missing.length > 0 && lines.some((line) => line.trim())) {
    throw new PlatformError(
      `amazon returns report: no column ${missing.map((f) => `"${columns[f]}"`).join(', ')} in its header`,
      'amazon',
      'report_columns',
    );
  }
  const rows: AmazonReturnRow[] = [];
  const skipped: ReturnsReport['skipped'] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const cells = line.split('\t');
    const cell = (field: ReturnsReportField) => {
      const value = at[field] >= 0 ? (cells[at[field]] ?? '').trim() : '';
      return value === '' ? null : value;
    };
    const empty = REQUIRED.filter((field) => cell(field) === null);
    const quantity = Number(cell('returnQuantity'));
    if (empty.length > 0 || !Number.isInteger(quantity) || quantity < 1) {
      skipped.push({
        line: index + 2,
        why: empty.length > 0 ? `empty ${empty.join(', ')}` : `return quantity "${cell('returnQuantity')}"`,
      });
      return;
    }
    rows.push({
      orderId: cell('orderId')!,
      amazonRmaId: cell('amazonRmaId')!,
      merchantRmaId: cell('merchantRmaId'),
      merchantSku: cell('merchantSku')!,
      asin: cell('asin'),
      quantity,
      returnRequestDate: cell('returnRequestDate'),
      status: cell('returnRequestStatus'),
      reason: cell('returnReason'),
      resolution: cell('resolution'),
      returnType: cell('returnType'),
      inPolicy: cell('inPolicy'),
      carrier: cell('returnCarrier'),
      trackingId: cell('trackingId'),
      currency: cell('currencyCode'),
      refundedAmount: cell('refundedAmount'),
      returnDeliveryDate: cell('returnDeliveryDate'),
    });
  });
  return { rows, skipped };
}

/**
 * The case a return becomes here: one per order and Amazon RMA (`{orderId}-{rmaId}`), covering the
 * SKUs its rows name — the same order and RMA read again (the next report's window overlaps) is
 * the same case.
 */
export function amazonReturnCaseId(row: Pick<AmazonReturnRow, 'orderId' | 'amazonRmaId'>): string {
  return `${row.orderId}-${row.amazonRmaId}`;
}

/**
 * Where a return stands as the report shows it (docs/platforms/amazon-returns.md, "Following a
 * return"). The report is re-read, so its later rows carry the return on: the parcel delivered to
 * the seller (Return delivery date), the refund issued (Refunded Amount), the request closed
 * (Return request status, in words the shop names: Amazon's list of them is not in the facts).
 */
export interface AmazonReturnState {
  /** Return request status, Amazon's words as written (the first row's that has one). */
  requestStatus: string | null;
  resolution: string | null;
  /** Return delivery date as written: the parcel reached the seller. */
  deliveredAt: string | null;
  /** Refunded Amount of each row that shows one above zero, as written (a decimal in `currency`). */
  refunded: Array<{ merchantSku: string; amount: string; currency: string | null }>;
  /** The request status is one the shop names as closed (`extra.returnsClosedStatuses`). */
  closed: boolean;
}

/**
 * The status words a shop reads as "the return request is closed" (`credentials.extra.
 * returnsClosedStatuses`, comma-separated, compared ignoring case). None by default: which words
 * Amazon writes in Return request status is not in the facts, so nothing closes a case on a word
 * until the shop says which.
 */
export function returnsClosedStatuses(extra: Record<string, string> | undefined): Set<string> {
  return new Set(
    (extra?.returnsClosedStatuses ?? '')
      .split(',')
      .map((word) => word.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * A refund the report shows: a plain decimal above zero ("19.99"). How the file writes amounts is
 * not in the facts; a value written otherwise (a decimal comma, a currency sign) is not read as a
 * refund rather than read wrong.
 */
const positiveAmount = (value: string | null): value is string =>
  value !== null && /^\d+(\.\d+)?$/.test(value) && Number(value) > 0;

/** The state of one return (the rows of one order and RMA) as this read of the report shows it. */
export function amazonReturnState(
  rows: readonly AmazonReturnRow[],
  closedStatuses: ReadonlySet<string> = new Set(),
): AmazonReturnState {
  const first = <K extends keyof AmazonReturnRow>(key: K) =>
    rows.map((r) => r[key]).find((v) => v !== null && v !== undefined) ?? null;
  const requestStatus = first('status') as string | null;
  return {
    requestStatus,
    resolution: first('resolution') as string | null,
    deliveredAt: first('returnDeliveryDate') as string | null,
    refunded: rows
      .filter((r) => positiveAmount(r.refundedAmount))
      .map((r) => ({ merchantSku: r.merchantSku, amount: r.refundedAmount!, currency: r.currency })),
    closed: requestStatus !== null && closedStatuses.has(requestStatus.toLowerCase()),
  };
}

export interface ReturnsReportOptions {
  /** How often `getReport` is read while the report is queued or in progress. */
  pollMs?: number;
  /** How long to wait for the report before giving up (a later pass asks again). */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface AmazonReturnsReports {
  /** The returns requested in [from, to) (by return date), from one report. */
  returns(window: { from: Date; to: Date }): Promise<ReturnsReport>;
  /** `createReport` for the window: the report's id, to be read later (`read`). */
  request(window: { from: Date; to: Date }): Promise<{ reportId: string }>;
  /**
   * One `getReport`: still `IN_QUEUE` / `IN_PROGRESS` (read again later), or the report's rows
   * (`DONE`, downloaded) or none (`CANCELLED`); `FATAL` is an error.
   */
  read(
    reportId: string,
  ): Promise<ReturnsReport | { reportId: string; processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' }>;
}

export function createAmazonReturnsReports(
  ctx: AdapterContext,
  options: ReturnsReportOptions = {},
  client: AmazonClient = createAmazonClient(ctx),
): AmazonReturnsReports {
  const marketplaceId = ctx.credentials.extra?.marketplaceId;
  if (!marketplaceId)
    throw new RequestRejectedError('amazon shop has no extra.marketplaceId', 'amazon', 'config');
  const columns = returnsReportColumns(ctx.credentials.extra);
  const doFetch = ctx.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = options.pollMs ?? 30_000;
  const waitMs = options.waitMs ?? 15 * 60_000;

  /** The pre-signed URL: no token; gunzipped when Amazon says GZIP. */
  async function download(url: string, gzip: boolean): Promise<string> {
    let response: Response;
    try {
      response = await doFetch(url, { signal: AbortSignal.timeout(ctx.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new TransientPlatformError(
        `amazon report document unreachable: ${(err as Error).message}`,
        'amazon',
      );
    }
    if (!response.ok)
      throw new TransientPlatformError(`amazon report document answered ${response.status}`, 'amazon');
    const body = Buffer.from(await response.arrayBuffer());
    try {
      return (gzip ? gunzipSync(body) : body).toString('utf8');
    } catch (err) {
      throw new PlatformError(
        `amazon report document is not gzip: ${(err as Error).message}`,
        'amazon',
        'report_document',
      );
    }
  }

  async function request({ from, to }: { from: Date; to: Date }): Promise<{ reportId: string }> {
    if (to.getTime() - from.getTime() > RETURNS_REPORT_MAX_DAYS * 86_400_000) {
      throw new RequestRejectedError(
        `amazon returns report: at most ${RETURNS_REPORT_MAX_DAYS} days a report`,
        'amazon',
        'window',
      );
    }
    return client.request(
      {
        method: 'POST',
        path: '/reports/2021-06-30/reports',
        body: {
          reportType: RETURNS_REPORT_TYPE,
          marketplaceIds: [marketplaceId],
          dataStartTime: from.toISOString(),
          dataEndTime: to.toISOString(),
        },
      },
      CreateReportResponse,
    );
  }

  async function read(
    reportId: string,
  ): Promise<ReturnsReport | { reportId: string; processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' }> {
    const report = await client.request(
      { path: `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}` },
      ReportSchema,
    );
    if (report.processingStatus === 'CANCELLED') {
      return { reportId, processingStatus: 'CANCELLED', rows: [], skipped: [] };
    }
    if (report.processingStatus === 'FATAL') {
      throw new PlatformError(`amazon returns report ${reportId} FATAL`, 'amazon', 'FATAL');
    }
    if (report.processingStatus !== 'DONE') return { reportId, processingStatus: report.processingStatus };
    if (!report.reportDocumentId) {
      throw new PlatformError(`amazon report ${reportId} DONE without a document`, 'amazon', 'DONE');
    }
    const document = await client.request(
      { path: `/reports/2021-06-30/documents/${encodeURIComponent(report.reportDocumentId)}` },
      ReportDocumentSchema,
    );
    const text = await download(document.url, document.compressionAlgorithm === 'GZIP');
    return { reportId, processingStatus: 'DONE', ...parseReturnsReport(text, columns) };
  }

  return {
    request,
    read,
    async returns(window) {
      const { reportId } = await request(window);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const report = await read(reportId);
        if (report.processingStatus === 'DONE' || report.processingStatus === 'CANCELLED') return report;
        if (Date.now() >= deadline) {
          throw new TransientPlatformError(
            `amazon returns report ${reportId} still ${report.processingStatus}`,
            'amazon',
          );
        }
        await sleep(pollMs);
      }
    },
  };
}

import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connect.js';
import { afterSaleWorkflowId, linePaidFen } from '../../domain/after-sales.js';
import { matchReturnLines, type ReturnedSku } from '../../domain/amazon-returns.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { PlatformCase } from '../../integrations/platforms/after-sales.js';
import {
  amazonReturnCaseId,
  createAmazonReturnsReports,
  type AmazonReturnRow,
} from '../../integrations/platforms/amazon/returns-report.js';
import { largestMinorWithin } from '../../services/capture/fx.js';
import { startOrSignalCase, type CaptureConfig } from '../after-sale/capture.js';
import { asPlatformCall, shopNotSyncable } from './failures.js';
import { openShop, ShopNotConnectedError } from './shop-adapters.js';
import { CredentialsKeyError } from '../../services/capture/credentials.js';

type ReturnsConfig = CaptureConfig;

/** What one read of a returns report came to. */
export interface ReturnsReportRead {
  /** Amazon's `processingStatus`: `IN_QUEUE` / `IN_PROGRESS` are read again on a later round. */
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
  rows: number;
  /** Returns (order and RMA) that became cases now. */
  opened: number;
  /** Returns already cases here (an earlier, overlapping report): nothing done. */
  known: number;
  /** Report rows whose SKU is on no line of their order. */
  unmatched: number;
  skipped: number;
}

/**
 * The Amazon shop's returns report (docs/platforms/amazon-returns.md), for the shop sync: one
 * activity asks for the report of a window of return dates, another reads it once per sync round
 * until Amazon has it ready (a report can take minutes: the order poll is never held up waiting),
 * then opens an after-sales case for every return (order and Amazon RMA) not yet a case here, its
 * lines matched by SKU (domain/amazon-returns.ts).
 */
export function createAmazonReturnsActivities(deps: { db: Db; client: Client; config: ReturnsConfig }) {
  const { db, config } = deps;
  async function reportsOf(shopId: string) {
    try {
      const { shop, options } = await openShop({ db, config }, shopId);
      return createAmazonReturnsReports({
        shopId,
        platformShopId: shop.platformShopId,
        baseUrl: shop.baseUrl,
        credentials: shop.credentials,
        ...options,
      });
    } catch (err) {
      if (err instanceof ShopNotConnectedError || err instanceof CredentialsKeyError) {
        throw shopNotSyncable(err.message);
      }
      // The marketplace id missing is the shop's settings: refused, as the adapter's own check.
      return asPlatformCall(() => Promise.reject(err));
    }
  }

  /** The case of one return: its lines by SKU, what they paid, in the order's own currency. */
  async function caseOf(
    shopId: string,
    rows: AmazonReturnRow[],
    /** Lines the returns opened earlier in this read took (their cases may not be written yet). */
    takenNow: Set<string>,
  ): Promise<{ current: PlatformCase; unmatched: number }> {
    const first = rows[0]!;
    const orderId = orderWorkflowId('amazon', shopId, first.orderId);
    const [lines, order, others] = await Promise.all([
      db
        .selectFrom('order_lines')
        .select([
          'line_id',
          'sku_code',
          'platform_sku_id',
          'quantity',
          'unit_price_fen',
          'discount_fen',
          'tax_fen',
        ])
        .where('order_id', '=', orderId)
        .orderBy('line_id')
        .execute(),
      db.selectFrom('orders').select(['fx']).where('id', '=', orderId).executeTakeFirst(),
      db
        .selectFrom('after_sale_case_lines')
        .innerJoin('after_sale_cases', 'after_sale_cases.id', 'after_sale_case_lines.case_id')
        .select('after_sale_case_lines.line_id')
        .where('after_sale_cases.order_id', '=', orderId)
        .execute(),
    ]);
    const returned: ReturnedSku[] = rows.map((r) => ({
      merchantSku: r.merchantSku,
      asin: r.asin,
      quantity: r.quantity,
    }));
    const matched = matchReturnLines(
      lines.map((l) => ({
        lineId: l.line_id,
        skuCode: l.sku_code,
        platformSkuId: l.platform_sku_id,
        quantity: l.quantity,
        paidMinor: linePaidFen({
          unitPriceFen: l.unit_price_fen,
          quantity: l.quantity,
          discountFen: l.discount_fen,
          taxFen: l.tax_fen,
        }),
      })),
      returned,
      new Set([...others.map((o) => o.line_id), ...takenNow]),
    );
    for (const lineId of matched.lineIds) takenNow.add(lineId);
    // Orders converted to CNY at intake: the case asks in the currency the buyer paid, at its rate.
    const fx = order?.fx as { originalCurrency?: unknown; rate?: unknown } | null | undefined;
    const foreign =
      typeof fx?.originalCurrency === 'string' && typeof fx.rate === 'string'
        ? { currency: fx.originalCurrency, rate: fx.rate }
        : null;
    const requested = Date.parse(first.returnRequestDate ?? '');
    const at = new Date(Number.isNaN(requested) ? 0 : requested).toISOString();
    const reason = [
      first.reason ?? '',
      ...matched.unmatched.map(
        (u) => `Merchant SKU ${u.merchantSku} (${u.quantity}) is on no line of order ${first.orderId}`,
      ),
    ]
      .filter(Boolean)
      .join('; ');
    return {
      current: {
        platformCaseId: amazonReturnCaseId(first),
        platformOrderId: first.orderId,
        kind: 'return_refund',
        status: 'open',
        platformStatus: first.status ?? 'return requested',
        amountFen: foreign
          ? largestMinorWithin(matched.amountMinor, foreign.currency, foreign.rate)
          : matched.amountMinor,
        ...(foreign ? { currency: foreign.currency } : {}),
        reason,
        lineIds: matched.lineIds,
        shipped: true,
        ...(first.trackingId && first.carrier
          ? { buyerReturn: { company: first.carrier, trackingNo: first.trackingId } }
          : {}),
        createdAt: at,
        modifiedAt: at,
      },
      unmatched: matched.unmatched.length,
    };
  }

  return {
    /** `createReport` for the returns requested in [from, to). */
    async requestReturnsReport(input: {
      shopId: string;
      from: string;
      to: string;
    }): Promise<{ reportId: string }> {
      const reports = await reportsOf(input.shopId);
      return asPlatformCall(() => reports.request({ from: new Date(input.from), to: new Date(input.to) }));
    },

    /**
     * Reads the report once; when Amazon has it ready, every return not yet a case here becomes
     * one (`aftersale:amazon:{shopId}:{orderId}-{rmaId}`). Read again (a retry, an overlapping
     * window), a return already a case opens nothing: the case's id is the return's, its workflow
     * is started only if none ever ran.
     */
    async readReturnsReport(input: { shopId: string; reportId: string }): Promise<ReturnsReportRead> {
      const reports = await reportsOf(input.shopId);
      let report: Awaited<ReturnType<typeof reports.read>>;
      try {
        report = await asPlatformCall(() => reports.read(input.reportId));
      } catch (err) {
        // Amazon aborted the report: reading it again will not help, the next one is asked for.
        const code = (err as { details?: Array<{ code?: unknown }> }).details?.[0]?.code;
        if (code === 'FATAL')
          return { status: 'FATAL', rows: 0, opened: 0, known: 0, unmatched: 0, skipped: 0 };
        throw err;
      }
      const read: ReturnsReportRead = {
        status: report.processingStatus,
        rows: 0,
        opened: 0,
        known: 0,
        unmatched: 0,
        skipped: 0,
      };
      if (!('rows' in report)) return read;
      read.rows = report.rows.length;
      read.skipped = report.skipped.length;
      if (report.skipped.length > 0) {
        Context.current().log.warn('amazon returns report rows skipped', {
          shopId: input.shopId,
          reportId: input.reportId,
          skipped: report.skipped,
        });
      }
      const byCase = new Map<string, AmazonReturnRow[]>();
      for (const row of report.rows) {
        const id = afterSaleWorkflowId('amazon', input.shopId, amazonReturnCaseId(row));
        byCase.set(id, [...(byCase.get(id) ?? []), row]);
      }
      const known = new Set(
        byCase.size === 0
          ? []
          : (
              await db
                .selectFrom('after_sale_cases')
                .select('id')
                .where('id', 'in', [...byCase.keys()])
                .execute()
            ).map((r) => r.id),
      );
      const takenByOrder = new Map<string, Set<string>>();
      for (const [id, rows] of byCase) {
        if (known.has(id)) {
          read.known += 1;
          continue;
        }
        const orderKey = rows[0]!.orderId;
        if (!takenByOrder.has(orderKey)) takenByOrder.set(orderKey, new Set());
        const { current, unmatched } = await caseOf(input.shopId, rows, takenByOrder.get(orderKey)!);
        read.unmatched += unmatched;
        const outcome = await startOrSignalCase(deps, { shopId: input.shopId, platform: 'amazon' }, current);
        if (outcome === 'started') read.opened += 1;
        else read.known += 1;
        Context.current().heartbeat();
      }
      return read;
    },
  };
}

export type AmazonReturnsActivities = ReturnType<typeof createAmazonReturnsActivities>;

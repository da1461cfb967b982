import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connect.js';
import { afterSaleWorkflowId, linePaidFen } from '../../domain/after-sales.js';
import { matchReturnLines, type ReturnedSku } from '../../domain/amazon-returns.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { PlatformCase } from '../../integrations/platforms/after-sales.js';
import {
  amazonReturnCaseId,
  amazonReturnState,
  createAmazonReturnsReports,
  RETURNS_REPORT_MAX_DAYS,
  returnsClosedStatuses,
  type AmazonReturnRow,
  type AmazonReturnState,
} from '../../integrations/platforms/amazon/returns-report.js';
import { amountToMinor } from '../../domain/money.js';
import { largestMinorWithin } from '../../services/capture/fx.js';
import { startOrSignalCase, type CaptureConfig } from '../after-sale/capture.js';
import { asPlatformCall, shopNotSyncable } from './failures.js';
import { openShop, ShopNotConnectedError } from './shop-adapters.js';
import { CredentialsKeyError } from '../../services/capture/credentials.js';

type ReturnsConfig = CaptureConfig;

/**
 * A return's state in a case's words (docs/platforms/amazon-returns.md, "Following a return"):
 * `refunded` once the report shows a refund — the figures in their row's currency added up, never
 * above what the case asked (whether Refunded Amount is the row's or the order's is not said) —
 * `closed` when the request status is one the shop names as closed, else `open`; Amazon's status
 * word is kept, and the report's own figures travel with the case for its timeline.
 */
function followed(
  state: AmazonReturnState,
  requestedMinor: number | null,
  orderCurrency: string | null,
): Pick<PlatformCase, 'status' | 'platformStatus' | 'amountFen' | 'returnReport'> {
  const refundedMinor = state.refunded.reduce(
    (sum, r) => sum + amountToMinor(r.amount, r.currency ?? orderCurrency ?? 'CNY'),
    0,
  );
  const { closed, ...returnReport } = state;
  return {
    status: state.refunded.length > 0 ? 'refunded' : closed ? 'closed' : 'open',
    platformStatus: state.requestStatus ?? 'return requested',
    amountFen:
      state.refunded.length > 0
        ? Math.min(refundedMinor, requestedMinor ?? refundedMinor)
        : (requestedMinor ?? 0),
    returnReport,
  };
}

/**
 * What the case was last told of the return, keys in one order (PostgreSQL's jsonb keeps its own):
 * the same state read again tells it nothing.
 */
function stateKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stateKey).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stateKey(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
/** Cases that have ended: the report no longer needs to reach back for them. */
const ENDED = ['refunded', 'refused', 'closed', 'exchanged', 'reshipped'];

/** What one read of a returns report came to. */
export interface ReturnsReportRead {
  /** Amazon's `processingStatus`: `IN_QUEUE` / `IN_PROGRESS` are read again on a later round. */
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
  rows: number;
  /** Returns (order and RMA) that became cases now. */
  opened: number;
  /** Returns already cases here whose rows show nothing new since the case was last told. */
  known: number;
  /**
   * Returns already cases here whose rows changed (delivered to the seller, refunded, closed): the
   * case was told (docs/platforms/amazon-returns.md, "Following a return").
   */
  updated: number;
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
      const reports = createAmazonReturnsReports({
        shopId,
        platformShopId: shop.platformShopId,
        baseUrl: shop.baseUrl,
        credentials: shop.credentials,
        ...options,
      });
      return Object.assign(reports, { closedStatuses: returnsClosedStatuses(shop.credentials.extra) });
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
    state: AmazonReturnState,
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
    const requestedMinor = foreign
      ? largestMinorWithin(matched.amountMinor, foreign.currency, foreign.rate)
      : matched.amountMinor;
    return {
      current: {
        platformCaseId: amazonReturnCaseId(first),
        platformOrderId: first.orderId,
        kind: 'return_refund',
        ...followed(state, requestedMinor, foreign?.currency ?? null),
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

  /**
   * The known return's case as this read shows it: only its state matters to a running case (its
   * lines and amount were fixed when it opened); `modifiedAt` is now, so the case takes it as news.
   */
  async function updateOf(
    shopId: string,
    caseId: string,
    rows: AmazonReturnRow[],
    state: AmazonReturnState,
  ): Promise<PlatformCase> {
    const first = rows[0]!;
    const row = await db
      .selectFrom('after_sale_cases')
      .select(['requested_fen', 'opened_at'])
      .where('id', '=', caseId)
      .executeTakeFirst();
    const order = await db
      .selectFrom('orders')
      .select(['fx'])
      .where('id', '=', orderWorkflowId('amazon', shopId, first.orderId))
      .executeTakeFirst();
    const fx = order?.fx as { originalCurrency?: unknown } | null | undefined;
    const currency = typeof fx?.originalCurrency === 'string' ? fx.originalCurrency : null;
    const requested = Date.parse(first.returnRequestDate ?? '');
    return {
      platformCaseId: amazonReturnCaseId(first),
      platformOrderId: first.orderId,
      kind: 'return_refund',
      ...followed(state, row?.requested_fen ?? null, currency),
      ...(currency ? { currency } : {}),
      reason: '',
      lineIds: [],
      shipped: true,
      ...(first.trackingId && first.carrier
        ? { buyerReturn: { company: first.carrier, trackingNo: first.trackingId } }
        : {}),
      createdAt: new Date(Number.isNaN(requested) ? 0 : requested).toISOString(),
      modifiedAt: new Date().toISOString(),
    };
  }

  return {
    /**
     * `createReport` for the returns requested in [from, to) — from earlier when one of the shop's
     * Amazon cases is still open, back to its request date (at most 60 days a report): a return's
     * later rows (delivered, refunded, closed) are in the reports that cover its request date, and
     * the sync's own window only overlaps the last one by a couple of days.
     */
    async requestReturnsReport(input: {
      shopId: string;
      from: string;
      to: string;
    }): Promise<{ reportId: string; from: string }> {
      const reports = await reportsOf(input.shopId);
      const to = new Date(input.to);
      const oldest = await db
        .selectFrom('after_sale_cases')
        .select((eb) => eb.fn.min('opened_at').as('at'))
        .where('shop_id', '=', input.shopId)
        .where('platform', '=', 'amazon')
        .where('status', 'not in', ENDED)
        .executeTakeFirst();
      const earliest = to.getTime() - RETURNS_REPORT_MAX_DAYS * 86_400_000 + 60_000;
      const open = oldest?.at ? new Date(oldest.at).getTime() : Infinity;
      const from = new Date(Math.max(Math.min(Date.parse(input.from), open), earliest));
      const { reportId } = await asPlatformCall(() => reports.request({ from, to }));
      return { reportId, from: from.toISOString() };
    },

    /**
     * Reads the report once; when Amazon has it ready, every return not yet a case here becomes
     * one (`aftersale:amazon:{shopId}:{orderId}-{rmaId}`), and every return already a case whose
     * rows changed since its case was last told (delivered to the seller, refunded, closed) tells
     * it. Read again (a retry, an overlapping window, the hourly report over the same returns),
     * nothing is started twice — the case's id is the return's — and nothing unchanged is told.
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
          return { status: 'FATAL', rows: 0, opened: 0, known: 0, updated: 0, unmatched: 0, skipped: 0 };
        throw err;
      }
      const read: ReturnsReportRead = {
        status: report.processingStatus,
        rows: 0,
        opened: 0,
        known: 0,
        updated: 0,
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
      const ids = [...byCase.keys()];
      if (ids.length === 0) return read;
      const [cases, told] = await Promise.all([
        db.selectFrom('after_sale_cases').select('id').where('id', 'in', ids).execute(),
        db
          .selectFrom('amazon_return_reads')
          .select(['case_id', 'state'])
          .where('case_id', 'in', ids)
          .execute(),
      ]);
      const toldState = new Map(told.map((r) => [r.case_id, stateKey(r.state)]));
      const known = new Set([...cases.map((r) => r.id), ...toldState.keys()]);
      /** What the case now knows of the return: the next read tells it only what changes. */
      const remember = async (caseId: string, state: AmazonReturnState) => {
        const value = JSON.stringify(state);
        await db
          .insertInto('amazon_return_reads')
          .values({ case_id: caseId, shop_id: input.shopId, state: value, told_at: new Date() })
          .onConflict((c) => c.column('case_id').doUpdateSet({ state: value, told_at: new Date() }))
          .execute();
      };
      const shop = { shopId: input.shopId, platform: 'amazon' as const };
      const takenByOrder = new Map<string, Set<string>>();
      for (const [id, rows] of byCase) {
        const state = amazonReturnState(rows, reports.closedStatuses);
        if (known.has(id)) {
          // Told already, and nothing changed since.
          if (toldState.get(id) === stateKey(state)) {
            read.known += 1;
            continue;
          }
          // A case opened before its state was kept, or one whose return moved on: told now.
          // Its workflow may have ended (a person closed it): nothing more to tell it then.
          await startOrSignalCase(deps, shop, await updateOf(input.shopId, id, rows, state));
          await remember(id, state);
          read.updated += 1;
          Context.current().heartbeat();
          continue;
        }
        const orderKey = rows[0]!.orderId;
        if (!takenByOrder.has(orderKey)) takenByOrder.set(orderKey, new Set());
        const { current, unmatched } = await caseOf(input.shopId, rows, takenByOrder.get(orderKey)!, state);
        read.unmatched += unmatched;
        const outcome = await startOrSignalCase(deps, shop, current);
        await remember(id, state);
        if (outcome === 'started') read.opened += 1;
        else read.known += 1;
        Context.current().heartbeat();
      }
      return read;
    },
  };
}

export type AmazonReturnsActivities = ReturnType<typeof createAmazonReturnsActivities>;

import { z } from 'zod';
import type { AfterSalesApi, PlatformCase } from '../after-sales-types.js';
import { caseStatusOf, rejectedWrite } from '../after-sales-writes.js';
import { PlatformError } from '../errors.js';
import { readNumberedPage } from '../page-cursor.js';
import type { AdapterContext, ListWindow, RefundCaseStatus, RefundInfo, RefundPage } from '../types.js';
import { wireId, wireList, wireText } from '../wire-fields.js';
import { checkedWindow } from '../window.js';
import { createTemuClient, type TemuClient } from './client.js';
import { TemuParentOrderSchema } from './wire.js';

/**
 * Temu after-sales (docs/platforms/temu.md, "After-sales"): the partner docs' Return and Refund
 * group as copied publicly. A case is a parent after-sales order (`parentAfterSalesSn`) of a
 * parent order, listed by status-change time with `bg.aftersales.parentaftersales.list.get`, its
 * lines and money read with `temu.aftersales.parentaftersales.detail.get`, and agreed with
 * `temu.aftersales.refund.issue` — a full refund only (`openApiRefundType` 1, the one value the
 * docs list), offered while the case lists operation 1. The group names no call that refuses a
 * request or agrees a part: both are `not_offered` (Temu decides; a person answers in the Seller
 * Center).
 */

/** `bg.aftersales.parentaftersales.list.get`: `pageSize` default 10, at most 200 (docs). */
export const TEMU_AFTER_SALES_PAGE = 200;

/** The detail's and the list's operation code for a full refund (`availableOperateList`). */
const FULL_REFUND = 1;

const seconds = z.number().int().nullish();

const TemuMoneyBlockSchema = z
  .object({ currency: wireText, amount: z.union([z.number(), z.bigint(), z.string()]).nullish() })
  .nullish()
  .transform((m) => (m ? { currency: m.currency, minor: Number(m.amount ?? 0) } : undefined));

/** One entry of the list's `result.data`. */
export const TemuParentAfterSalesSchema = z.object({
  parentAfterSalesSn: z.string().min(1),
  parentOrderSn: z.string().min(1),
  afterSalesType: z.number().int(),
  parentAfterSalesStatus: z.number().int(),
  afterSalesStatusGroup: z.number().int().nullish(),
  createAt: seconds,
  updateAt: seconds,
  availableOperateList: wireList(z.number().int()),
  operateExpireTimeMs: z.union([z.number(), z.bigint()]).nullish(),
});
export type TemuParentAfterSales = z.infer<typeof TemuParentAfterSalesSchema>;

const TemuAfterSalesListSchema = z.object({
  total: z.union([z.number(), z.bigint()]).nullish(),
  pageNumber: z.number().int().nullish(),
  data: wireList(z.unknown()),
});

/** `temu.aftersales.parentaftersales.detail.get` `result`. */
export const TemuAfterSalesDetailSchema = z.object({
  parentAfterSalesSn: z.string().min(1),
  parentOrderSn: z.string().min(1),
  afterSalesType: z.number().int(),
  parentAfterSalesStatus: z.number().int(),
  createAtMillis: z.union([z.number(), z.bigint()]).nullish(),
  lastUpdateAtMillis: z.union([z.number(), z.bigint()]).nullish(),
  availableOperateList: wireList(z.number().int()),
  refundSummary: z.object({ buyerTotalRefund: TemuMoneyBlockSchema }).passthrough().nullish(),
  afterSalesList: wireList(
    z.object({
      afterSalesSn: wireId,
      orderSn: z.string().min(1),
      applyAfterSalesGoodsNumber: z.number().int().nullish(),
      applyRefundAmount: TemuMoneyBlockSchema,
      afterSalesReasonDesc: wireText,
      buyerComment: wireText,
      afterSalesStatus: z.number().int().nullish(),
    }),
  ),
});
export type TemuAfterSalesDetail = z.infer<typeof TemuAfterSalesDetailSchema>;

/**
 * `parentAfterSalesStatus` → the refund's state. The values (1–11) are a public integration's
 * table of Temu's labels; the docs' own text (copied) gives 1–4 and truncates: 1 buyer applied for
 * a refund, pending processing; 2 buyer shipped the return package; 3 return received, pending the
 * merchant; 4 refund initiated, system processing; 5 refunded; 6 buyer cancelled; 7 refund
 * rejected; 8 buyer returns with the merchant's label, pending the merchant's review and label;
 * 9 refund initiated, system processing; 10 buyer applied for a return; 11 platform reviewing.
 * A value outside the table is an error on the read, never a guess.
 */
const STATUS: Record<number, RefundCaseStatus> = {
  1: 'requested',
  2: 'returning',
  3: 'requested',
  4: 'agreed',
  5: 'refunded',
  6: 'closed',
  7: 'refused',
  8: 'requested',
  9: 'agreed',
  10: 'returning',
  11: 'requested',
};

function statusOf(sn: string, value: number): RefundCaseStatus {
  const status = STATUS[value];
  if (!status) {
    throw new PlatformError(
      `temu after-sales ${sn}: parentAfterSalesStatus ${value} is not one we know`,
      'temu',
      'unexpected_response',
    );
  }
  return status;
}

const kindOf = (afterSalesType: number) => (afterSalesType === 2 ? 'return_refund' : 'refund_only');
const iso = (value: number | bigint | null | undefined, unitMs: number) =>
  value === null || value === undefined || Number(value) <= 0
    ? undefined
    : new Date(Number(value) * unitMs).toISOString();

/** The case's refund: the buyer's total where the summary gives it, else the lines' asks. */
function refundOf(detail: TemuAfterSalesDetail, fallbackCurrency: string) {
  const total = detail.refundSummary?.buyerTotalRefund;
  const lines = detail.afterSalesList.map((l) => l.applyRefundAmount).filter((m) => m !== undefined);
  const minor = total ? total.minor : lines.reduce((sum, m) => sum + m.minor, 0);
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new PlatformError(
      `temu after-sales ${detail.parentAfterSalesSn}: refund amount we cannot read`,
      'temu',
      'unexpected_response',
    );
  }
  return { minor, currency: total?.currency || lines[0]?.currency || fallbackCurrency };
}

interface TemuAfterSalesReader {
  list(params: Record<string, unknown>): Promise<{ total: number; items: TemuParentAfterSales[] }>;
  detail(parentOrderSn: string, parentAfterSalesSn: string): Promise<TemuAfterSalesDetail>;
}

function readerOf(client: TemuClient): TemuAfterSalesReader {
  return {
    async list(params) {
      const result = await client.call(
        'bg.aftersales.parentaftersales.list.get',
        { pageSize: TEMU_AFTER_SALES_PAGE, ...params },
        TemuAfterSalesListSchema,
      );
      const items = result.data.map((raw) => {
        const parsed = TemuParentAfterSalesSchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new PlatformError(
            `temu after-sales list entry we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
            'temu',
            'unexpected_response',
          );
        }
        return parsed.data;
      });
      return { total: Number(result.total ?? items.length), items };
    },
    detail: (parentOrderSn, parentAfterSalesSn) =>
      client.call(
        'temu.aftersales.parentaftersales.detail.get',
        { parentOrderSn, parentAfterSalesSn },
        TemuAfterSalesDetailSchema,
      ),
  };
}

/** A listed case with its detail → the poll's refund (lines and money from the detail). */
function refundInfoOf(
  entry: TemuParentAfterSales,
  detail: TemuAfterSalesDetail,
  currency: string,
): RefundInfo {
  const money = refundOf(detail, currency);
  const modifiedAt = iso(detail.lastUpdateAtMillis, 1) ?? iso(entry.updateAt, 1000);
  const createdAt = iso(detail.createAtMillis, 1) ?? iso(entry.createAt, 1000) ?? modifiedAt;
  if (!modifiedAt || !createdAt) {
    throw new PlatformError(
      `temu after-sales ${entry.parentAfterSalesSn}: times missing`,
      'temu',
      'unexpected_response',
    );
  }
  const lineIds = [...new Set(detail.afterSalesList.map((l) => l.orderSn))];
  const reason = detail.afterSalesList.map((l) => l.afterSalesReasonDesc).find((r) => r !== '');
  return {
    platformRefundId: entry.parentAfterSalesSn,
    platformOrderId: entry.parentOrderSn,
    status: statusOf(entry.parentAfterSalesSn, detail.parentAfterSalesStatus),
    kind: detail.afterSalesType === 2 ? 'return_and_refund' : 'refund_only',
    amountMinor: money.minor,
    currency: money.currency,
    ...(reason ? { reason } : {}),
    ...(lineIds.length > 0 ? { lineIds } : {}),
    createdAt,
    modifiedAt,
  };
}

/**
 * The poll's side (the adapter's `listRefunds`): cases whose status changed in the window
 * (`updateAtStart`/`updateAtEnd`, seconds, both ends included), 200 a page, each read in detail
 * for its lines and money.
 */
export async function listTemuRefunds(
  ctx: AdapterContext,
  window: ListWindow,
  maxWindowSeconds: number,
): Promise<RefundPage> {
  const { fromMs, toMs } = checkedWindow('temu', window, maxWindowSeconds);
  const reader = readerOf(createTemuClient(ctx));
  const currency = ctx.credentials.extra?.currency || 'USD';
  const { items, nextCursor } = await readNumberedPage('temu', window.cursor, TEMU_AFTER_SALES_PAGE, (page) =>
    reader.list({
      pageNo: page,
      updateAtStart: Math.floor(fromMs / 1000),
      updateAtEnd: Math.ceil(toMs / 1000) - 1,
    }),
  );
  const refunds: RefundInfo[] = [];
  for (const entry of items) {
    const detail = await reader.detail(entry.parentOrderSn, entry.parentAfterSalesSn);
    refunds.push(refundInfoOf(entry, detail, currency));
  }
  return { refunds, nextCursor };
}

/** Whether any of the order's goods had left (sub-order or parent status shipped / received). */
const SHIPPED_STATUSES = new Set([4, 5, 41, 51]);

export function createTemuAfterSales(ctx: AdapterContext): AfterSalesApi {
  const client = createTemuClient(ctx);
  const reader = readerOf(client);
  const currency = ctx.credentials.extra?.currency || 'USD';

  const getCase = async (ref: { platformCaseId: string; platformOrderId: string }): Promise<PlatformCase> => {
    const listed = await reader.list({ pageNo: 1, parentAfterSalesSnList: [ref.platformCaseId] });
    const entry = listed.items.find((e) => e.parentAfterSalesSn === ref.platformCaseId);
    if (!entry) {
      throw new PlatformError(`temu after-sales ${ref.platformCaseId} not found`, 'temu', 'not_found');
    }
    const detail = await reader.detail(entry.parentOrderSn, entry.parentAfterSalesSn);
    const info = refundInfoOf(entry, detail, currency);
    const order = TemuParentOrderSchema.parse(
      await client.call('bg.order.detail.v2.get', { parentOrderSn: entry.parentOrderSn }, z.unknown()),
    );
    const shipped =
      SHIPPED_STATUSES.has(order.parentOrderMap.parentOrderStatus) ||
      order.orderList.some((o) => SHIPPED_STATUSES.has(o.orderStatus));
    const status = caseStatusOf(info.status);
    const deadline = status === 'open' ? iso(entry.operateExpireTimeMs, 1) : undefined;
    return {
      platformCaseId: info.platformRefundId,
      platformOrderId: info.platformOrderId,
      kind: kindOf(detail.afterSalesType),
      status,
      platformStatus: String(detail.parentAfterSalesStatus),
      amountFen: info.amountMinor,
      currency: info.currency,
      reason: info.reason ?? '',
      lineIds: info.lineIds ?? [],
      shipped,
      // Temu's after-sales follow the return as well: the seller refunds once the goods are back.
      answersAfterShipment: true,
      ...(deadline ? { sellerDeadline: deadline } : {}),
      createdAt: info.createdAt,
      modifiedAt: info.modifiedAt,
    };
  };

  return {
    platform: 'temu',
    getCase,

    async agree(current, amountFen) {
      if (amountFen !== current.amountFen) {
        return {
          outcome: 'not_offered',
          message: `temu refunds a case in full only (${current.amountFen} in minor units): agree a part in the Seller Center`,
        };
      }
      if (current.status === 'agreed' || current.status === 'refunded') {
        return { outcome: 'already', status: current.status };
      }
      return rejectedWrite(async () => {
        await client.call(
          'temu.aftersales.refund.issue',
          {
            parentAfterSalesSn: current.platformCaseId,
            parentOrderSn: current.platformOrderId,
            openApiRefundType: FULL_REFUND,
          },
          z.unknown(),
        );
        return { outcome: 'done' };
      });
    },

    async refuse() {
      return {
        outcome: 'not_offered',
        message:
          "temu offers no refusal of an after-sales request by API (the partner docs' Return and Refund group names none): answer it in the Seller Center",
      };
    },
  };
}

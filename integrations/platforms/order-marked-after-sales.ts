import type { NormalizedOrder } from '../../domain/order.js';
import type { Platform } from '../../domain/platforms.js';
import type { AfterSalesApi, PlatformCase, PlatformCaseStatus } from './after-sales-types.js';
import type { PlatformAdapter } from './types.js';

/**
 * After-sales cases read from the order itself (docs/after-sales.md, "Channels whose cases come
 * with the order"). The facts name no after-sales list, detail, agree or refuse call for these
 * channels, but their orders say which lines are in after-sales and how it ended (the marker each
 * rests on is below). So a case is a line's refund as the order shows it: captured by the order
 * sweep and by every order push (the shop sync reads the order anyway), read again with the
 * order's own detail call, settled when the order says refunded or the marker is gone. The
 * platform takes no answer from us: agreeing or refusing is done in its back office (a refusal
 * before shipment is shipping the lines, as on the other channels).
 */
export const ORDER_MARKED_AFTER_SALES: Partial<Record<Platform, string>> = {
  kuaishou: 'orderRefundList[].refundStatus (10–50 open, 60 refunded, 70 failed)',
  xiaohongshu: 'orderAfterSalesStatus and skuList[].skuAfterSaleStatus (2 open, 3 done, 4 closed)',
  wechat_shop:
    'product on_aftersale_sku_cnt / finish_aftersale_sku_cnt, aftersale_detail, status 200 (all refunded)',
  weidian: 'items[].refund_status (refunding, refunded)',
  alibaba_1688:
    'productItems[].refundStatus (WAIT_SELLER_AGREE … WAIT_SELLER_RECEIVE open, REFUND_SUCCESS refunded)',
  youzan: 'refund_state (1/11 refunding, 2/12 refunded)',
  aliexpress: 'child order issue_status IN_ISSUE, order status IN_CANCEL / IN_ISSUE',
  tiktok: 'a CANCELLED line item in a live order (refunded)',
  lazada: 'item status returned / canceled in a live order (refunded)',
  ebay: 'lineItems[].refunds[] and orderPaymentStatus FULLY_REFUNDED (refunded)',
  walmart: 'a Cancelled order line in a live order (refunded)',
};

export function hasOrderMarkedAfterSales(platform: Platform): boolean {
  return ORDER_MARKED_AFTER_SALES[platform] !== undefined;
}

const STATUS: Record<'requested' | 'refunded' | 'refused' | 'closed', PlatformCaseStatus> = {
  requested: 'open',
  refunded: 'refunded',
  refused: 'refused',
  closed: 'closed',
};
const SHIPPED = new Set(['partially_shipped', 'shipped', 'completed']);
/** The case of the whole order, where the order is marked but none of its lines. */
const WHOLE = 'order';

export const orderMarkedCaseId = (platformOrderId: string, lineId: string = WHOLE) =>
  `${platformOrderId}:${lineId}`;

/** The after-sales cases the order shows: one per marked line, or one for the order. */
export function casesOfOrder(order: NormalizedOrder): PlatformCase[] {
  const shipped = SHIPPED.has(order.status);
  const base = {
    platformOrderId: order.platformOrderId,
    kind: 'refund_only' as const,
    reason: '',
    shipped,
    createdAt: order.modifiedAt,
    modifiedAt: order.modifiedAt,
  };
  const marked = order.lines.filter((l) => l.refundStatus && l.refundStatus !== 'none');
  if (marked.length > 0) {
    return marked.map((line) => ({
      ...base,
      platformCaseId: orderMarkedCaseId(order.platformOrderId, line.lineId),
      status: STATUS[line.refundStatus as keyof typeof STATUS],
      platformStatus: line.refundStatus!,
      amountFen: Math.max(0, line.unitPriceFen * line.quantity - line.discountFen),
      lineIds: [line.lineId],
    }));
  }
  if (order.refundStatus === 'none') return [];
  return [
    {
      ...base,
      platformCaseId: orderMarkedCaseId(order.platformOrderId),
      status: STATUS[order.refundStatus],
      platformStatus: order.refundStatus,
      amountFen: order.amounts.paidFen,
      lineIds: [],
    },
  ];
}

/** A case the order no longer shows (the buyer withdrew, the platform closed it): closed. */
export function closedCase(order: NormalizedOrder, platformCaseId: string): PlatformCase {
  const lineId = platformCaseId.slice(order.platformOrderId.length + 1);
  return {
    platformCaseId,
    platformOrderId: order.platformOrderId,
    kind: 'refund_only',
    status: 'closed',
    platformStatus: 'none',
    amountFen: 0,
    reason: '',
    lineIds: lineId && lineId !== WHOLE ? [lineId] : [],
    shipped: SHIPPED.has(order.status),
    createdAt: order.modifiedAt,
    modifiedAt: order.modifiedAt,
  };
}

/**
 * A channel's after-sales read through its order calls. A case the order no longer shows (the
 * buyer withdrew, the platform closed it without a refund) reads as closed.
 */
export function createOrderMarkedAfterSales(adapter: PlatformAdapter): AfterSalesApi {
  const notOffered = (what: string) => ({
    outcome: 'not_offered' as const,
    message: `${adapter.platform} names no call to ${what} an after-sales case in our facts: answer it in the ${adapter.platform} back office`,
  });
  return {
    platform: adapter.platform,
    async getCase(ref) {
      const order = await adapter.getOrder(ref.platformOrderId);
      const found = casesOfOrder(order).find((c) => c.platformCaseId === ref.platformCaseId);
      return found ?? closedCase(order, ref.platformCaseId);
    },
    agree: async () => notOffered('agree'),
    refuse: async () => notOffered('refuse'),
  };
}

import type { PlatformOrderStatus, RefundStatus } from '../../../domain/order.js';
import type { RefundCaseStatus } from '../types.js';

/**
 * PDD order status → ours (API-FACTS §2.3). PDD reports several independent fields; they are read
 * in this order, first match wins:
 *
 * | condition                                              | ours              |
 * |--------------------------------------------------------|-------------------|
 * | confirm_status 2 (已取消) or group_status 2 (团失败)      | cancelled         |
 * | trade_type 1 (定金) and step_trade_status 0 (nothing paid) | awaiting_payment |
 * | trade_type 1 (定金) and step_trade_status 1 (deposit only) | deposit_paid     |
 * | confirm_status 0 (未成交), not a presale                  | awaiting_payment  |
 * | refund_status 4 (退款成功) and order_status 1 (never shipped), every line refunded | cancelled |
 * | order_status 1 (待发货)                                   | paid              |
 * | order_status 2 (已发货待签收)                              | shipped           |
 * | order_status 3 (已签收)                                   | completed         |
 *
 * group_status 0 (拼团中) is paid money with the group still forming: `paid`, with the order's
 * `groupStatus` `forming`, which the order workflow waits out before anything is allocated.
 */
export function pddOrderStatus(o: {
  order_status: string;
  confirm_status?: string | undefined;
  group_status?: string | undefined;
  refund_status?: string | undefined;
  trade_type?: string | undefined;
  step_trade_status?: string | undefined;
  /**
   * False when the order's after-sales records show lines that were not refunded: PDD's order-level
   * 退款成功 then speaks of some goods only, and the order goes on with the others.
   */
  everyLineRefunded?: boolean | undefined;
}): PlatformOrderStatus | undefined {
  if (o.confirm_status === '2' || o.group_status === '2') return 'cancelled';
  if (o.trade_type === '1' && o.step_trade_status === '0') return 'awaiting_payment';
  if (o.trade_type === '1' && o.step_trade_status === '1') return 'deposit_paid';
  if (o.confirm_status === '0') return 'awaiting_payment';
  if (o.refund_status === '4' && o.order_status === '1' && o.everyLineRefunded !== false) return 'cancelled';
  return ({ '1': 'paid', '2': 'shipped', '3': 'completed' } as const)[o.order_status as '1' | '2' | '3'];
}

/** after_sales_status values that end a case without a refund. */
const CLOSED_AFTER_SALES = new Set(['9', '11', '12', '13']);

/**
 * Order `refund_status` → ours: 1 无售后或售后关闭 → none (closed when after_sales_status says the
 * case ended without a refund), 2 售后处理中 / 3 退款中 → requested, 4 退款成功 → refunded.
 */
export function pddRefundStatus(refundStatus?: string, afterSalesStatus?: string): RefundStatus {
  if (refundStatus === '2' || refundStatus === '3') return 'requested';
  if (refundStatus === '4') return 'refunded';
  return afterSalesStatus && CLOSED_AFTER_SALES.has(afterSalesStatus) ? 'closed' : 'none';
}

/**
 * after_sales_status → RefundInfo.status (API-FACTS §2.2 (d)):
 *
 * | PDD | meaning                          | ours      |
 * |-----|----------------------------------|-----------|
 * | 2   | 买家申请退款，待商家处理            | requested |
 * | 3   | 退货退款，待商家处理               | requested (returning once the buyer has shipped: user_shipping_status 1 ❓) |
 * | 4   | 商家同意退款，退款中               | agreed    |
 * | 5   | 平台同意退款，退款中               | agreed    |
 * | 6   | 驳回退款，待买家处理               | refused   |
 * | 7   | 已同意退货退款，待用户发货          | agreed    |
 * | 8   | 平台处理中                        | requested |
 * | 9   | 平台拒绝退款，退款关闭             | closed    |
 * | 10  | 退款成功                          | refunded  |
 * | 11  | 买家撤销                          | closed    |
 * | 12  | 买家逾期未处理，退款失败            | closed    |
 * | 13  | 买家逾期，超过有效期               | closed    |
 * | 14–18, 21–27, 32 | 换货补寄 / 维修 in progress | requested |
 * | 31, 33 | 同意拒收待用户拒收 / 待商家召回 | agreed    |
 */
export function pddRefundCaseStatus(
  afterSalesStatus: string,
  userShippingStatus?: string,
): RefundCaseStatus | undefined {
  switch (afterSalesStatus) {
    case '2':
    case '8':
      return 'requested';
    case '3':
      return userShippingStatus === '1' ? 'returning' : 'requested';
    case '4':
    case '5':
    case '7':
    case '31':
    case '33':
      return 'agreed';
    case '6':
      return 'refused';
    case '10':
      return 'refunded';
    case '9':
    case '11':
    case '12':
    case '13':
      return 'closed';
  }
  const n = Number(afterSalesStatus);
  if ((n >= 14 && n <= 18) || (n >= 21 && n <= 27) || n === 32) return 'requested';
  return undefined;
}

/** after_sales_type: 2 仅退款, 3 退货退款, 4 换货, 5 缺货补寄, 6 维修. */
export function pddRefundKind(afterSalesType: string): 'refund_only' | 'return_and_refund' | 'exchange' {
  if (afterSalesType === '2') return 'refund_only';
  if (afterSalesType === '3') return 'return_and_refund';
  return 'exchange';
}

/** A case's state as its line's refund state (docs/order-semantics.md, "Refunds are per line"). */
export function pddLineRefundStatus(status: RefundCaseStatus): RefundStatus {
  if (status === 'agreed' || status === 'returning') return 'requested';
  return status;
}

import type { PlatformOrderStatus, RefundStatus } from '../../../domain/order.js';
import type { RefundCaseStatus } from '../types.js';

/**
 * JD `orderState` → ours (⚠️ API-FACTS §3.3):
 *
 * | orderState                     | meaning                     | ours      | refund    |
 * |--------------------------------|-----------------------------|-----------|-----------|
 * | WAIT_SELLER_STOCK_OUT          | 等待出库                     | paid      |           |
 * | WAIT_SELLER_DELIVERY           | 等待发货 (海外购)             | paid      |           |
 * | WAIT_SEND_CODE                 | 等待发码                     | paid      |           |
 * | POP_ORDER_PAUSE                | 暂停                         | paid      |           |
 * | LOCKED                         | 已锁定 (cancellation pending) | paid      | requested |
 * | WAIT_GOODS_RECEIVE_CONFIRM     | 等待确认收货                  | shipped   |           |
 * | SEND_TO_DISTRIBUTION_CENER     | (LBP/SOPL) 发往配送中心        | shipped   |           |
 * | DISTRIBUTION_CENTER_RECEIVED   | (LBP/SOPL) 配送中心已收货      | shipped   |           |
 * | FINISHED_L, RECEIPTS_CONFIRM   | 完成 / 收款确认               | completed |           |
 * | TRADE_CANCELED                 | 取消                         | cancelled | refunded if it had been paid |
 *
 * JD order payloads carry no refund status of their own; refund cases come from
 * `jingdong.pop.afs.soa.refundapply.queryPageList` (listRefunds).
 */
const ORDER_STATE: Record<string, PlatformOrderStatus> = {
  WAIT_SELLER_STOCK_OUT: 'paid',
  WAIT_SELLER_DELIVERY: 'paid',
  WAIT_SEND_CODE: 'paid',
  POP_ORDER_PAUSE: 'paid',
  LOCKED: 'paid',
  WAIT_GOODS_RECEIVE_CONFIRM: 'shipped',
  SEND_TO_DISTRIBUTION_CENER: 'shipped',
  DISTRIBUTION_CENTER_RECEIVED: 'shipped',
  FINISHED_L: 'completed',
  RECEIPTS_CONFIRM: 'completed',
  TRADE_CANCELED: 'cancelled',
};

export const jdOrderStatus = (state: string): PlatformOrderStatus | undefined => ORDER_STATE[state];

export function jdRefundStatus(state: string, paid: boolean): RefundStatus {
  if (state === 'LOCKED') return 'requested';
  if (state === 'TRADE_CANCELED' && paid) return 'refunded';
  return 'none';
}

/** Every state above, for the `order_state` filter of the search. */
export const JD_ORDER_STATES = Object.keys(ORDER_STATE);

/**
 * 退款审核单 `status` → RefundInfo.status (API-FACTS §3.2 (d)): 0 未审核 requested; 1 审核通过,
 * 5 人工审核通过, 7 青龙拦截成功 agreed; 2 审核不通过, 4 京东财务审核不通过, 8 青龙拦截失败 refused;
 * 3 京东财务审核通过, 6 拦截并退款, 9 强制关单并退款 refunded.
 */
const REFUND_APPLY_STATUS: Record<string, RefundCaseStatus> = {
  '0': 'requested',
  '1': 'agreed',
  '5': 'agreed',
  '7': 'agreed',
  '2': 'refused',
  '4': 'refused',
  '8': 'refused',
  '3': 'refunded',
  '6': 'refunded',
  '9': 'refunded',
};

export const jdRefundCaseStatus = (status: string): RefundCaseStatus | undefined =>
  REFUND_APPLY_STATUS[status];

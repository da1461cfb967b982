import type { RefundCaseStatus } from '../types.js';
import type { PlatformOrderStatus, RefundStatus } from '../../../domain/order.js';

/**
 * TOP trade status → our status (API-FACTS §1.3; meanings are the doc's).
 *
 * | TOP status                 | meaning                                   | ours              |
 * |----------------------------|-------------------------------------------|-------------------|
 * | TRADE_NO_CREATE_PAY        | no Alipay trade yet                       | awaiting_payment  |
 * | WAIT_BUYER_PAY             | waiting for payment                       | awaiting_payment  |
 * |   + step FRONT_PAID_FINAL_NOPAID | presale deposit paid, balance due   | deposit_paid      |
 * | PAY_PENDING                | card payment being confirmed              | awaiting_payment  |
 * | WAIT_PRE_AUTH_CONFIRM      | 0-yuan purchase contract                  | awaiting_payment  |
 * | PAID_FORBID_CONSIGN        | paid; group forming or shipping blocked   | paid (see note)   |
 * | WAIT_SELLER_SEND_GOODS     | paid, waiting for shipment                | paid              |
 * | SELLER_CONSIGNED_PART      | partly shipped                            | partially_shipped |
 * | WAIT_BUYER_CONFIRM_GOODS   | shipped                                   | shipped           |
 * | TRADE_BUYER_SIGNED         | buyer signed (cash on delivery)           | shipped           |
 * | TRADE_FINISHED             | trade succeeded                           | completed         |
 * | TRADE_CLOSED               | closed after a full refund                | cancelled         |
 * | TRADE_CLOSED_BY_TAOBAO     | closed before payment                     | cancelled         |
 *
 * PAID_FORBID_CONSIGN is money received, so it is `paid`, with the order's `groupStatus` `forming`
 * (normalize.ts): the order waits, allocating nothing, until a newer snapshot moves on
 * (WAIT_SELLER_SEND_GOODS: the group formed or the block lifted; TRADE_CLOSED: it failed).
 * Unknown statuses are reported as errors rather than guessed.
 */
const TRADE_STATUS: Record<string, PlatformOrderStatus> = {
  TRADE_NO_CREATE_PAY: 'awaiting_payment',
  WAIT_BUYER_PAY: 'awaiting_payment',
  PAY_PENDING: 'awaiting_payment',
  WAIT_PRE_AUTH_CONFIRM: 'awaiting_payment',
  PAID_FORBID_CONSIGN: 'paid',
  WAIT_SELLER_SEND_GOODS: 'paid',
  SELLER_CONSIGNED_PART: 'partially_shipped',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_BUYER_SIGNED: 'shipped',
  TRADE_FINISHED: 'completed',
  TRADE_CLOSED: 'cancelled',
  TRADE_CLOSED_BY_TAOBAO: 'cancelled',
};

export function topOrderStatus(status: string, stepTradeStatus?: string): PlatformOrderStatus | undefined {
  if (status === 'WAIT_BUYER_PAY' && stepTradeStatus === 'FRONT_PAID_FINAL_NOPAID') return 'deposit_paid';
  return TRADE_STATUS[status];
}

/**
 * Sub-order `refund_status` → the order's refund status. Any open case wins, then a success,
 * then a closed case.
 *
 * | TOP refund status                          | ours      |
 * |--------------------------------------------|-----------|
 * | (empty), NO_REFUND                         | none      |
 * | WAIT_SELLER_AGREE                          | requested |
 * | WAIT_BUYER_RETURN_GOODS                    | requested |
 * | WAIT_SELLER_CONFIRM_GOODS                  | requested |
 * | SELLER_REFUSE_BUYER                        | refused   |
 * | WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS, EXCHANGE_TRANSFORM_TO_REFUND, WAIT_SELLER_CONSIGN_GOODS | requested |
 * | SUCCESS                                    | refunded  |
 * | CLOSED                                     | closed    |
 *
 * SELLER_REFUSE_BUYER is `refused`: the seller said no, so the line ships again; the buyer may still
 * change the request or escalate, which TOP reports as a new open status.
 * Each sub-order keeps its own status (the line's `refundStatus`); the order-level value is the
 * roll-up shown to people.
 */
export function topLineRefundStatus(status: string | undefined): RefundStatus {
  if (!status || status === 'NO_REFUND') return 'none';
  if (status === 'SUCCESS') return 'refunded';
  if (status === 'CLOSED') return 'closed';
  if (status === 'SELLER_REFUSE_BUYER') return 'refused';
  return 'requested';
}

export function topRefundStatus(lineStatuses: Array<string | undefined>): RefundStatus {
  const all = lineStatuses.map(topLineRefundStatus);
  for (const wanted of ['requested', 'refused', 'refunded', 'closed'] as const)
    if (all.includes(wanted)) return wanted;
  return 'none';
}

/**
 * Refund case status (`taobao.refunds.receive.get`) → RefundInfo.status.
 *
 * | TOP                        | ours      |
 * |----------------------------|-----------|
 * | WAIT_SELLER_AGREE          | requested |
 * | WAIT_BUYER_RETURN_GOODS    | agreed    |
 * | WAIT_SELLER_CONFIRM_GOODS  | returning |
 * | SELLER_REFUSE_BUYER        | refused   |
 * | SUCCESS                    | refunded  |
 * | CLOSED                     | closed    |
 * | exchange states            | requested / agreed (kind 'exchange') |
 */
const REFUND_CASE_STATUS: Record<string, RefundCaseStatus> = {
  WAIT_SELLER_AGREE: 'requested',
  WAIT_BUYER_RETURN_GOODS: 'agreed',
  WAIT_SELLER_CONFIRM_GOODS: 'returning',
  SELLER_REFUSE_BUYER: 'refused',
  SUCCESS: 'refunded',
  CLOSED: 'closed',
  WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS: 'agreed',
  WAIT_SELLER_CONSIGN_GOODS: 'agreed',
  EXCHANGE_TRANSFORM_TO_REFUND: 'requested',
};

export const EXCHANGE_STATUSES = new Set([
  'WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS',
  'WAIT_SELLER_CONSIGN_GOODS',
]);

export function topRefundCaseStatus(status: string): RefundCaseStatus | undefined {
  return REFUND_CASE_STATUS[status];
}

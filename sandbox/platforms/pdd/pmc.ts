import type { SimOrder } from '../../orders/model.js';
import { pddTime } from './render.js';

/**
 * PMC frames as PDD's message service sends them over its WebSocket (API-FACTS §2.4):
 * `{"id","commandType":"Common","time","sendTime","message":{"type","mallID","content"}}` where
 * content is a JSON string. Topics are the community-documented ones (⚠️).
 */
export interface PmcSnapshot {
  status: SimOrder['status'];
  refundStatus?: string;
}

export const pmcSnapshotOf = (order: SimOrder): PmcSnapshot => ({
  status: order.status,
  ...(order.refund ? { refundStatus: order.refund.status } : {}),
});

/** The topic of a change from `previous` to `order`, or undefined when PDD would publish nothing. */
export function pmcTopicFor(previous: PmcSnapshot | undefined, order: SimOrder): string | undefined {
  if (order.refund && order.refund.status !== previous?.refundStatus) {
    if (order.refund.status === 'requested') return 'pdd_refund_RefundCreated';
    if (order.refund.status === 'agreed' || order.refund.status === 'refunded')
      return 'pdd_refund_RefundAgreeAgreement';
    if (order.refund.status === 'closed') return 'pdd_refund_RefundClosed';
    return undefined;
  }
  if (previous?.status === order.status) return 'pdd_trade_TradeLogisticsAddressChanged';
  if (order.status === 'paid') return 'pdd_trade_TradeConfirmed';
  if (order.status === 'shipped') return 'pdd_trade_TradeSellerShip';
  if (order.status === 'completed') return 'pdd_trade_TradeSuccess';
  return undefined;
}

/** One `Common` frame for `order` on `topic`; ids are written as bare 64-bit numbers. */
export function renderPmcFrame(
  order: SimOrder,
  topic: string,
  options: { id: string; mallId: string; now: Date },
): string {
  const content = topic.startsWith('pdd_refund_')
    ? {
        mall_id: Number(options.mallId),
        refund_fee: order.refund?.amountMinor ?? 0,
        bill_type: 1,
        modified: order.modifiedAt.getTime(),
        refund_id: Number(order.refund?.id ?? 0),
        operation: 1000,
        tid: order.id,
      }
    : { mall_id: Number(options.mallId), tid: order.id, modified: pddTime(order.modifiedAt) };
  const contentText = JSON.stringify(content).replace(
    /"refund_id":\d+/,
    `"refund_id":${order.refund?.id ?? 0}`,
  );
  const now = options.now.getTime();
  return (
    `{"id":${options.id},"commandType":"Common","time":${now},"sendTime":${now},` +
    `"message":{"type":${JSON.stringify(topic)},"mallID":${options.mallId},"content":${JSON.stringify(contentText)}}}`
  );
}

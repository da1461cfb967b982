import { WebhookSignatureError } from '../../platforms/errors.js';
import { yuanToFen, type RefundNotice } from '../types.js';
import { verifyAlipayNotify } from './sign.js';

/** What Alipay expects back from a notification it may stop resending (AFTER-SALES-FACTS §2.1). */
export const ALIPAY_NOTIFY_ACK = 'success';

/**
 * A partial refund reaches us as the payment's `trade_status_sync` notification carrying
 * `refund_fee` (the trade's refunded total), `gmt_refund` and `out_biz_no` (our `out_request_no`);
 * a full refund may arrive only as `TRADE_CLOSED`. It is a hint: the caller reconciles with the
 * refund query. Returns undefined for a verified notification that is not about a refund.
 */
export function parseAlipayNotify(
  body: string,
  alipayPublicKey: string,
  appId?: string,
): RefundNotice | undefined {
  const fields = Object.fromEntries(new URLSearchParams(body));
  if (!verifyAlipayNotify(fields, alipayPublicKey)) {
    throw new WebhookSignatureError('Alipay notification signature does not verify');
  }
  if (appId && fields.app_id && fields.app_id !== appId) {
    throw new WebhookSignatureError('Alipay notification is for another app');
  }
  if (!fields.out_trade_no || !fields.out_biz_no || !fields.refund_fee) return undefined;
  return {
    channel: 'alipay',
    noticeId: fields.notify_id ?? `${fields.out_biz_no}:${fields.gmt_refund ?? ''}`,
    outTradeNo: fields.out_trade_no,
    refundNo: fields.out_biz_no,
    state: 'succeeded',
    refundedFen: yuanToFen(fields.refund_fee),
    ...(fields.trade_no ? { channelRefundId: fields.trade_no } : {}),
  };
}

/**
 * One refund interface for every payment channel that can take a buyer's money for an own store
 * or mini-program order (Alipay, WeChat Pay). Amounts are integers in fen; the channel converts.
 */
export type PaymentChannelName = 'alipay' | 'wechatpay';

export const PAYMENT_CHANNELS: readonly PaymentChannelName[] = ['alipay', 'wechatpay'];

export interface RefundRequest {
  /** Our trade number the payment was taken under (Alipay and WeChat Pay `out_trade_no`). */
  outTradeNo: string;
  /**
   * The refund's own number and idempotency key (Alipay `out_request_no`, WeChat `out_refund_no`):
   * sending the same number again is the same refund, never a second one.
   */
  refundNo: string;
  amountFen: number;
  /** What the trade took in all (WeChat Pay requires it). */
  totalFen: number;
  reason?: string;
  /** Where the channel should notify us (WeChat Pay `notify_url`; Alipay's common `notify_url`). */
  notifyUrl?: string;
}

/**
 * Where a refund stands at the channel:
 * - `succeeded`: the money went back to the buyer;
 * - `processing`: accepted, the money has not landed yet (WeChat PROCESSING);
 * - `abnormal`: WeChat ABNORMAL (the buyer's card or account cannot take it): a person acts;
 * - `closed`: WeChat CLOSED, the refund will not happen;
 * - `failed`: refused outright (balance too low, amount above what is left, trade unknown);
 * - `not_found`: the channel has no refund under that number (safe to send it).
 */
export type RefundState = 'succeeded' | 'processing' | 'abnormal' | 'closed' | 'failed' | 'not_found';

export interface RefundOutcome {
  channel: PaymentChannelName;
  refundNo: string;
  state: RefundState;
  /** This refund's amount as the channel reports it (0 when unknown or not found). */
  refundedFen: number;
  /** The channel's own id for the refund or trade, when it gave one. */
  channelRefundId?: string;
  /** The channel's code and words when it refused or failed. */
  code?: string;
  detail?: string;
}

export interface RefundChannel {
  readonly name: PaymentChannelName;
  /** Sends the refund once: a repeat with the same `refundNo` is the same refund at the channel. */
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /** Reads the refund back by its number. */
  query(ref: { outTradeNo: string; refundNo: string }): Promise<RefundOutcome>;
}

/** A refund notification, verified and decoded, from either channel. */
export interface RefundNotice {
  channel: PaymentChannelName;
  /** The notification's own id, for de-duplication (WeChat `id`, Alipay `notify_id`). */
  noticeId: string;
  outTradeNo: string;
  refundNo: string;
  state: RefundState;
  refundedFen: number;
  channelRefundId?: string;
}

/** yuan string ("12.30") → fen. */
export function yuanToFen(yuan: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!match) throw new Error(`not a yuan amount: ${yuan}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** fen → yuan string with two decimals. */
export function fenToYuan(fen: number): string {
  if (!Number.isInteger(fen) || fen < 0) throw new Error(`not an amount in fen: ${fen}`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

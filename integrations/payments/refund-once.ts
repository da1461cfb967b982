import type { RefundChannel, RefundOutcome, RefundRequest } from './types.js';

/**
 * Sends a refund at most once. It asks the channel first: a refund already known under this
 * number (an earlier attempt whose answer was lost to a timeout) is returned as it stands and not
 * sent again; only a number the channel has never seen is sent. Together with a refund number
 * derived from the case and step, a retried activity never moves money twice.
 */
export async function refundOnce(channel: RefundChannel, request: RefundRequest): Promise<RefundOutcome> {
  const known = await channel.query({ outTradeNo: request.outTradeNo, refundNo: request.refundNo });
  if (known.state !== 'not_found') return known;
  return channel.refund(request);
}

import type { SimOrder } from '../../orders/model.js';
import { xiaohongshuStatus } from './render.js';
import { xiaohongshuPushSign } from './verify.js';

/**
 * A Xiaohongshu `msg_fulfillment_status_change` push (MORE-CHANNELS §2.4: the topic is confirmed;
 * the body and its `sign` header are the assumed, UNCONFIRMED shape the adapter reads).
 */
export function renderXiaohongshuPush(
  secret: string,
  order: SimOrder,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    msgTag: 'msg_fulfillment_status_change',
    sellerId: order.shopKey,
    data: {
      orderId: order.id,
      orderStatus: xiaohongshuStatus(order),
      updateTime: order.modifiedAt.getTime(),
    },
  });
  return {
    headers: { 'content-type': 'application/json', sign: xiaohongshuPushSign(secret, body) },
    body,
  };
}

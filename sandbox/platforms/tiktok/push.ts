import type { SimOrder } from '../../orders/model.js';
import { tiktokStatus } from './render.js';
import { tiktokPushSignature } from './verify.js';

/**
 * A TikTok Shop webhook about an order (MORE-CHANNELS §7.4): ORDER_STATUS_UPDATE (`type` 1) unless
 * another order type is asked for (2 REVERSE_ORDER_STATUS_UPDATE, 12 RETURN_STATUS_UPDATE), the
 * shop id and the order id as strings, signed in `Authorization` over app key + body.
 */
export function renderTiktokPush(
  app: { appKey: string; appSecret: string },
  order: SimOrder,
  type: 1 | 2 | 3 | 4 | 12 = 1,
): { headers: Record<string, string>; body: string } {
  const at = Math.floor(order.modifiedAt.getTime() / 1000);
  const body = JSON.stringify({
    type,
    tts_notification_id: `7${order.id.slice(1)}${at % 10}`,
    shop_id: order.shopKey,
    timestamp: at,
    data: { order_id: order.id, order_status: tiktokStatus(order), is_on_hold_order: false, update_time: at },
  });
  return {
    headers: {
      'content-type': 'application/json',
      authorization: tiktokPushSignature(app.appKey, app.appSecret, body),
    },
    body,
  };
}

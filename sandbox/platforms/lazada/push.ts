import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';
import { bare, renderLazadaItems } from './render.js';
import { lazadaPushSignature } from './verify.js';

/**
 * A Lazada trade-order push (MORE-CHANNELS §8.4, UNCONFIRMED): `message_type` 0, the order id a
 * bare JSON number, signed in `Authorization` over app key + body.
 */
export function renderLazadaPush(
  app: { appKey: string; appSecret: string },
  order: SimOrder,
): { headers: Record<string, string>; body: string } {
  const body = stringify({
    seller_id: order.shopKey,
    message_type: 0,
    data: {
      order_status: renderLazadaItems(order)[0]?.status ?? 'pending',
      trade_order_id: bare(order.id),
      trade_order_line_id: bare(order.items[0]?.lineId ?? '0'),
      status_update_time: Math.floor(order.modifiedAt.getTime() / 1000),
    },
    timestamp: Math.floor(order.modifiedAt.getTime() / 1000),
    site: `lazada_${order.receiver.country.toLowerCase()}`,
  })!;
  return {
    headers: {
      'content-type': 'application/json',
      authorization: lazadaPushSignature(app.appKey, app.appSecret, body),
    },
    body,
  };
}

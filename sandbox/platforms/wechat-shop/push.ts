import { randomBytes } from 'node:crypto';
import type { SimOrder } from '../../orders/model.js';
import { wechatSimEncrypt, wechatSimSignature } from './verify.js';

export type WechatShopEvent =
  | 'channels_ec_order_new'
  | 'channels_ec_order_pay'
  | 'channels_ec_order_cancel'
  | 'channels_ec_order_deliver'
  | 'channels_ec_order_confirm';

export function wechatShopEvent(order: SimOrder, first: boolean): WechatShopEvent {
  if (first) return 'channels_ec_order_new';
  switch (order.status) {
    case 'cancelled':
      return 'channels_ec_order_cancel';
    case 'shipped':
      return 'channels_ec_order_deliver';
    case 'completed':
      return 'channels_ec_order_confirm';
    default:
      return 'channels_ec_order_pay';
  }
}

/**
 * A WeChat Channels shop order event as WeChat pushes it (MORE-CHANNELS §3.4, the SDK's event
 * sample), JSON: in safe mode (an EncodingAESKey given) the body is `{"Encrypt": …}` and the query
 * carries `msg_signature`; in plain mode the query carries `signature` over token, timestamp and
 * nonce only.
 */
export function renderWechatShopPush(
  app: { appId: string; token: string; encodingAesKey?: string; originalId: string },
  order: SimOrder,
  event: WechatShopEvent,
): { headers: Record<string, string>; body: string; query: string } {
  const at = Math.floor(order.modifiedAt.getTime() / 1000);
  const message = JSON.stringify({
    ToUserName: app.originalId,
    FromUserName: `o${order.buyer.id.slice(-12)}`,
    CreateTime: at,
    MsgType: 'event',
    Event: event,
    order_info: {
      order_id: order.id,
      ...(event === 'channels_ec_order_pay' ? { pay_time: String(at) } : {}),
      ...(event === 'channels_ec_order_cancel' ? { cancel_type: '1' } : {}),
    },
  });
  const timestamp = String(at);
  const nonce = randomBytes(6).toString('hex');
  if (!app.encodingAesKey) {
    const query = new URLSearchParams({
      signature: wechatSimSignature(app.token, timestamp, nonce),
      timestamp,
      nonce,
    });
    return { headers: { 'content-type': 'application/json' }, body: message, query: query.toString() };
  }
  const encrypt = wechatSimEncrypt(app.encodingAesKey, app.appId, message);
  const query = new URLSearchParams({
    signature: wechatSimSignature(app.token, timestamp, nonce),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: wechatSimSignature(app.token, timestamp, nonce, encrypt),
  });
  return {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ToUserName: app.originalId, Encrypt: encrypt }),
    query: query.toString(),
  };
}

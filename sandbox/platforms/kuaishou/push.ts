import { randomUUID } from 'node:crypto';
import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';
import { bare, kuaishouStatus } from './render.js';
import { encryptKuaishouMessage } from './verify.js';

export type KuaishouEvent =
  | 'kwaishop_order_addOrder'
  | 'kwaishop_order_paySuccess'
  | 'kwaishop_order_delivering'
  | 'kwaishop_order_orderSuccess'
  | 'kwaishop_order_orderFail';

/**
 * A Kuaishou push for one order event (MORE-CHANNELS §1.4): the message JSON (`bizId` a bare
 * number, `info` a JSON string) encrypted under the message secret, posted as the raw body.
 */
export function renderKuaishouPush(
  app: { appKey: string; messageSecret: string },
  order: SimOrder,
  event: KuaishouEvent,
  options: { test?: boolean } = {},
): { headers: Record<string, string>; body: string } {
  const at = order.modifiedAt.getTime();
  const info = stringify({
    oid: bare(order.id),
    sellerId: bare(order.shopKey),
    status: kuaishouStatus(order),
    updateTime: at,
  });
  const message = stringify({
    eventId: `243_${randomUUID()}`,
    msgId: `84_${randomUUID()}`,
    bizId: bare(order.id),
    userId: bare(order.shopKey),
    openId: `s-${order.shopKey}`,
    appKey: app.appKey,
    event,
    info,
    status: 2,
    createTime: at,
    updateTime: at,
    ...(options.test ? { test: true } : {}),
  })!;
  return {
    headers: { 'content-type': 'text/plain' },
    body: encryptKuaishouMessage(app.messageSecret, message),
  };
}

export function kuaishouEvent(order: SimOrder, first: boolean): KuaishouEvent {
  if (first) return 'kwaishop_order_addOrder';
  switch (order.status) {
    case 'cancelled':
      return 'kwaishop_order_orderFail';
    case 'completed':
      return 'kwaishop_order_orderSuccess';
    case 'shipped':
      return 'kwaishop_order_delivering';
    default:
      return 'kwaishop_order_paySuccess';
  }
}

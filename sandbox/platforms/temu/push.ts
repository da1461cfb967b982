import { createCipheriv, createHmac } from 'node:crypto';
import type { SimOrder } from '../../orders/model.js';
import { parentStatus as afterSalesStatus } from './after-sales.js';

/** The events Temu's webhooks carry ("The event of webhook", docs/platforms/temu.md §Push). */
export type TemuEventCode =
  | 'bg_order_status_change_event'
  | 'bg_aftersales_status_change'
  | 'bg_cancel_order_status_change'
  | 'bg_trade_logistics_address_changed'
  | 'bg_open_event_test';

/**
 * The simulator's own writing of a Temu webhook, from the partner docs' Webhook Integration Guide
 * as copied (not from the adapter): `eventData` is the event's JSON encrypted with AES/CBC/PKCS5
 * under the first 16 bytes of the app secret, those bytes the IV too, in Base64; `x-tm-signature`
 * the hex HMAC-SHA256 under the app secret of `eventData` (decrypted) and the `x-tm-*` headers,
 * sorted by name, each name and value joined with nothing between — the guide's worked example
 * (`withExtParam`, the default) or, as its example request is signed, without `x-tm-ext-param`.
 */
export function renderTemuPush(
  app: { appKey: string; appSecret: string },
  order: SimOrder,
  options: { event?: TemuEventCode; at?: Date; withExtParam?: boolean } = {},
): { headers: Record<string, string>; body: string; eventData: Record<string, unknown> } {
  const at = options.at ?? order.modifiedAt;
  const event =
    options.event ?? (order.refund ? 'bg_aftersales_status_change' : 'bg_order_status_change_event');
  const eventData = eventOf(order, event, at);
  const plain = JSON.stringify(eventData);
  const key = Buffer.from(app.appSecret, 'utf8').subarray(0, 16);
  const cipher = createCipheriv('aes-128-cbc', key, key);
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
  const headers: Record<string, string> = {
    'x-tm-app-key': app.appKey,
    'x-tm-event-code': event,
    'x-tm-timestamp': String(at.getTime()),
    'x-tm-ext-param': '{}',
  };
  const signed: [string, string][] = [['eventData', plain], ...Object.entries(headers)];
  const text = signed
    .filter(([name]) => options.withExtParam !== false || name !== 'x-tm-ext-param')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => name + value)
    .join('');
  return {
    headers: {
      'content-type': 'application/json',
      ...headers,
      'x-tm-signature': createHmac('sha256', app.appSecret).update(text, 'utf8').digest('hex'),
    },
    body: JSON.stringify({ eventData: encrypted }),
    eventData,
  };
}

/**
 * The decrypted event: the order event's fields as "The event of webhook" lists them (`mallId,
 * parentOrderSn, orderSn, orderStatus, updateTime`); the after-sales and cancel events as a public
 * integration reads them (`mallId, parentAfterSalesSn, parentOrderSn, afterSalesType,
 * parentAfterSalesStatus, applyOperatorRole, updateAt`). Times are the simulator's choice (ms).
 */
function eventOf(order: SimOrder, event: TemuEventCode, at: Date): Record<string, unknown> {
  const mallId = Number(order.shopKey);
  switch (event) {
    case 'bg_aftersales_status_change':
    case 'bg_cancel_order_status_change': {
      const refund = order.refund;
      return {
        mallId,
        parentOrderSn: order.id,
        ...(refund
          ? {
              parentAfterSalesSn: refund.id,
              afterSalesType: refund.kind === 'refund_only' ? 1 : 2,
              parentAfterSalesStatus: afterSalesStatus(refund),
            }
          : {}),
        applyOperatorRole: 1,
        updateAt: at.getTime(),
      };
    }
    case 'bg_open_event_test':
      return { test: true };
    default:
      return {
        mallId,
        parentOrderSn: order.id,
        orderSn: order.items[0]?.lineId ?? '',
        orderStatus: order.status === 'cancelled' ? 3 : order.status === 'shipped' ? 4 : 2,
        updateTime: at.getTime(),
      };
  }
}

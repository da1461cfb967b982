import { randomUUID } from 'node:crypto';
import { bodyHmacBase64 } from '../../kit/body-hmac.js';
import type { SimOrder } from '../../orders/model.js';
import { renderWooOrder } from './render.js';

export type WooTopic = 'order.created' | 'order.updated' | 'order.deleted' | 'order.restored';

/** `X-WC-Webhook-Signature` as WooCommerce computes it: base64 HMAC-SHA256(webhook secret, payload). */
export function wooSimSignature(secret: string, body: string | Buffer): string {
  return bodyHmacBase64(secret, body);
}

/** A WooCommerce webhook delivery for an order event: exact body and Woo's headers. */
export function renderWooWebhook(
  site: { secret: string; sourceUrl: string; webhookId: number },
  order: SimOrder,
  topic: WooTopic,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(topic === 'order.deleted' ? { id: Number(order.id) } : renderWooOrder(order));
  const [resource, event] = topic.split('.') as [string, string];
  return {
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': site.sourceUrl,
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': resource,
      'x-wc-webhook-event': event,
      'x-wc-webhook-signature': wooSimSignature(site.secret, body),
      'x-wc-webhook-id': String(site.webhookId),
      'x-wc-webhook-delivery-id': randomUUID(),
    },
    body,
  };
}

/** The ping Woo posts when a webhook is saved: a form body, no signature. */
export function renderWooPing(webhookId: number): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `webhook_id=${webhookId}`,
  };
}

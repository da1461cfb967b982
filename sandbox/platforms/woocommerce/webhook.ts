import { createHmac, randomUUID } from 'node:crypto';
import type { SimOrder } from '../../orders/model.js';
import { renderWooOrder } from './render.js';

export type WooTopic = 'order.created' | 'order.updated' | 'order.deleted' | 'order.restored';

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
      'x-wc-webhook-signature': createHmac('sha256', Buffer.from(site.secret))
        .update(Buffer.from(body))
        .digest('base64'),
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

import { createHmac, randomUUID } from 'node:crypto';
import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';
import { renderShopifyOrder, renderShopifyRefund } from './render.js';

export type ShopifyTopic =
  | 'orders/create'
  | 'orders/updated'
  | 'orders/paid'
  | 'orders/cancelled'
  | 'orders/fulfilled'
  | 'refunds/create';

/** A Shopify webhook delivery for an order event: exact body and the headers Shopify sends. */
export function renderShopifyWebhook(
  app: { secret: string; shopDomain: string; apiVersion?: string },
  order: SimOrder,
  topic: ShopifyTopic,
): { headers: Record<string, string>; body: string } {
  const body =
    stringify(topic === 'refunds/create' ? renderShopifyRefund(order) : renderShopifyOrder(order)) ?? '{}';
  return {
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', Buffer.from(app.secret))
        .update(Buffer.from(body))
        .digest('base64'),
      'x-shopify-shop-domain': app.shopDomain,
      'x-shopify-api-version': app.apiVersion ?? '2025-01',
      'x-shopify-webhook-id': randomUUID(),
    },
    body,
  };
}

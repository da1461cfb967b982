import { randomUUID } from 'node:crypto';
import { stringify } from 'lossless-json';
import { bodyHmacBase64 } from '../../kit/body-hmac.js';
import type { SimOrder } from '../../orders/model.js';
import { renderShopifyOrder, renderShopifyRefund } from './render.js';
import { renderShopifyReturnWebhook } from './returns.js';

export type ShopifyTopic =
  | 'orders/create'
  | 'orders/updated'
  | 'orders/paid'
  | 'orders/cancelled'
  | 'orders/fulfilled'
  | 'refunds/create'
  | 'returns/request'
  | 'returns/approve'
  | 'returns/decline'
  | 'returns/cancel'
  | 'returns/close';

/** `X-Shopify-Hmac-Sha256` as Shopify computes it: base64 HMAC-SHA256(app client secret, body). */
export function shopifySimHmac(secret: string, body: string | Buffer): string {
  return bodyHmacBase64(secret, body);
}

/** A Shopify webhook delivery for an order event: exact body and the headers Shopify sends. */
export function renderShopifyWebhook(
  app: { secret: string; shopDomain: string; apiVersion?: string },
  order: SimOrder,
  topic: ShopifyTopic,
): { headers: Record<string, string>; body: string } {
  const body =
    stringify(
      topic === 'refunds/create'
        ? renderShopifyRefund(order)
        : topic.startsWith('returns/')
          ? renderShopifyReturnWebhook(order)
          : renderShopifyOrder(order),
    ) ?? '{}';
  return {
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': shopifySimHmac(app.secret, body),
      'x-shopify-shop-domain': app.shopDomain,
      'x-shopify-api-version': app.apiVersion ?? '2025-01',
      'x-shopify-webhook-id': randomUUID(),
    },
    body,
  };
}

import { WebhookSignatureError } from '../errors.js';
import type { WebhookEvent, WebhookParser, WebhookRequest } from '../types.js';
import { normalizeShopifyOrder, normalizeShopifyRefund } from './normalize.js';
import { verifyShopifyWebhook } from './sign.js';
import { ShopifyOrderSchema, ShopifyRefundSchema, parseShopifyJson } from './wire.js';

const ORDER_TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
  'orders/edited',
]);

/**
 * Shopify webhooks. `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256(app client secret, raw body),
 * compared in constant time (`secrets.webhookSecret` if set, else `appSecret`). `orders/*` bodies
 * are the whole order → `{kind:'order'}`; `refunds/create` carries the refund; other topics are
 * ignored. Shopify may deliver a webhook more than once: `shopifyWebhookId` is the dedupe key.
 */
export const shopifyWebhookParser: WebhookParser = {
  platform: 'shopify',
  parse(request, secrets, shop): WebhookEvent[] {
    const secret = secrets.webhookSecret ?? secrets.appSecret;
    if (!verifyShopifyWebhook(secret, request.rawBody, request.headers['x-shopify-hmac-sha256'])) {
      throw new WebhookSignatureError('shopify webhook: X-Shopify-Hmac-Sha256 does not match the body');
    }
    const domain = request.headers['x-shopify-shop-domain'];
    if (domain && shop.platformShopId && domain !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `shopify webhook for shop ${domain}` }];
    }
    const topic = request.headers['x-shopify-topic'] ?? '';
    const body = parseShopifyJson(request.rawBody.toString('utf8'));
    if (ORDER_TOPICS.has(topic)) {
      return [{ kind: 'order', order: normalizeShopifyOrder(ShopifyOrderSchema.parse(body), shop.shopId) }];
    }
    if (topic === 'refunds/create') {
      const refund = normalizeShopifyRefund(ShopifyRefundSchema.parse(body), '');
      return [
        {
          kind: 'refund_changed',
          platformOrderId: refund.platformOrderId,
          refund,
          platformRefundId: refund.platformRefundId,
        },
      ];
    }
    return [{ kind: 'ignored', reason: `shopify topic ${topic || '(none)'} is not handled` }];
  },
};

/** Shopify's delivery id: the same webhook delivered twice carries the same id. */
export function shopifyWebhookId(request: Pick<WebhookRequest, 'headers'>): string | undefined {
  return request.headers['x-shopify-webhook-id'];
}

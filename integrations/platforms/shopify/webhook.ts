import { z } from 'zod';
import { WebhookSignatureError } from '../errors.js';
import { SHOPIFY_RETURN_PREFIX } from './after-sales.js';
import type { WebhookEvent, WebhookParser, WebhookRequest } from '../types.js';
import { normalizeShopifyOrder, normalizeShopifyRefund } from './normalize.js';
import { verifyShopifyWebhook } from './sign.js';
import { ShopifyOrderSchema, ShopifyRefundSchema, parseShopifyJson } from './wire.js';

/** Return topics (AFTER-SALES-FACTS §1.7, a secondary source; `returns/process` in newer versions). */
const RETURN_TOPICS = new Set([
  'returns/request',
  'returns/approve',
  'returns/decline',
  'returns/cancel',
  'returns/close',
  'returns/reopen',
  'returns/update',
  'returns/process',
]);
const anyId = z.union([z.string(), z.number(), z.bigint()]).transform(String);
const ShopifyReturnWebhookSchema = z.object({
  id: anyId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  order_id: anyId.nullish(),
  order: z.object({ id: anyId.nullish(), admin_graphql_api_id: z.string().nullish() }).nullish(),
});
const lastPart = (id: string) => id.slice(id.lastIndexOf('/') + 1);

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
 * are the whole order → `{kind:'order'}`; `refunds/create` carries the refund; `returns/*` name a return
 * (read by the case as `return-{id}`); other topics are ignored. Shopify may deliver a webhook more than once: `shopifyWebhookId` is the dedupe key.
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
    if (RETURN_TOPICS.has(topic)) {
      // The return's body is read tolerantly (the facts give the topics, not the payload): its id and
      // its order's, as numbers or GraphQL ids; the case reads the return itself.
      const ret = ShopifyReturnWebhookSchema.parse(body);
      const returnId = ret.admin_graphql_api_id ?? ret.id;
      const orderId = ret.order?.admin_graphql_api_id ?? ret.order?.id ?? ret.order_id;
      if (!returnId || !orderId)
        return [{ kind: 'ignored', reason: `shopify ${topic} names no return or order` }];
      return [
        {
          kind: 'refund_changed',
          platformOrderId: lastPart(orderId),
          platformRefundId: `${SHOPIFY_RETURN_PREFIX}${lastPart(returnId)}`,
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

import { z } from 'zod';
import { WebhookSignatureError } from '../errors.js';
import type { WebhookEvent, WebhookParser, WebhookRequest } from '../types.js';
import { normalizeWooOrder, wooRefunds } from './normalize.js';
import { verifyWooWebhook } from './sign.js';
import { WooOrderSchema } from './wire.js';

const PING = /^webhook_id=\d+$/;

/**
 * WooCommerce webhooks. `X-WC-Webhook-Signature` = base64 HMAC-SHA256(webhook secret, raw body).
 * `order.created` / `order.updated` / `order.restored` carry the whole order (same as the REST
 * resource) → `{kind:'order'}`; `order.deleted` only says which order → order_changed. When a
 * webhook is created Woo posts an unsigned form body `webhook_id=<n>` as a ping: acknowledged and
 * ignored, since nothing is acted on. Woo disables a webhook after 5 non-2xx replies in a row.
 */
export const wooCommerceWebhookParser: WebhookParser = {
  platform: 'woocommerce',
  parse(request, secrets, shop): WebhookEvent[] {
    const raw = request.rawBody.toString('utf8').trim();
    const signature = request.headers['x-wc-webhook-signature'];
    if (!signature && PING.test(raw)) return [{ kind: 'ignored', reason: `woocommerce ping (${raw})` }];
    const secret = secrets.webhookSecret ?? secrets.appSecret;
    if (!verifyWooWebhook(secret, request.rawBody, signature)) {
      throw new WebhookSignatureError('woocommerce webhook: X-WC-Webhook-Signature does not match the body');
    }
    if (PING.test(raw)) return [{ kind: 'ignored', reason: `woocommerce ping (${raw})` }];
    const topic = request.headers['x-wc-webhook-topic'] ?? '';
    const body: unknown = JSON.parse(raw);
    if (topic === 'order.created' || topic === 'order.updated' || topic === 'order.restored') {
      const order = WooOrderSchema.parse(body);
      // No refund topic exists: each refund the order carries names a case (a known one is old news).
      return [
        { kind: 'order', order: normalizeWooOrder(order, shop.shopId) },
        ...wooRefunds(order).map((refund) => ({
          kind: 'refund_changed' as const,
          platformOrderId: refund.platformOrderId,
          platformRefundId: refund.platformRefundId,
        })),
      ];
    }
    if (topic === 'order.deleted') {
      const { id } = z.object({ id: z.union([z.string(), z.number()]).transform(String) }).parse(body);
      return [{ kind: 'order_changed', platformOrderId: id }];
    }
    return [{ kind: 'ignored', reason: `woocommerce topic ${topic || '(none)'} is not handled` }];
  },
};

/** Woo's delivery id, to recognise a redelivery. */
export function wooDeliveryId(request: Pick<WebhookRequest, 'headers'>): string | undefined {
  return request.headers['x-wc-webhook-delivery-id'];
}

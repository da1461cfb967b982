import { OrderPushSchema } from '../../../domain/order.js';
import { WebhookSignatureError } from '../errors.js';
import type { WebhookEvent, WebhookParser, WebhookRequest } from '../types.js';
import { verifyOwnPush } from './sign.js';

/**
 * Pushes from a seller's own site or mini-program (docs/own-store-push.md). The body is our
 * normalized order (`OrderPushSchema`), signed like Shopify: `X-Erp-Hmac-Sha256` = base64
 * HMAC-SHA256(shop webhook secret, raw body). A body that is not a valid push throws the ZodError
 * naming each bad field (answer 400 with those issues); a bad or missing signature throws
 * WebhookSignatureError (answer 401).
 */
export const ownWebhookParser: WebhookParser = {
  platform: 'own',
  parse(request, secrets, shop): WebhookEvent[] {
    const secret = secrets.webhookSecret ?? '';
    if (!verifyOwnPush(secret, request.rawBody, request.headers['x-erp-hmac-sha256'])) {
      throw new WebhookSignatureError(
        secret
          ? 'own push: X-Erp-Hmac-Sha256 is missing or does not match the body'
          : 'own push: the shop has no webhook secret',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
    const push = OrderPushSchema.parse(body);
    return [{ kind: 'order', order: { ...push, platform: 'own', shopId: shop.shopId } }];
  },
};

/** The seller's delivery id: the same push retried carries the same id. */
export function ownDeliveryId(request: Pick<WebhookRequest, 'headers'>): string | undefined {
  return request.headers['x-erp-delivery-id'];
}

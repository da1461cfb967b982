import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { verifyTiktokPush } from './sign.js';
import { TiktokPushSchema } from './wire.js';

/** Webhook types that concern an order (§7.4): status, reverse order, address, package, return. */
const ORDER_TYPES = new Set([1, 2, 3, 4, 12]);

/**
 * TikTok Shop webhooks (§7.4, SDK): a JSON body `{type, shop_id, timestamp, data}` signed in the
 * `Authorization` header as hex HMAC-SHA256(app secret, app key + raw body). Order types name an
 * order (`data.order_id`, 18 digits, kept exact) to fetch; other types (products, authorisation)
 * are acknowledged and ignored, as are pushes for another shop.
 */
export const tiktokWebhookParser: WebhookParser = {
  platform: 'tiktok',
  parse(request, secrets, shop) {
    if (
      !verifyTiktokPush(secrets.appKey, secrets.appSecret, request.rawBody, request.headers.authorization)
    ) {
      throw new WebhookSignatureError('tiktok push: Authorization does not match app key + body');
    }
    const push = TiktokPushSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    if (push.shop_id && push.shop_id !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `tiktok push for shop ${push.shop_id}` }];
    }
    const orderId = push.data?.order_id;
    if (!ORDER_TYPES.has(push.type) || !orderId) {
      return [{ kind: 'ignored', reason: `tiktok push type ${push.type} is not about an order` }];
    }
    const at = push.data?.update_time ?? push.timestamp;
    return [
      {
        kind: 'order_changed',
        platformOrderId: orderId,
        ...(at ? { modifiedAt: new Date(at * 1000).toISOString() } : {}),
      },
    ];
  },
};

import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { verifyLazadaPush } from './sign.js';
import { LazadaPushSchema } from './wire.js';

/**
 * Lazada push (§8.4, UNCONFIRMED): a JSON body signed in the `Authorization` header as hex
 * HMAC-SHA256(app secret, app key + raw body). `message_type` 0 (trade order) names an order
 * (`data.trade_order_id`) to fetch; other message types are acknowledged and ignored. Should
 * Lazada sign differently, pushes are refused (401) and polling still captures every order.
 */
export const lazadaWebhookParser: WebhookParser = {
  platform: 'lazada',
  parse(request, secrets, shop) {
    if (
      !verifyLazadaPush(secrets.appKey, secrets.appSecret, request.rawBody, request.headers.authorization)
    ) {
      throw new WebhookSignatureError('lazada push: Authorization does not match app key + body');
    }
    const push = LazadaPushSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    if (push.seller_id && push.seller_id !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `lazada push for seller ${push.seller_id}` }];
    }
    const orderId = push.data?.trade_order_id;
    if (push.message_type !== 0 || !orderId) {
      return [{ kind: 'ignored', reason: `lazada push type ${push.message_type} is not about an order` }];
    }
    const at = push.data?.status_update_time;
    return [
      {
        kind: 'order_changed',
        platformOrderId: orderId,
        ...(at ? { modifiedAt: new Date(at * 1000).toISOString() } : {}),
      },
    ];
  },
};

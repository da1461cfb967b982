import { WebhookSignatureError } from '../errors.js';
import type { WebhookParser } from '../types.js';
import { verifyShopeePush } from './sign.js';
import { ShopeePushSchema, parseShopeeJson } from './wire.js';

/**
 * Shopee push (`v2.push.set_app_push_config`). `Authorization` = hex HMAC-SHA256(partner_key,
 * callback_url + "|" + raw body), so `request.url` must be the exact public URL registered with
 * Shopee. Code 3 (order status update) and code 4 (tracking number) say the order changed; other
 * codes (shop authorisation, items, promotions) are acknowledged and ignored. Shopee requires the
 * reply to be a 2xx with an EMPTY body.
 */
export const shopeeWebhookParser: WebhookParser = {
  platform: 'shopee',
  parse(request, secrets, shop) {
    if (!verifyShopeePush(secrets.appSecret, request.url, request.rawBody, request.headers.authorization)) {
      throw new WebhookSignatureError('shopee push: Authorization does not match url|body');
    }
    const push = ShopeePushSchema.parse(parseShopeeJson(request.rawBody.toString('utf8')));
    if (push.shop_id && push.shop_id !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `shopee push for shop ${push.shop_id}` }];
    }
    if ((push.code === 3 || push.code === 4) && push.data?.ordersn) {
      return [
        {
          kind: 'order_changed',
          platformOrderId: push.data.ordersn,
          ...(push.data.update_time
            ? { modifiedAt: new Date(push.data.update_time * 1000).toISOString() }
            : {}),
        },
      ];
    }
    return [{ kind: 'ignored', reason: `shopee push code ${push.code} is not about an order` }];
  },
};

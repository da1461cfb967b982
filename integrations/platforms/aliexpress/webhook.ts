import { appKeyBodyHmacMatches } from '../app-key-hmac.js';
import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { AliexpressPushSchema } from './wire.js';

/**
 * AliExpress message push (§9: UNCONFIRMED). Modelled on the IOP push the facts give for its
 * sibling Lazada (§8.4): `Authorization` = hex HMAC-SHA256(app secret, app key + raw body), a JSON
 * message naming the seller (`seller_id`) and, for order messages, `data.order_id` (16 digits,
 * kept exact). An order message names an order, which is then read through the API; other
 * sellers and messages without an order are acknowledged and ignored.
 */
export const aliexpressWebhookParser: WebhookParser = {
  platform: 'aliexpress',
  parse(request, secrets, shop) {
    if (
      !appKeyBodyHmacMatches(
        secrets.appKey,
        secrets.appSecret,
        request.rawBody,
        request.headers.authorization,
      )
    )
      throw new WebhookSignatureError('aliexpress push: Authorization does not match the body');
    const push = AliexpressPushSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    if (push.seller_id !== shop.platformShopId)
      return [{ kind: 'ignored', reason: `aliexpress push for seller ${push.seller_id}` }];
    const orderId = push.data?.order_id;
    if (!orderId)
      return [
        { kind: 'ignored', reason: `aliexpress push ${push.message_type || '(no type)'} names no order` },
      ];
    return [{ kind: 'order_changed', platformOrderId: orderId }];
  },
};

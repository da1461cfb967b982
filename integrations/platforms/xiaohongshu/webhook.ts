import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { verifyXiaohongshuPush } from './sign.js';
import { XiaohongshuPushSchema } from './wire.js';

/**
 * Xiaohongshu message push (§2.4). The topics are confirmed: `msg_fulfillment_*` (status,
 * receiver, seller remark, delivery time) and `msg_after_sale_*` concern an order; items do not.
 * The body and its signature are UNCONFIRMED: we read a JSON body `{msgTag, sellerId, data}` whose
 * `data` (an object or a JSON string) names the order (`orderId`), signed in the `sign` header
 * (sign.ts). Order topics name an order to fetch; other topics and other sellers are ignored.
 */
export const xiaohongshuWebhookParser: WebhookParser = {
  platform: 'xiaohongshu',
  parse(request, secrets, shop) {
    const secret = secrets.webhookSecret || secrets.appSecret;
    if (!verifyXiaohongshuPush(secret, request.rawBody, request.headers.sign)) {
      throw new WebhookSignatureError('xiaohongshu push: sign does not match the body');
    }
    const push = XiaohongshuPushSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    if (push.sellerId && push.sellerId !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `xiaohongshu push for seller ${push.sellerId}` }];
    }
    const orderId = typeof push.data.orderId === 'string' ? push.data.orderId : undefined;
    const aboutOrder =
      push.msgTag.startsWith('msg_fulfillment_') || push.msgTag.startsWith('msg_after_sale_');
    if (!aboutOrder || !orderId) {
      return [{ kind: 'ignored', reason: `xiaohongshu push ${push.msgTag} is not about an order` }];
    }
    const at = typeof push.data.updateTime === 'number' ? push.data.updateTime : undefined;
    return [
      {
        kind: 'order_changed',
        platformOrderId: orderId,
        ...(at ? { modifiedAt: new Date(at).toISOString() } : {}),
      },
    ];
  },
};

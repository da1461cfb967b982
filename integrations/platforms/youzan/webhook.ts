import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { youzanPushSign, youzanSignMatches } from './sign.js';
import { YouzanPushSchema } from './wire.js';

/** Youzan's expected answer to a push (UNCONFIRMED: a push not answered so is sent again). */
export const YOUZAN_PUSH_ACK = { code: 0, msg: 'success' };

/**
 * Youzan 消息推送 (§4.4; the trade messages' format and signature are UNCONFIRMED). A push is
 * JSON naming the trade (`id` = tid), the shop (`kdt_id`) and the message `type`
 * (`trade_TradeCreate`, `trade_TradeBuyerPay`, `trade_TradeSellerShip`, `trade_TradeSuccess`,
 * `trade_TradeClose`, …), signed in the `Event-Sign` header over the whole body with the app's
 * client id and secret (sign.ts). A `sign` inside the body covers only its `msg`, not the trade
 * id beside it, so it is not taken as proof. Trade messages name an order, which is then read
 * through the API; the console's test push (`test: true`), other shops and other types are
 * acknowledged and ignored.
 */
export const youzanWebhookParser: WebhookParser = {
  platform: 'youzan',
  parse(request, secrets, shop) {
    const text = request.rawBody.toString('utf8');
    const expected = youzanPushSign(secrets.appKey, text, secrets.appSecret);
    if (!youzanSignMatches(expected, request.headers['event-sign']))
      throw new WebhookSignatureError('youzan push: Event-Sign does not match the body');
    const push = YouzanPushSchema.parse(parseLosslessJson(text));
    if (push.client_id && push.client_id !== secrets.appKey)
      throw new WebhookSignatureError(`youzan push for client ${push.client_id}`);
    if (push.test) return [{ kind: 'ignored', reason: 'youzan test push' }];
    if (push.kdt_id && push.kdt_id !== shop.platformShopId)
      return [{ kind: 'ignored', reason: `youzan push for shop ${push.kdt_id}` }];
    if (!push.type.startsWith('trade_') || !push.id)
      return [{ kind: 'ignored', reason: `youzan push ${push.type || '(no type)'} is not about a trade` }];
    return [{ kind: 'order_changed', platformOrderId: push.id }];
  },
};

import { z } from 'zod';
import { WebhookSignatureError } from '../errors.js';
import type { WebhookEvent, WebhookParser } from '../types.js';
import { verifyDouyinEventSign } from './sign.js';
import { parseDouyinJson } from './wire.js';

/**
 * Douyin message push (消息推送). Headers `app-id` and `event-sign` = MD5(app_key + raw body +
 * app_secret); the body is a JSON array of `{tag, msg_id, data}` where `data` is a JSON string
 * (sometimes an object) carrying `p_id` (shop order id, a 19-digit number) and, for after-sales,
 * `aftersale_id`. Trade tags (100 TradeCreate … 113 TradeMemoModify) say "this order changed";
 * after-sale tags (200 RefundCreated … 2xx) say "this refund case changed"; others (product, IOP)
 * are acknowledged and ignored. Douyin expects the reply `DOUYIN_PUSH_ACK` with HTTP 200.
 */
export const DOUYIN_PUSH_ACK = { code: 0, msg: 'success' } as const;

const id = z.union([z.string(), z.number().int()]).transform(String);
const EventSchema = z.object({
  tag: z.union([z.string(), z.number()]).transform(Number),
  msg_id: z.union([z.string(), z.number()]).transform(String),
  data: z.unknown(),
});
const DataSchema = z.object({
  p_id: id.nullish(),
  shop_id: id.nullish(),
  aftersale_id: id.nullish(),
  update_time: z.number().int().nullish(),
});

export const douyinWebhookParser: WebhookParser = {
  platform: 'douyin',
  parse(request, secrets, shop) {
    if (
      !verifyDouyinEventSign(
        secrets.appKey,
        secrets.appSecret,
        request.rawBody,
        request.headers['event-sign'],
      )
    ) {
      throw new WebhookSignatureError('douyin push: event-sign does not match the body');
    }
    const body = z.array(EventSchema).parse(parseDouyinJson(request.rawBody.toString('utf8')));
    return body.map((event): WebhookEvent => {
      const raw = typeof event.data === 'string' ? parseDouyinJson(event.data) : event.data;
      const data = DataSchema.parse(raw ?? {});
      if (data.shop_id && data.shop_id !== shop.platformShopId) {
        return { kind: 'ignored', reason: `douyin push ${event.msg_id} is for shop ${data.shop_id}` };
      }
      if (!data.p_id) return { kind: 'ignored', reason: `douyin push tag ${event.tag} names no order` };
      if (event.tag >= 100 && event.tag < 200) {
        return {
          kind: 'order_changed',
          platformOrderId: data.p_id,
          ...(data.update_time ? { modifiedAt: new Date(data.update_time * 1000).toISOString() } : {}),
        };
      }
      if (event.tag >= 200 && event.tag < 300) {
        return {
          kind: 'refund_changed',
          platformOrderId: data.p_id,
          ...(data.aftersale_id ? { platformRefundId: data.aftersale_id } : {}),
        };
      }
      return { kind: 'ignored', reason: `douyin push tag ${event.tag} is not about orders` };
    });
  },
};

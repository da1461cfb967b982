import { timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { MeliNotificationSchema } from './wire.js';

/** Topics whose resource is an order (§13: `orders_v2`/`orders`, `created_orders`). */
const ORDER_TOPICS = new Set(['orders_v2', 'orders', 'created_orders']);

/**
 * Mercado Libre notifications (§13: topics confirmed; body `{resource, user_id, topic,
 * application_id, attempts, sent, received}` UNCONFIRMED). Mercado Libre signs nothing our facts
 * know of, so a notification is authenticated by what we control: the callback URL registered in
 * the app manager carries the shop's `webhookSecret` as `?secret=…`, which must match; and it must
 * name our app (`application_id` = appKey) and the shop's seller (`user_id`). It only names a
 * resource: the order is then read through the authenticated API, never taken from the body.
 */
export const meliWebhookParser: WebhookParser = {
  platform: 'mercadolibre',
  parse(request, secrets, shop) {
    const given = Buffer.from(new URL(request.url).searchParams.get('secret') ?? '');
    const expected = Buffer.from(secrets.webhookSecret ?? '');
    if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new WebhookSignatureError(
        'mercadolibre notification: the callback URL’s secret does not match the shop’s webhookSecret',
      );
    }
    const note = MeliNotificationSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    if (note.application_id && note.application_id !== secrets.appKey) {
      throw new WebhookSignatureError(`mercadolibre notification for application ${note.application_id}`);
    }
    if (note.user_id !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `mercadolibre notification for seller ${note.user_id}` }];
    }
    const order = /^\/orders\/(\d+)$/.exec(note.resource)?.[1];
    if (!ORDER_TOPICS.has(note.topic) || !order) {
      return [
        { kind: 'ignored', reason: `mercadolibre topic ${note.topic} (${note.resource}) is not an order` },
      ];
    }
    return [
      {
        kind: 'order_changed',
        platformOrderId: order,
        ...(note.sent && !Number.isNaN(Date.parse(note.sent))
          ? { modifiedAt: new Date(note.sent).toISOString() }
          : {}),
      },
    ];
  },
};

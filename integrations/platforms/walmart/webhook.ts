import { timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { WalmartEventSchema } from './wire.js';

/**
 * Walmart notifications (§11: the Notifications API, webhook subscriptions such as PO_CREATED —
 * UNCONFIRMED). Walmart does not sign the body; a subscription names the credentials Walmart
 * sends with each event, and we model them as HTTP Basic: `Authorization: Basic
 * base64(webhookSecret)`, where the shop's `webhookSecret` is the `user:password` given to the
 * subscription. An event whose payload names a `purchaseOrderId` is an order to fetch; others are
 * acknowledged and ignored. Should Walmart authenticate otherwise, events are refused (401) and
 * polling still captures every order.
 */
export function walmartEventAuthorized(
  webhookSecret: string | undefined,
  header: string | undefined,
): boolean {
  if (!webhookSecret || !header) return false;
  const expected = Buffer.from(`Basic ${Buffer.from(webhookSecret, 'utf8').toString('base64')}`);
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const walmartWebhookParser: WebhookParser = {
  platform: 'walmart',
  parse(request, secrets, shop) {
    if (!walmartEventAuthorized(secrets.webhookSecret, request.headers.authorization)) {
      throw new WebhookSignatureError('walmart event: Authorization is not the subscription’s credentials');
    }
    const event = WalmartEventSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    const seller = event.payload?.sellerId;
    if (seller && seller !== shop.platformShopId) {
      return [{ kind: 'ignored', reason: `walmart event for seller ${seller}` }];
    }
    const po = event.payload?.purchaseOrderId;
    if (!po)
      return [{ kind: 'ignored', reason: `walmart event ${event.source?.eventType ?? ''} names no order` }];
    const at = event.source?.eventTime;
    return [
      {
        kind: 'order_changed',
        platformOrderId: po,
        ...(at && !Number.isNaN(Date.parse(at)) ? { modifiedAt: new Date(at).toISOString() } : {}),
      },
    ];
  },
};

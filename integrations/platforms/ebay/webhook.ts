import { createPublicKey, verify } from 'node:crypto';
import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookParser } from '../types.js';
import { ebayOrderKey } from './normalize.js';
import { EbayNotificationSchema } from './wire.js';

/**
 * eBay notifications (§10: push UNCONFIRMED; modelled on eBay's Notification API): a JSON body
 * `{metadata: {topic}, notification: {notificationId, data}}` signed in `X-EBAY-SIGNATURE`, which is
 * Base64 of `{"alg":"ecdsa","kid":…,"signature":<Base64 DER>,"digest":"SHA1"}` — an ECDSA signature
 * over the raw body under eBay's public key for `kid`. eBay serves that key from its Notification
 * API (`getPublicKey`); we do not fetch it: the shop stores it as `webhookSecret` (PEM). A
 * notification whose data names an `orderId` is an order to fetch; others are acknowledged and
 * ignored. Should eBay sign otherwise, notifications are refused (401) and polling still captures
 * every order.
 */
export function verifyEbaySignature(
  publicKey: string | undefined,
  rawBody: Buffer,
  header: string | undefined,
) {
  if (!publicKey || !header) return false;
  try {
    const envelope = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
    if (String(envelope.alg).toLowerCase() !== 'ecdsa' || typeof envelope.signature !== 'string')
      return false;
    const digest = String(envelope.digest ?? 'SHA1')
      .toLowerCase()
      .replace('-', '');
    const pem = publicKey.includes('-----BEGIN')
      ? publicKey
      : `-----BEGIN PUBLIC KEY-----\n${publicKey.trim()}\n-----END PUBLIC KEY-----`;
    return verify(digest, rawBody, createPublicKey(pem), Buffer.from(envelope.signature, 'base64'));
  } catch {
    return false;
  }
}

export const ebayWebhookParser: WebhookParser = {
  platform: 'ebay',
  parse(request, secrets) {
    if (!verifyEbaySignature(secrets.webhookSecret, request.rawBody, request.headers['x-ebay-signature'])) {
      throw new WebhookSignatureError(
        'ebay notification: X-EBAY-SIGNATURE does not verify under the shop key',
      );
    }
    const push = EbayNotificationSchema.parse(parseLosslessJson(request.rawBody.toString('utf8')));
    const data = push.notification.data ?? {};
    const orderId = typeof data.orderId === 'string' ? data.orderId : undefined;
    if (!orderId) {
      return [{ kind: 'ignored', reason: `ebay notification ${push.metadata?.topic ?? ''} names no order` }];
    }
    const at = push.notification.eventDate;
    return [
      {
        kind: 'order_changed',
        platformOrderId: ebayOrderKey(orderId),
        ...(at && !Number.isNaN(Date.parse(at)) ? { modifiedAt: new Date(at).toISOString() } : {}),
      },
    ];
  },
};

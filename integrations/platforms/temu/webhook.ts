import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { WebhookSignatureError } from '../errors.js';
import { parseLosslessJson } from '../lossless-json.js';
import type { WebhookEvent, WebhookParser } from '../types.js';
import { wireId } from '../wire-fields.js';

/**
 * Temu webhooks (docs/platforms/temu.md §Push, the partner docs' "Webhook Integration Guide" and
 * "The event of webhook" as copied): a `POST` with headers `x-tm-app-key`, `x-tm-event-code`,
 * `x-tm-timestamp` (ms), `x-tm-signature`, `x-tm-ext-param` and the body `{"eventData": "<Base64>"}`,
 * `eventData` being AES/CBC/PKCS5Padding under the first 16 bytes of the app secret with the same
 * 16 bytes as IV. The signature is hex HMAC-SHA256 under the app secret of `eventData` (decrypted)
 * and the `x-tm-*` headers but the signature, sorted by name, each name followed by its value with
 * nothing between. The guide's worked example signs `x-tm-ext-param` too; its example request's
 * signature is the same rule without it (both recomputed in tests/platforms/temu-push.test.ts):
 * either is accepted, so `x-tm-ext-param` is not authenticated (nothing reads it).
 *
 * `bg_order_status_change_event` and `bg_trade_logistics_address_changed` name an order to fetch,
 * `bg_aftersales_status_change` and `bg_cancel_order_status_change` an after-sales case of an
 * order (`parentAfterSalesSn`), read and handed to its case; anything else (the console's test
 * event) is acknowledged and ignored, as is an event of another mall. Temu expects
 * `TEMU_PUSH_ACK` with 200 within 500 ms, else it retries (up to 8 times over a day).
 */
export const TEMU_PUSH_ACK = { result: {} } as const;

const HEADERS = ['x-tm-app-key', 'x-tm-event-code', 'x-tm-timestamp', 'x-tm-ext-param'] as const;

const BodySchema = z.object({ eventData: z.string().min(1) });
const EventSchema = z
  .object({
    mallId: wireId.nullish(),
    parentOrderSn: z.string().min(1).nullish(),
    parentAfterSalesSn: z.string().min(1).nullish(),
  })
  .passthrough();

function decrypt(appSecret: string, eventData: string): string | undefined {
  const key = Buffer.from(appSecret, 'utf8').subarray(0, 16);
  if (key.length < 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, key);
    return Buffer.concat([decipher.update(Buffer.from(eventData, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

function sign(appSecret: string, fields: Record<string, string>): string {
  const text = Object.keys(fields)
    .sort()
    .map((name) => `${name}${fields[name]}`)
    .join('');
  return createHmac('sha256', appSecret).update(text, 'utf8').digest('hex');
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const temuWebhookParser: WebhookParser = {
  platform: 'temu',
  parse(request, secrets, shop): WebhookEvent[] {
    const signature = (request.headers['x-tm-signature'] ?? '').toLowerCase();
    if (!signature) throw new WebhookSignatureError('temu webhook: no x-tm-signature header');
    const appKey = request.headers['x-tm-app-key'] ?? '';
    if (appKey !== secrets.appKey)
      throw new WebhookSignatureError(
        `temu webhook: x-tm-app-key ${appKey || '(none)'} is not this shop's app`,
      );
    let body: z.infer<typeof BodySchema>;
    try {
      body = BodySchema.parse(JSON.parse(request.rawBody.toString('utf8')));
    } catch {
      throw new WebhookSignatureError('temu webhook: the body is not {"eventData": "…"}');
    }
    const plain = decrypt(secrets.appSecret, body.eventData);
    if (plain === undefined)
      throw new WebhookSignatureError('temu webhook: eventData does not decrypt under the app secret');
    const fields: Record<string, string> = { eventData: plain };
    for (const name of HEADERS) {
      const value = request.headers[name];
      // Blank values are left out of the signed text, as the guide's sample does.
      if (value !== undefined && value.trim() !== '') fields[name] = value;
    }
    const withoutExt = { ...fields };
    delete withoutExt['x-tm-ext-param'];
    if (
      !same(signature, sign(secrets.appSecret, fields)) &&
      !same(signature, sign(secrets.appSecret, withoutExt))
    )
      throw new WebhookSignatureError('temu webhook: x-tm-signature does not match');

    const code = fields['x-tm-event-code'] ?? '';
    let event: z.infer<typeof EventSchema>;
    try {
      event = EventSchema.parse(parseLosslessJson(plain));
    } catch {
      return [{ kind: 'ignored', reason: `temu ${code || 'event'}: eventData is not an object we read` }];
    }
    if (event.mallId && event.mallId !== shop.platformShopId)
      return [{ kind: 'ignored', reason: `temu ${code} is for mall ${event.mallId}` }];
    const order = event.parentOrderSn;
    switch (code) {
      case 'bg_order_status_change_event':
      case 'bg_trade_logistics_address_changed':
        if (!order) return [{ kind: 'ignored', reason: `temu ${code} names no parentOrderSn` }];
        return [{ kind: 'order_changed', platformOrderId: order }];
      case 'bg_aftersales_status_change':
      case 'bg_cancel_order_status_change':
        if (!order) return [{ kind: 'ignored', reason: `temu ${code} names no parentOrderSn` }];
        return [
          {
            kind: 'refund_changed',
            platformOrderId: order,
            ...(event.parentAfterSalesSn ? { platformRefundId: event.parentAfterSalesSn } : {}),
          },
        ];
      default:
        return [{ kind: 'ignored', reason: `temu ${code || 'event'} is not about an order` }];
    }
  },
};

import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw payload, keyed with the webhook's secret. */
export function wooWebhookSignature(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret)
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('base64');
}

export function verifyWooWebhook(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(wooWebhookSignature(secret, rawBody), 'base64');
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

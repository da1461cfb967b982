import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of an own-store push, for sellers' code: base64 HMAC-SHA256 of the exact body
 * bytes, keyed with the shop's webhook secret. Send it as `X-Erp-Hmac-Sha256`.
 */
export function signOwnPush(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('base64');
}

export function verifyOwnPush(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = Buffer.from(signOwnPush(secret, rawBody), 'base64');
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

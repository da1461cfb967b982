import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Base64 HMAC-SHA256 of the exact body bytes: how Shopify (`X-Shopify-Hmac-Sha256`),
 * WooCommerce (`X-WC-Webhook-Signature`) and the ERP's own-store format (`X-Erp-Hmac-Sha256`)
 * sign a delivery. The simulators' own implementation, written apart from the adapters' so a test
 * vector checked against both pins each side on its own.
 */
export function bodyHmacBase64(secret: string, body: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('base64');
}

/** Constant-time check of a base64 body signature (a simulator receiving a signed delivery). */
export function bodyHmacMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = Buffer.from(bodyHmacBase64(secret, body), 'base64');
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

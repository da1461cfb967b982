import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A push signed as hex HMAC-SHA256(key = app secret, message = app key + raw body), the scheme
 * TikTok Shop documents (MORE-CHANNELS §7.4) and Lazada is believed to use (§8.4). Compared
 * case-insensitively and in constant time.
 */
export function appKeyBodyHmacMatches(
  appKey: string,
  appSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header || !appSecret) return false;
  const expected = createHmac('sha256', appSecret)
    .update(Buffer.concat([Buffer.from(appKey, 'utf8'), rawBody]))
    .digest();
  const given = /^[0-9a-fA-F]{64}$/.test(header.trim()) ? Buffer.from(header.trim(), 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

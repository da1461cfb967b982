import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of TikTok Shop's signing rule (MORE-CHANNELS §7.2), written apart
 * from the adapter: the app secret, the path, every query parameter but `sign` and `access_token`
 * as key followed by value (keys in byte order), the raw body of a non-GET request, the app secret
 * again; HMAC-SHA256 under the app secret, hex.
 */
export function tiktokExpectedSign(
  appSecret: string,
  path: string,
  query: Record<string, string>,
  body = '',
): string {
  const keys = Object.keys(query).filter((k) => k !== 'sign' && k !== 'access_token');
  keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const mac = createHmac('sha256', Buffer.from(appSecret, 'utf8'));
  mac.update(appSecret + path, 'utf8');
  for (const key of keys) mac.update(key + query[key], 'utf8');
  mac.update(body + appSecret, 'utf8');
  return mac.digest('hex');
}

export function tiktokSignMatches(
  appSecret: string,
  path: string,
  query: Record<string, string>,
  body: string,
): boolean {
  const given = (query.sign ?? '').toLowerCase();
  const expected = tiktokExpectedSign(appSecret, path, query, body);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** A webhook's `Authorization` as the simulator signs it: hex HMAC-SHA256(app secret, app key + body). */
export function tiktokPushSignature(appKey: string, appSecret: string, body: string): string {
  return createHmac('sha256', Buffer.from(appSecret, 'utf8'))
    .update(Buffer.from(appKey + body, 'utf8'))
    .digest('hex');
}

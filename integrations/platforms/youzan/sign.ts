import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Youzan push verification. API calls are not signed (§4.2). The push's own signature is
 * UNCONFIRMED (§4.4): the `Event-Sign` header = MD5 hex of client_id + the raw body +
 * client_secret, with the app's client id and secret.
 */
export function youzanPushSign(clientId: string, content: string, clientSecret: string): string {
  return createHash('md5').update(`${clientId}${content}${clientSecret}`, 'utf8').digest('hex');
}

export function youzanSignMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of Lazada's signing rule (MORE-CHANNELS §8.2), written apart from
 * the adapter: the API path, then every parameter but `sign` as name followed by value, names in
 * byte order, the body (if any) last; HMAC-SHA256 under the app secret, upper-case hex.
 */
export function lazadaExpectedSign(
  appSecret: string,
  apiPath: string,
  params: Record<string, string>,
  body = '',
): string {
  const names = Object.keys(params).filter((n) => n !== 'sign');
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const mac = createHmac('sha256', Buffer.from(appSecret, 'utf8'));
  mac.update(apiPath, 'utf8');
  for (const name of names) mac.update(name + params[name], 'utf8');
  mac.update(body, 'utf8');
  return mac.digest('hex').toUpperCase();
}

export function lazadaSignMatches(
  appSecret: string,
  apiPath: string,
  params: Record<string, string>,
): boolean {
  const given = params.sign ?? '';
  const expected = lazadaExpectedSign(appSecret, apiPath, params);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** A push's `Authorization` header as the simulator signs it: hex HMAC-SHA256(secret, app key + body). */
export function lazadaPushSignature(appKey: string, appSecret: string, body: string): string {
  return createHmac('sha256', Buffer.from(appSecret, 'utf8'))
    .update(Buffer.from(appKey + body, 'utf8'))
    .digest('hex');
}

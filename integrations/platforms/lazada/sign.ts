import { createHmac } from 'node:crypto';
import { appKeyBodyHmacMatches } from '../app-key-hmac.js';

/**
 * Lazada Open Platform signing (MORE-CHANNELS §8.2, the official doc with a worked example): every
 * parameter except `sign` (system and business), sorted by name in ASCII order, concatenated as
 * `name1value1name2value2…`, prefixed with the API path (`/orders/get`) and followed by the
 * request body when there is one; `sign` = upper-case hex HMAC-SHA256 keyed with the app secret.
 */
export function lazadaSignString(apiPath: string, params: Record<string, string>, body?: string): string {
  const sorted = Object.keys(params)
    .filter((name) => name !== 'sign')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${apiPath}${sorted.map((name) => `${name}${params[name]}`).join('')}${body ?? ''}`;
}

export function signLazadaRequest(
  appSecret: string,
  apiPath: string,
  params: Record<string, string>,
  body?: string,
): string {
  return createHmac('sha256', appSecret)
    .update(lazadaSignString(apiPath, params, body), 'utf8')
    .digest('hex')
    .toUpperCase();
}

/**
 * A Lazada push (§8.4, UNCONFIRMED): `Authorization` = hex HMAC-SHA256(app_secret, app key + raw
 * body), the scheme TikTok Shop documents.
 */
export const verifyLazadaPush = appKeyBodyHmacMatches;

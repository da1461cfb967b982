import { createHmac } from 'node:crypto';
import { appKeyBodyHmacMatches } from '../app-key-hmac.js';

/**
 * TikTok Shop Partner API signing (MORE-CHANNELS §7.2, the SDK's `prepareSignature`): the query
 * parameters except `sign` and `access_token`, keys sorted alphabetically, concatenated as
 * `{key}{value}`, prefixed with the request path; for a non-GET request with a JSON body the raw
 * body (exactly as sent) is appended; the whole is wrapped in the app secret on both sides and
 * `sign` = lower-case hex HMAC-SHA256 keyed with the app secret. No official expected value is
 * published: the simulator verifies with its own code.
 */
const UNSIGNED = new Set(['sign', 'access_token', 'x-tts-access-token']);

export function tiktokSignString(
  appSecret: string,
  path: string,
  query: Record<string, string>,
  body = '',
): string {
  const pairs = Object.keys(query)
    .filter((key) => !UNSIGNED.has(key))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}${query[key]}`)
    .join('');
  return `${appSecret}${path}${pairs}${body}${appSecret}`;
}

export function signTiktokRequest(
  appSecret: string,
  path: string,
  query: Record<string, string>,
  body = '',
): string {
  return createHmac('sha256', appSecret)
    .update(tiktokSignString(appSecret, path, query, body), 'utf8')
    .digest('hex');
}

/** A TikTok Shop webhook (§7.4, SDK): `Authorization` = hex HMAC-SHA256(app secret, app key + raw body). */
export const verifyTiktokPush = appKeyBodyHmacMatches;

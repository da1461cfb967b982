import { createHash } from 'node:crypto';

/**
 * PDD gateway signature (API-FACTS §2.1): every parameter but `sign` (nested values already
 * JSON strings), keys sorted, `key+value` concatenated, wrapped in the client secret, MD5,
 * upper-case hex.
 */
export function pddSign(params: Record<string, string>, clientSecret: string): string {
  const concat = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => key + params[key])
    .join('');
  return createHash('md5')
    .update(clientSecret + concat + clientSecret, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/**
 * The PMC message-service connection path (API-FACTS §2.4):
 * `/message/{client_id}/{timestamp_ms}/{URLENC(Base64(lowercase_hex(MD5(client_id + timestamp_ms + client_secret))))}`.
 */
export function pddWssPath(clientId: string, timestampMs: number | string, clientSecret: string): string {
  const digest = createHash('md5').update(`${clientId}${timestampMs}${clientSecret}`, 'utf8').digest('hex');
  const signature = encodeURIComponent(Buffer.from(digest, 'utf8').toString('base64'));
  return `/message/${clientId}/${timestampMs}/${signature}`;
}

export const PDD_MESSAGE_ENDPOINT = 'wss://message-api.pinduoduo.com';

/** The full PMC URL to open a WebSocket to (default: PDD's production message endpoint). */
export function pddWssUrl(
  clientId: string,
  clientSecret: string,
  timestampMs: number,
  endpoint = PDD_MESSAGE_ENDPOINT,
): string {
  return `${endpoint.replace(/\/+$/, '')}${pddWssPath(clientId, timestampMs, clientSecret)}`;
}

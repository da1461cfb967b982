import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Douyin Shop (抖店) signing. A request is signed over
 * `app_secret + "app_key" + app_key + "method" + method + "param_json" + param_json + "timestamp" +
 * timestamp + "v" + v + app_secret`, where param_json is the exact request body; `access_token`
 * is not part of it. md5 is still accepted but announced for retirement, so we send hmac-sha256.
 */
export type DouyinSignMethod = 'hmac-sha256' | 'md5';

export interface DouyinSignInput {
  appKey: string;
  appSecret: string;
  method: string;
  paramJson: string;
  timestamp: string;
  v: string;
  signMethod: DouyinSignMethod;
}

export function signDouyinRequest(input: DouyinSignInput): string {
  const { appKey, appSecret, method, paramJson, timestamp, v } = input;
  const plain = `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestamp}v${v}${appSecret}`;
  return input.signMethod === 'md5'
    ? createHash('md5').update(plain, 'utf8').digest('hex')
    : createHmac('sha256', appSecret).update(plain, 'utf8').digest('hex');
}

/**
 * The body Douyin signs and receives: keys sorted at every level, no whitespace (what the
 * official Python SDK sends). The signature covers these exact bytes.
 */
export function douyinParamJson(params: Record<string, unknown>): string {
  return canonical(params);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Push `event-sign` header: MD5(app_key + raw body + app_secret), lower-case hex. */
export function douyinEventSign(appKey: string, appSecret: string, rawBody: Buffer | string): string {
  return createHash('md5')
    .update(appKey, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(appSecret, 'utf8')
    .digest('hex');
}

/** Constant-time check of a push signature; Douyin's hex may come in either case. */
export function verifyDouyinEventSign(
  appKey: string,
  appSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(douyinEventSign(appKey, appSecret, rawBody), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

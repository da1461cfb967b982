import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own check of Douyin signatures, written from the platform's description rather
 * than shared with the adapter, so a bug in one cannot hide in the other.
 */
export function expectedDouyinSign(
  appSecret: string,
  query: { app_key: string; method: string; timestamp: string; v: string; sign_method?: string },
  rawBody: string,
): string {
  const parts = [
    ['app_key', query.app_key],
    ['method', query.method],
    ['param_json', rawBody],
    ['timestamp', query.timestamp],
    ['v', query.v],
  ];
  const plain = appSecret + parts.map(([k, v]) => `${k}${v}`).join('') + appSecret;
  if (query.sign_method === 'md5') return createHash('md5').update(plain).digest('hex');
  return createHmac('sha256', Buffer.from(appSecret)).update(Buffer.from(plain)).digest('hex');
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `event-sign` a Douyin push carries: md5 over app_key, the body bytes and the secret. */
export function douyinPushSign(appKey: string, appSecret: string, body: string): string {
  return createHash('md5')
    .update(Buffer.concat([Buffer.from(appKey), Buffer.from(body), Buffer.from(appSecret)]))
    .digest('hex');
}

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Xiaohongshu 小红书 open platform signing (MORE-CHANNELS §2.2, the platform's own doc): only the
 * system parameters are signed — `<method>?appId=<appId>&timestamp=<timestamp>&version=<version>`
 * followed directly by the app secret, lower-case hex MD5. Business parameters and the access
 * token are not signed. The doc's worked example is masked, so it cannot serve as a test vector.
 */
export function xiaohongshuSignString(
  method: string,
  appId: string,
  timestamp: string,
  appSecret: string,
  version = '2.0',
): string {
  return `${method}?appId=${appId}&timestamp=${timestamp}&version=${version}${appSecret}`;
}

export function signXiaohongshuRequest(
  method: string,
  appId: string,
  timestamp: string,
  appSecret: string,
  version = '2.0',
): string {
  return createHash('md5')
    .update(xiaohongshuSignString(method, appId, timestamp, appSecret, version), 'utf8')
    .digest('hex');
}

/**
 * A Xiaohongshu push. Its signature is UNCONFIRMED (§2.4: the format, signature and ack were not
 * captured); we take lower-hex MD5(secret + raw body + secret) in the header `sign`, the secret
 * being the shop's `webhookSecret` when set, else the app secret. A push that does not match is
 * refused and polling still captures the order.
 */
export function verifyXiaohongshuPush(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = createHash('md5')
    .update(Buffer.concat([Buffer.from(secret, 'utf8'), rawBody, Buffer.from(secret, 'utf8')]))
    .digest();
  const given = /^[0-9a-fA-F]{32}$/.test(header.trim()) ? Buffer.from(header.trim(), 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

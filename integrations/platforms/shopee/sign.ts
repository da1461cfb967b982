import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopee Open Platform v2 signatures, all lower-case hex HMAC-SHA256 keyed with the partner key:
 * shop APIs over `partner_id + path + timestamp + access_token + shop_id`, public APIs (auth,
 * token) over `partner_id + path + timestamp`, and pushes (`Authorization` header) over
 * `callback_url + "|" + raw body`. Paths have no host and no query.
 */
export function signShopeeShopRequest(input: {
  partnerId: string;
  partnerKey: string;
  path: string;
  timestamp: number;
  accessToken: string;
  shopId: string;
}): string {
  return hmacHex(
    input.partnerKey,
    `${input.partnerId}${input.path}${input.timestamp}${input.accessToken}${input.shopId}`,
  );
}

export function signShopeePublicRequest(input: {
  partnerId: string;
  partnerKey: string;
  path: string;
  timestamp: number;
}): string {
  return hmacHex(input.partnerKey, `${input.partnerId}${input.path}${input.timestamp}`);
}

export function shopeePushSignature(
  partnerKey: string,
  callbackUrl: string,
  rawBody: Buffer | string,
): string {
  return createHmac('sha256', partnerKey)
    .update(`${callbackUrl}|`, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

export function verifyShopeePush(
  partnerKey: string,
  callbackUrl: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(shopeePushSignature(partnerKey, callbackUrl, rawBody), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

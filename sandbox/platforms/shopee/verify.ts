import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own Shopee signature checks, written from the platform's description rather
 * than shared with the adapter.
 */
export function expectedShopeeSign(partnerKey: string, ...parts: Array<string | number>): string {
  return createHmac('sha256', Buffer.from(partnerKey))
    .update(Buffer.from(parts.map(String).join('')))
    .digest('hex');
}

export function shopeePushAuthorization(partnerKey: string, callbackUrl: string, body: string): string {
  return expectedShopeeSign(partnerKey, callbackUrl, '|', body);
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

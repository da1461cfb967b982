import { createHash, createHmac } from 'node:crypto';

export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

/**
 * The TOP gateway signature (API-FACTS §1.1): every parameter but `sign`, keys in byte order,
 * `key1value1key2value2…` with raw (not URL-encoded) values, then
 * - `md5`: MD5(secret + concat + secret)
 * - `hmac`: HMAC-MD5 keyed by the secret over concat (no wrapping)
 * - `hmac-sha256`: HMAC-SHA256 the same way (listed by TOP, not confirmed by any source)
 * as upper-case hex. Cainiao waybill calls go through the same gateway and use this too.
 */
export function topSign(params: Record<string, string>, secret: string, method: TopSignMethod): string {
  const concat = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort(compareBytes)
    .map((key) => key + params[key])
    .join('');
  switch (method) {
    case 'md5':
      return createHash('md5')
        .update(secret + concat + secret, 'utf8')
        .digest('hex')
        .toUpperCase();
    case 'hmac':
      return createHmac('md5', secret).update(concat, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', secret).update(concat, 'utf8').digest('hex').toUpperCase();
  }
}

/** Byte (code unit) order, what the platform's Java/Go SDKs sort by; never locale order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

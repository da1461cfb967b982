import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Qimen's request signature (domain/wms/README.md): the query parameters except `sign`, names in
 * byte order, written `name1value1name2value2…` with raw values, then the exact body bytes, all
 * wrapped in the app secret and hashed with MD5, as upper-case hex:
 *
 *   MD5(secret + sorted(name + value) + body + secret)
 *
 * It is TOP's `md5` signature with the XML body appended before the closing secret.
 */
export function qimenSign(params: Record<string, string>, body: string, secret: string): string {
  const concat = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => key + params[key])
    .join('');
  return createHash('md5')
    .update(secret + concat + body + secret, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** Constant-time comparison of a received signature with the expected one (case-insensitive hex). */
export function qimenSignatureValid(params: Record<string, string>, body: string, secret: string): boolean {
  const given = Buffer.from((params.sign ?? '').toUpperCase());
  const expected = Buffer.from(qimenSign(params, body, secret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

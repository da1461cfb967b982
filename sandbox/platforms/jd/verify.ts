import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of JOS signing (API-FACTS §3.1), independent of the adapter's signer:
 * sent parameters except `sign`, sorted by key bytes, `key+value`, wrapped in the secret, MD5,
 * upper-case hex.
 */
export function expectedJdSign(params: Record<string, string>, appSecret: string): string {
  const keys = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const md5 = createHash('md5').update(appSecret, 'utf8');
  for (const key of keys) md5.update(`${key}${params[key]}`, 'utf8');
  return md5.update(appSecret, 'utf8').digest('hex').toUpperCase();
}

export function jdSignatureMatches(params: Record<string, string>, appSecret: string): boolean {
  const expected = Buffer.from(expectedJdSign(params, appSecret));
  const given = Buffer.from((params['sign'] ?? '').toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

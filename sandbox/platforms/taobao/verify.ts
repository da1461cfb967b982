import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of the TOP signature rules (API-FACTS §1.1), written separately from
 * the adapter's signer so that a bug in either shows up as a rejected call: parameters except
 * `sign`, keys in UTF-8 byte order, `key+value` bytes concatenated, then MD5 wrapped in the
 * secret, HMAC-MD5 or HMAC-SHA256 keyed by it, upper-case hex.
 */
export function expectedTopSign(
  params: Record<string, string>,
  secret: string,
  signMethod: string,
): string | undefined {
  const keys = Object.keys(params)
    .filter((key) => key !== 'sign')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const payload = Buffer.concat(keys.map((key) => Buffer.from(`${key}${params[key]}`, 'utf8')));
  const key = Buffer.from(secret, 'utf8');
  let digest: Buffer;
  if (signMethod === 'md5')
    digest = createHash('md5')
      .update(Buffer.concat([key, payload, key]))
      .digest();
  else if (signMethod === 'hmac') digest = createHmac('md5', key).update(payload).digest();
  else if (signMethod === 'hmac-sha256') digest = createHmac('sha256', key).update(payload).digest();
  else return undefined;
  return digest.toString('hex').toUpperCase();
}

export function topSignatureMatches(params: Record<string, string>, secret: string): boolean {
  const expected = expectedTopSign(params, secret, params['sign_method'] ?? 'md5');
  const given = params['sign'] ?? '';
  return (
    expected !== undefined &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given.toUpperCase()), Buffer.from(expected))
  );
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The carriers' signature checks, written separately from the adapters' signers (simulators must
 * catch an adapter that signs wrongly, so they never share its code).
 */

const SAFE = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split(''));

/** Percent-encodes UTF-8 bytes, keeping letters, digits and `keep`; `space` is how a space is written. */
function percentEncode(text: string, keep: string, space: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && (SAFE.has(ch) || keep.includes(ch))) out += ch;
    else if (ch === ' ') out += space;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The three URL-encoding flavours SF's demos and SDKs use before hashing. */
const SF_FLAVOURS = {
  // Python urllib.parse.quote_plus
  quotePlus: (t: string) => percentEncode(t, '_.-~', '+'),
  // JavaScript encodeURIComponent (Node demo)
  encodeURIComponent: (t: string) => percentEncode(t, "-_.!~*'()", '%20'),
  // Java URLEncoder.encode(…, "UTF-8")
  javaUrlEncoder: (t: string) => percentEncode(t, '.-*_', '+'),
};

export function sfDigestFlavours(msgData: string, timestamp: string, checkword: string): string[] {
  return Object.values(SF_FLAVOURS).map((encode) =>
    createHash('md5')
      .update(encode(msgData + timestamp + checkword))
      .digest()
      .toString('base64'),
  );
}

export function sfDigestMatches(
  msgDigest: string,
  msgData: string,
  timestamp: string,
  checkword: string,
): boolean {
  return sfDigestFlavours(msgData, timestamp, checkword).includes(msgDigest);
}

/** TOP gateway signature, per API-FACTS §1.1. */
export function topExpectedSign(
  params: Record<string, string>,
  secret: string,
  method: string,
): string | undefined {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let joined = '';
  for (const k of keys) joined += k + params[k];
  if (method === 'md5')
    return hexUpper(
      createHash('md5')
        .update(secret + joined + secret)
        .digest(),
    );
  if (method === 'hmac') return hexUpper(createHmac('md5', secret).update(joined).digest());
  if (method === 'hmac-sha256') return hexUpper(createHmac('sha256', secret).update(joined).digest());
  return undefined;
}

export function kuaidi100ExpectedQuerySign(param: string, key: string, customer: string): string {
  return hexUpper(createHash('md5').update(`${param}${key}${customer}`).digest());
}

export function kuaidi100ExpectedPushSign(param: string, salt: string): string {
  return hexUpper(createHash('md5').update(`${param}${salt}`).digest());
}

/** KDNiao: base64 over the ASCII of the lower-case MD5 hex. */
export function kdniaoExpectedSign(requestData: string, appKey: string): string {
  const hex = createHash('md5').update(`${requestData}${appKey}`).digest().toString('hex').toLowerCase();
  return btoa(hex);
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hexUpper(bytes: Buffer): string {
  return [...bytes]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

import { createDecipheriv, createHash, createHmac } from 'node:crypto';

/**
 * Kuaishou 快手小店 signing (MORE-CHANNELS §1.2, both SDKs agree): the public parameters except
 * `sign` (nulls dropped), keys sorted ASCII ascending, joined `k=v` with `&`, values raw (not
 * URL-encoded), then `&signSecret=<signSecret>` appended last (not sorted in). `MD5` → lower-case
 * hex MD5 of that string; `HMAC_SHA256` → Base64 HMAC-SHA256 keyed with the signSecret. We send
 * HMAC_SHA256. No official expected value exists, so the simulator checks it with its own code.
 */
export type KuaishouSignMethod = 'MD5' | 'HMAC_SHA256';

export function kuaishouSignString(params: Record<string, string>, signSecret: string): string {
  const pairs = Object.entries(params)
    .filter(([key, value]) => key !== 'sign' && value !== undefined && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`);
  return `${pairs.join('&')}&signSecret=${signSecret}`;
}

export function signKuaishouRequest(
  params: Record<string, string>,
  signSecret: string,
  method: KuaishouSignMethod = 'HMAC_SHA256',
): string {
  const plain = kuaishouSignString(params, signSecret);
  return method === 'MD5'
    ? createHash('md5').update(plain, 'utf8').digest('hex')
    : createHmac('sha256', signSecret).update(plain, 'utf8').digest('base64');
}

/**
 * A Kuaishou push body (MORE-CHANNELS §1.4, the platform's own demo): Base64 ciphertext,
 * AES/CBC/PKCS5Padding, key = Base64-decoded message secret from the console, IV = 16 zero bytes.
 * Authenticity comes from the key alone (no signature header). Undefined when it does not decrypt.
 */
export function decryptKuaishouPush(messageSecret: string, body: string): string | undefined {
  const key = Buffer.from(messageSecret, 'base64');
  if (![16, 24, 32].includes(key.length)) return undefined;
  try {
    const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
    return Buffer.concat([decipher.update(Buffer.from(body.trim(), 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

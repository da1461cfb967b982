import { createCipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's own reading of Kuaishou's signing rule (MORE-CHANNELS §1.2), written apart from
 * the adapter: every parameter the request carries except `sign`, in ASCII order of name, as
 * `name=value` joined with `&`, then `&signSecret=` and the secret; MD5 (lower hex) or
 * HMAC-SHA256 keyed with the secret (Base64), as `signMethod` says.
 */
export function kuaishouSignMatches(
  params: Record<string, string>,
  signSecret: string,
): { ok: boolean; reason?: string } {
  const given = params.sign;
  if (!given) return { ok: false, reason: 'sign 为空' };
  const names = Object.keys(params)
    .filter((name) => name !== 'sign')
    .sort();
  let plain = '';
  for (const name of names) plain += `${plain ? '&' : ''}${name}=${params[name]}`;
  plain += `&signSecret=${signSecret}`;
  let expected: Buffer;
  let got: Buffer;
  if (params.signMethod === 'MD5') {
    expected = Buffer.from(createHash('md5').update(Buffer.from(plain, 'utf8')).digest('hex'));
    got = Buffer.from(given.toLowerCase());
  } else if (params.signMethod === 'HMAC_SHA256') {
    expected = createHmac('sha256', Buffer.from(signSecret, 'utf8'))
      .update(Buffer.from(plain, 'utf8'))
      .digest();
    got = Buffer.from(given, 'base64');
  } else {
    return { ok: false, reason: `signMethod ${params.signMethod ?? ''} 不支持` };
  }
  return expected.length === got.length && timingSafeEqual(expected, got)
    ? { ok: true }
    : { ok: false, reason: '签名验证失败' };
}

/** A push body as Kuaishou sends it: Base64 of AES-CBC (PKCS#5, zero IV) under the message key. */
export function encryptKuaishouMessage(messageSecret: string, plaintext: string): string {
  const key = Buffer.from(messageSecret, 'base64');
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final()]).toString('base64');
}

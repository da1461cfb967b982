import { createSign, createVerify } from 'node:crypto';

/**
 * Alipay OpenAPI RSA2 (AFTER-SALES-FACTS §2.1, API-FACTS §13): every parameter except `sign` and
 * empty values, sorted by key (plain ASCII order), joined `k=v` with `&` on raw values;
 * `sign_type` stays in. SHA256withRSA (PKCS#1 v1.5) under the app private key, Base64.
 */
export function alipaySignString(params: Record<string, string | undefined>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== undefined && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

export function rsa2Sign(message: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKeyPem, 'base64');
}

export function rsa2Verify(message: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}

export function signAlipayRequest(params: Record<string, string | undefined>, privateKeyPem: string): string {
  return rsa2Sign(alipaySignString(params), privateKeyPem);
}

/**
 * The exact text of the `<method>_response` node in a raw answer, as Alipay signed it: sync
 * answers are verified over these bytes, not over re-serialised JSON.
 */
export function responseNodeText(raw: string, method: string): string | undefined {
  const key = `"${method.replaceAll('.', '_')}_response"`;
  const at = raw.indexOf(key);
  if (at < 0) return undefined;
  let i = raw.indexOf(':', at + key.length) + 1;
  while (i > 0 && i < raw.length && /\s/.test(raw[i]!)) i++;
  if (raw[i] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < raw.length; j++) {
    const c = raw[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return raw.slice(i, j + 1);
  }
  return undefined;
}

/**
 * An asynchronous notification (form fields) is signed over every field but `sign` and
 * `sign_type`, sorted and joined like a request (AFTER-SALES-FACTS §2.1).
 */
export function verifyAlipayNotify(fields: Record<string, string>, alipayPublicKeyPem: string): boolean {
  const sign = fields.sign;
  if (!sign) return false;
  const { sign_type: _signType, ...rest } = fields;
  return rsa2Verify(alipaySignString(rest), sign, alipayPublicKeyPem);
}

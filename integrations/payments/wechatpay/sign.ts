import { createDecipheriv, createSign, createVerify } from 'node:crypto';

/** Authorization scheme of WeChat Pay API v3 (API-FACTS §14). */
export const WECHATPAY_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/** Signatures WeChat sends on purpose to check that merchants verify (AFTER-SALES-FACTS §2.2). */
export const PROBE_SIGNATURE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** Replayed notifications and answers older than this are refused (S-WX `FiveMinute`). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n`; canonical URL = path + query; no body = "". */
export function requestSignatureMessage(
  method: string,
  canonicalUrl: string,
  timestamp: number,
  nonce: string,
  body: string,
): string {
  return `${method}\n${canonicalUrl}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** `TIMESTAMP\nNONCE\nBODY\n` over the raw body: answers and notifications. */
export function responseSignatureMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function sha256WithRsa(message: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKeyPem, 'base64');
}

export function authorizationHeader(fields: {
  mchid: string;
  serialNo: string;
  nonce: string;
  timestamp: number;
  signature: string;
}): string {
  return (
    `${WECHATPAY_SCHEME} mchid="${fields.mchid}",nonce_str="${fields.nonce}",` +
    `timestamp="${fields.timestamp}",serial_no="${fields.serialNo}",signature="${fields.signature}"`
  );
}

export interface SignedHeaders {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  serial: string | undefined;
}

/**
 * Why an answer or a notification from WeChat Pay is not to be believed, or undefined when it is:
 * the key is chosen by `Wechatpay-Serial` (a platform certificate serial or a `PUB_KEY_ID_…`),
 * the timestamp is within five minutes, and the signature covers the raw body.
 */
export function wechatSignatureProblem(
  headers: SignedHeaders,
  rawBody: string,
  platformKeys: Record<string, string>,
  nowSeconds: number,
): string | undefined {
  const { timestamp, nonce, signature, serial } = headers;
  if (!timestamp || !nonce || !signature || !serial) return 'signature headers missing';
  if (signature.startsWith(PROBE_SIGNATURE_PREFIX)) return 'a signature probe';
  const key = platformKeys[serial];
  if (!key) return `unknown Wechatpay-Serial ${serial}`;
  const at = Number(timestamp);
  if (!Number.isFinite(at) || Math.abs(nowSeconds - at) > MAX_CLOCK_SKEW_SECONDS)
    return 'timestamp too old or in the future';
  try {
    const ok = createVerify('RSA-SHA256')
      .update(responseSignatureMessage(timestamp, nonce, rawBody), 'utf8')
      .verify(key, signature, 'base64');
    return ok ? undefined : 'signature does not verify';
  } catch {
    return 'signature does not verify';
  }
}

/**
 * AEAD_AES_256_GCM resource decryption: IV = nonce, AAD = associated_data, the ciphertext's last
 * 16 bytes are the tag. The cipher follows the key's length, so the SDK's 16-byte test key
 * (AES-128) decrypts like a real 32-byte APIv3 key (AES-256).
 */
export function decryptResource(
  apiV3Key: string,
  resource: { nonce: string; associated_data?: string; ciphertext: string },
): string {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (![16, 24, 32].includes(key.length)) throw new Error('the APIv3 key must be 32 bytes');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv(
    `aes-${key.length * 8}-gcm` as 'aes-256-gcm',
    key,
    Buffer.from(resource.nonce, 'utf8'),
  );
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

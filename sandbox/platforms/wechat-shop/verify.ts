import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The simulator's own reading of WeChat's push signing (MORE-CHANNELS §3.4), written apart from
 * the adapter: SHA1 over the parts sorted as strings and concatenated; safe mode encrypts
 * 16 random bytes + length (4 bytes, big-endian) + message + app id with AES-256-CBC under
 * Base64(EncodingAESKey + "="), IV = the key's first 16 bytes, padded PKCS#7-style to 32 bytes.
 */
export function wechatSimSignature(...parts: string[]): string {
  const sha1 = createHash('sha1');
  for (const part of parts.slice().sort()) sha1.update(part, 'utf8');
  return sha1.digest('hex');
}

export function wechatSimEncrypt(encodingAesKey: string, appId: string, message: string): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

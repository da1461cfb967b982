import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat message-push verification (MORE-CHANNELS §3.4, the standard WeChat server scheme as the
 * SDK implements it). API calls are not signed (§3.2): HTTPS and the access token only.
 *
 * Plain mode: `signature` = SHA1 of [token, timestamp, nonce] sorted and joined. Safe mode: the
 * body is `{"Encrypt": …}` and `msg_signature` = SHA1 of [token, timestamp, nonce, Encrypt]
 * sorted and joined; the ciphertext is AES-256-CBC under Base64(EncodingAESKey + "="), IV = the
 * key's first 16 bytes, PKCS#7 padding to 32 bytes, plaintext = 16 random bytes, the message length
 * (4 bytes, big-endian), the message, the app id.
 */
export function wechatPushSignature(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''), 'utf8')
    .digest('hex');
}

export function wechatSignatureMatches(parts: string[], given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(wechatPushSignature(parts));
  const got = Buffer.from(given.toLowerCase());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** The message and the app id it was encrypted for, or undefined when it does not decrypt. */
export function decryptWechatMessage(
  encodingAesKey: string,
  encrypted: string,
): { message: string; appId: string } | undefined {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const pad = padded[padded.length - 1]!;
    if (pad < 1 || pad > 32) return undefined;
    const plain = padded.subarray(0, padded.length - pad);
    const length = plain.readUInt32BE(16);
    if (20 + length > plain.length) return undefined;
    return {
      message: plain.subarray(20, 20 + length).toString('utf8'),
      appId: plain.subarray(20 + length).toString('utf8'),
    };
  } catch {
    return undefined;
  }
}

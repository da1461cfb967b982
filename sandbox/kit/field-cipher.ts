import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * A simulated platform's receiver encryption: each call gives a new ciphertext (AES-256-CTR under a
 * random nonce) tagged with a keyed hash of the plaintext, so only the simulator that wrote it can
 * read it back, through its platform's decrypt call. Simulators wrap the token in their
 * platform's own shape.
 */
export class SimFieldCipher {
  private readonly key: Buffer;

  constructor(label: string, secret: string) {
    this.key = createHash('sha256').update(`${label}:${secret}`).digest();
  }

  /** `<index>.<payload>`, both URL-safe Base64. */
  encrypt(plain: string): string {
    const nonce = randomBytes(8);
    const cipher = createCipheriv('aes-256-ctr', this.key, Buffer.concat([nonce, Buffer.alloc(8)]));
    const body = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64url');
    return `${this.index(plain)}.${body}`;
  }

  /** The plaintext, or undefined when the token is not one of ours. */
  decrypt(token: string): string | undefined {
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
    if (!match) return undefined;
    const raw = Buffer.from(match[2]!, 'base64url');
    if (raw.length < 9) return undefined;
    const decipher = createDecipheriv(
      'aes-256-ctr',
      this.key,
      Buffer.concat([raw.subarray(0, 8), Buffer.alloc(8)]),
    );
    const plain = Buffer.concat([decipher.update(raw.subarray(8)), decipher.final()]).toString('utf8');
    return this.index(plain) === match[1] ? plain : undefined;
  }

  private index(plain: string): string {
    return createHmac('sha256', this.key).update(plain).digest().subarray(0, 6).toString('base64url');
  }
}

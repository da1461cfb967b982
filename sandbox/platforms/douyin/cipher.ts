import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Ciphertexts in Douyin's shapes: `##<index>*<payload>#1##` for names and addresses,
 * `$$<index>*<payload>$1$$` for phones. The index is a keyed hash of the plaintext (Douyin's
 * search index); the payload is AES-256-CTR. Real Douyin ciphertexts are longer (100–200 chars);
 * these stay short enough for our receiver schema's field limits.
 */
export class DouyinSimCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`douyin-sim-cipher:${secret}`).digest();
  }

  encrypt(plain: string, kind: 'text' | 'phone'): string {
    const nonce = randomBytes(8);
    const cipher = createCipheriv('aes-256-ctr', this.key, Buffer.concat([nonce, Buffer.alloc(8)]));
    const body = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
    const index = this.index(plain);
    return kind === 'phone' ? `$$${index}*${body}$1$$` : `##${index}*${body}#1##`;
  }

  /** The plaintext, or undefined when the string is not one of ours. */
  decrypt(cipherText: string): string | undefined {
    const match = /^(?:##|\$\$)([A-Za-z0-9+/=]+)\*([A-Za-z0-9+/=]+)(?:#1##|\$1\$\$)$/.exec(cipherText);
    if (!match) return undefined;
    const raw = Buffer.from(match[2]!, 'base64');
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
    return createHmac('sha256', this.key).update(plain).digest().subarray(0, 6).toString('base64');
  }
}

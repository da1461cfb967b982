import { createCipheriv, createHash, createHmac } from 'node:crypto';

/**
 * Receiver ciphertext as the PDD simulator hands it out: `~{base64}~{search index}~1~~` (the
 * "with 检索串" form; ❓ PDD's exact format, API-FACTS §16). The payload is AES-128-CTR bound to
 * the order number and field, with a short MAC, so only `pdd.open.decrypt.batch` with the right
 * `data_tag` can open it.
 */
export type CipherField = 'name' | 'phone' | 'address';

const FIELD_BYTE: Record<CipherField, number> = { name: 5, phone: 6, address: 8 };
const BYTE_FIELD = new Map(Object.entries(FIELD_BYTE).map(([field, byte]) => [byte, field as CipherField]));

export class PddCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`pdd-sim|${secret}`).digest().subarray(0, 16);
  }

  private iv(orderSn: string, field: CipherField) {
    return createHmac('sha256', this.key).update(`iv|${orderSn}|${field}`).digest().subarray(0, 16);
  }

  private mac(orderSn: string, field: CipherField, body: Buffer) {
    return createHmac('sha256', this.key)
      .update(`mac|${orderSn}|${field}|`)
      .update(body)
      .digest()
      .subarray(0, 4);
  }

  encrypt(orderSn: string, field: CipherField, plaintext: string): string {
    const cipher = createCipheriv('aes-128-ctr', this.key, this.iv(orderSn, field));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([Buffer.from([FIELD_BYTE[field]]), body, this.mac(orderSn, field, body)]);
    const index = createHmac('sha256', this.key)
      .update(`index|${plaintext}`)
      .digest()
      .subarray(0, 6)
      .toString('base64url');
    return `~${payload.toString('base64')}~${index}~1~~`;
  }

  /**
   * `open_address_id` (合单ID): the same for every order to one receiver at one address, whatever the
   * order, and unreadable without the key. ❓ PDD's format; only its stability matters.
   */
  openAddressId(receiver: { name: string; phone: string; address: string }): string {
    return createHmac('sha256', this.key)
      .update(`open-address|${receiver.name}|${receiver.phone}|${receiver.address}`)
      .digest()
      .subarray(0, 18)
      .toString('base64url');
  }

  /** Plaintext and PDD's data_type, or undefined when the ciphertext is not this order's. */
  decrypt(orderSn: string, ciphertext: string): { plaintext: string; dataType: number } | undefined {
    const match = /^~([A-Za-z0-9+/=]+)~[^~]*~\d+~~$/.exec(ciphertext);
    if (!match) return undefined;
    const payload = Buffer.from(match[1]!, 'base64');
    const field = BYTE_FIELD.get(payload[0] ?? -1);
    if (!field || payload.length < 5) return undefined;
    const body = payload.subarray(1, payload.length - 4);
    if (!this.mac(orderSn, field, body).equals(payload.subarray(payload.length - 4))) return undefined;
    const decipher = createCipheriv('aes-128-ctr', this.key, this.iv(orderSn, field));
    const plaintext = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    return { plaintext, dataType: FIELD_BYTE[field] };
  }
}

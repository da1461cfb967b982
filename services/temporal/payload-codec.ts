import {
  METADATA_ENCODING_KEY,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
// The package is CommonJS: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { ActorAssertionCodec, actorAssertionKey, type ActorKeyConfig } from './actor-assertion.js';
import { dataKeyring, open, seal, type DataKeyring, type DataKeysConfig } from '../../db/crypto/data-keys.js';

/**
 * Temporal payload encryption. Every payload a worker or client sends to Temporal (workflow and
 * activity inputs and results, signals, updates, queries, memos, failures' details) is replaced by
 * its AES-256-GCM ciphertext, so histories — which hold decrypted receivers between the activity
 * that decrypts them and the one that prints the label — never hold a buyer's name, phone or
 * address in the clear. The key id travels in the payload's metadata: a history written before a
 * rotation decrypts while its key stays listed in DATA_KEYS.
 *
 * Payloads that are not ours (written before encryption was switched on, or by a tool) pass
 * through unchanged, so histories recorded in plaintext still replay.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const PayloadMessage = proto.temporal.api.common.v1.Payload;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: DataKeyring) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const { keyId, bytes } = seal(this.ring, Buffer.from(PayloadMessage.encode(payload).finish()));
        return {
          metadata: {
            [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
            [KEY_ID_METADATA]: encoder.encode(keyId),
          },
          data: new Uint8Array(bytes),
        };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
        const keyId = payload.metadata?.[KEY_ID_METADATA];
        if (!keyId || !payload.data) throw new Error('an encrypted payload without its key id or data');
        const plain = open(this.ring, { keyId: decoder.decode(keyId), bytes: Buffer.from(payload.data) });
        return PayloadMessage.decode(plain) as Payload;
      }),
    );
  }
}

/** The data converter of every worker and client of this deployment. */
export function temporalDataConverter(config: DataKeysConfig): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(dataKeyring(config))] };
}

/**
 * The worker's data converter: the same encryption, and after decrypting, the check of the actor
 * assertions Updates carry (services/temporal/actor-assertion.ts). Codecs decode last-first.
 */
export function workerDataConverter(config: ActorKeyConfig): DataConverter {
  return {
    payloadCodecs: [
      new ActorAssertionCodec(actorAssertionKey(config)),
      new EncryptionCodec(dataKeyring(config)),
    ],
  };
}

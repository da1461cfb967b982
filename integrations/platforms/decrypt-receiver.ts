import type { NormalizedOrder, Receiver } from '../../domain/order.js';
import { RequestRejectedError } from './errors.js';

const PROTECTED_FIELDS = ['name', 'phone', 'detail'] as const;
type ProtectedField = (typeof PROTECTED_FIELDS)[number];

/** One field's answer from a platform's batch-decrypt call, in our words. */
export interface DecryptAnswer {
  text: string | null | undefined;
  errorCode: number | string;
  errorMessage?: string | null;
}

/**
 * The order's receiver in plain text through the platform's own batch-decrypt call (Douyin,
 * Kuaishou, …): `decrypt` gets the ciphertexts of the fields that are present and answers each by
 * its ciphertext. A field the platform does not return or refuses fails the whole receiver, so a
 * label never carries half an address.
 */
export async function decryptProtectedReceiver(
  platform: string,
  order: NormalizedOrder,
  decrypt: (
    ciphers: { field: ProtectedField; cipher: string }[],
  ) => Promise<(cipher: string) => DecryptAnswer | undefined>,
): Promise<Receiver> {
  const { receiver } = order;
  if (!receiver.protected) return receiver;
  const ciphers = PROTECTED_FIELDS.filter((f) => receiver[f]).map((field) => ({
    field,
    cipher: receiver[field]!,
  }));
  const answerFor = await decrypt(ciphers);
  const plain = { ...receiver, protected: false };
  for (const { field, cipher } of ciphers) {
    const found = answerFor(cipher);
    if (!found || Number(found.errorCode) !== 0 || !found.text) {
      throw new RequestRejectedError(
        `${platform} could not decrypt the ${field} of order ${order.platformOrderId}: ${found?.errorMessage || 'not returned'}`,
        platform,
        String(found?.errorCode ?? 'missing'),
      );
    }
    plain[field] = found.text;
  }
  return plain;
}

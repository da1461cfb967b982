import type { Receiver } from './order.js';

/**
 * A stable fingerprint of a receiver as the platform gives it: two snapshots with the same
 * fingerprint deliver to the same person at the same address. Encrypting platforms change their
 * ciphertext and address handle (Taobao `oaid`, PDD/Douyin `open_address_id`) when the buyer
 * changes the address, so comparing what they send is enough: nothing is decrypted. Only the
 * fingerprint is written to timelines, never the receiver. Pure (workflow code uses it).
 */
export function receiverFingerprint(receiver: Receiver): string {
  const text = [
    receiver.name,
    receiver.phone,
    receiver.country,
    receiver.province,
    receiver.city,
    receiver.district,
    receiver.town ?? '',
    receiver.detail,
    receiver.postalCode ?? '',
    receiver.addressHandle ?? '',
  ]
    .map((part) => part.trim())
    .join('\u001f');
  return fnv1a(text, 0x811c9dc5) + fnv1a(text, 0x050c5d1f);
}

function fnv1a(text: string, seed: number): string {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

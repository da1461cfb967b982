import { normalizeAddress, normalizePhone, normalizeText } from './normalize.js';
import type { MergePolicy, ReadyOrder } from './types.js';

/**
 * Orders with the same merge key may ship in one parcel: same platform, buyer and receiver (name,
 * phone, address after normalization), and the same shop unless cross-shop merging is on.
 * Protected receivers compare by the platform's address handle (Taobao OAID), which is stable for one
 * receiver, and fall back to the ciphertext.
 */
export function mergeKey(
  order: Pick<ReadyOrder, 'platform' | 'shopId' | 'buyerId' | 'receiver'>,
  policy: Pick<MergePolicy, 'crossShop'> = { crossShop: false },
): string {
  const r = order.receiver;
  const receiver =
    r.protected && r.addressHandle
      ? `handle:${r.addressHandle}`
      : [normalizeText(r.name), normalizePhone(r.phone), normalizeAddress(r)].join('|');
  const scope = policy.crossShop ? order.platform : `${order.platform}/${order.shopId}`;
  return `${scope}|${normalizeText(order.buyerId)}|${receiver}`;
}

/** Why an order must ship on its own, or null when it may merge. */
export function mergeBlocker(order: ReadyOrder, policy: MergePolicy): string | null {
  if (!policy.enabled) return 'merging is off';
  if (order.held && !policy.mergeHeld) return 'held';
  if (order.locked && !policy.mergeLocked) return 'locked';
  if (order.refundStatus === 'requested' && !policy.mergeRefunding) return 'refund requested';
  if (order.type === 'presale' && !policy.mergePresale) return 'presale';
  return null;
}

export function canMerge(order: ReadyOrder, policy: MergePolicy): boolean {
  return mergeBlocker(order, policy) === null;
}

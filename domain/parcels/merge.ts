import { normalizeAddress, normalizePhone, normalizeText } from './normalize.js';
import type { MergePolicy, ReadyOrder } from './types.js';

/**
 * Platforms whose address handle is itself the merge identity and which give sellers no buyer id:
 * PDD's `open_address_id` is its 合单ID ("普通订单相同open_address_id可直接合单",
 * `pdd.order.merge.ship.order.group`), and its orders carry no buyer id (each is its own buyer), so
 * the handle alone says "one buyer, one receiver, one address".
 */
const HANDLE_IS_BUYER: ReadonlySet<string> = new Set(['pdd']);

/**
 * Orders with the same merge key may ship in one parcel: same platform, buyer and receiver (name,
 * phone, address after normalization), and the same shop unless cross-shop merging is on.
 * Protected receivers compare by the platform's address handle (Taobao OAID, Douyin and PDD
 * `open_address_id`), which is stable for one receiver while the ciphertext differs per order, and
 * fall back to the ciphertext. Nothing is decrypted to merge.
 */
export function mergeKey(
  order: Pick<ReadyOrder, 'platform' | 'shopId' | 'buyerId' | 'receiver'>,
  policy: Pick<MergePolicy, 'crossShop'> = { crossShop: false },
): string {
  const r = order.receiver;
  const handle = r.protected && r.addressHandle ? r.addressHandle : undefined;
  const receiver = handle
    ? `handle:${handle}`
    : [normalizeText(r.name), normalizePhone(r.phone), normalizeAddress(r)].join('|');
  const scope = policy.crossShop ? order.platform : `${order.platform}/${order.shopId}`;
  const buyer = handle && HANDLE_IS_BUYER.has(order.platform) ? '' : normalizeText(order.buyerId);
  return `${scope}|${buyer}|${receiver}`;
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

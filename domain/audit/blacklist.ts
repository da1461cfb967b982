import { z } from 'zod';
import type { NormalizedOrder } from '../order.js';
import type { NormalizedAddress } from '../regions/types.js';

/**
 * Buyers, phones and addresses that must not ship without a person looking first (fraud, repeated
 * malicious refunds, a courier's no-go address). Values are compared in a normalized form so the
 * same phone written "+86 138-0000-1234" and "13800001234" is one entry.
 */
export const BLACKLIST_KINDS = ['buyer', 'phone', 'address'] as const;
export const BlacklistKindSchema = z.enum(BLACKLIST_KINDS);
export type BlacklistKind = z.infer<typeof BlacklistKindSchema>;

export interface BlacklistEntry {
  id: string;
  kind: BlacklistKind;
  /** Normalized with `normalizeBlacklistValue`. */
  value: string;
  /** Buyer ids are per platform; null matches every platform. */
  platform: string | null;
  reason: string;
}

export interface BlacklistHit {
  entryId: string;
  kind: BlacklistKind;
  value: string;
  reason: string;
}

/** Shortest address entry accepted: shorter ones ("100号") would match half the country. */
export const MIN_ADDRESS_ENTRY_CHARS = 6;

export function normalizeBlacklistValue(kind: BlacklistKind, value: string): string {
  const text = value.normalize('NFKC').trim();
  if (kind === 'buyer') return text;
  if (kind === 'phone') {
    const digits = text.replace(/\D/g, '');
    return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  }
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The address as one normalized string: canonical region names followed by the street address. */
export function addressKey(
  address: Pick<NormalizedAddress, 'province' | 'city' | 'district' | 'detail'>,
): string {
  const region = normalizeBlacklistValue('address', `${address.province}${address.city}${address.district}`);
  let detail = normalizeBlacklistValue('address', address.detail);
  // Platforms repeat the region at the start of the detail; keep it once.
  for (const part of [address.province, address.city, address.district]) {
    const p = normalizeBlacklistValue('address', part);
    if (p && detail.startsWith(p)) detail = detail.slice(p.length);
  }
  return region + detail;
}

export interface BlacklistLookup {
  buyer: string;
  /** Absent when the phone is masked or encrypted by the platform. */
  phone?: string;
  /** Absent when the address is masked or encrypted by the platform. */
  address?: string;
}

/** What of an order can be looked up in the blacklist. */
export function blacklistLookup(
  order: Pick<NormalizedOrder, 'buyer' | 'receiver'>,
  address: Pick<NormalizedAddress, 'province' | 'city' | 'district' | 'detail'>,
): BlacklistLookup {
  const lookup: BlacklistLookup = { buyer: normalizeBlacklistValue('buyer', order.buyer.id) };
  const masked = order.receiver.protected === true;
  const phone = normalizeBlacklistValue('phone', order.receiver.phone ?? '');
  if (!masked && !(order.receiver.phone ?? '').includes('*') && phone.length >= 7) lookup.phone = phone;
  if (!masked) lookup.address = addressKey(address);
  return lookup;
}

/**
 * The entries an order hits. Address entries match the end of the order's address, so an entry
 * of just the street and number ("文三路100号") catches the address however the region is written.
 */
export function matchBlacklist(
  entries: readonly BlacklistEntry[],
  platform: string,
  lookup: BlacklistLookup,
): BlacklistHit[] {
  const hits: BlacklistHit[] = [];
  for (const entry of entries) {
    if (entry.platform && entry.platform !== platform) continue;
    const hit =
      (entry.kind === 'buyer' && entry.value === lookup.buyer) ||
      (entry.kind === 'phone' && lookup.phone !== undefined && entry.value === lookup.phone) ||
      (entry.kind === 'address' &&
        lookup.address !== undefined &&
        entry.value.length >= MIN_ADDRESS_ENTRY_CHARS &&
        lookup.address.endsWith(entry.value));
    if (hit) hits.push({ entryId: entry.id, kind: entry.kind, value: entry.value, reason: entry.reason });
  }
  return hits.sort((a, b) => a.entryId.localeCompare(b.entryId));
}

import { isSealedText, lookupHash, openText, sealText, type DataKeyring } from './data-keys.js';

/**
 * Receivers at rest in PostgreSQL. Wherever a receiver lands in a row — the order's platform and
 * edited receivers, a wave's ready orders and parcels, a stock wait's request, a parked snapshot, a
 * reviewer's before/after on the timeline — its personal fields (name, phone, street address,
 * postal code, the platform's address handle) are kept as one sealed value (AES-256-GCM under
 * DATA_KEYS), and only the region stays readable: country, province, city, district and town,
 * which routing, allocation, reports and the region audit rules read in SQL and which identify
 * nobody on their own. See docs/data-protection.md.
 *
 * A stored receiver looks like `{ country, province, city, district, town?, protected?, sealed }`.
 * Receivers written before this (plaintext) are read as they are.
 */

/** The fields sealed; everything else of a receiver is the region (kept readable). */
export const PERSONAL_RECEIVER_FIELDS = ['name', 'phone', 'detail', 'postalCode', 'addressHandle'] as const;

/** Properties whose value is a receiver, in any JSON we store. */
const RECEIVER_KEYS = new Set(['receiver', 'effectiveReceiver', 'effective_receiver']);

const AAD = 'receiver';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A receiver (or part of one) with its personal fields sealed. Already sealed ones pass through. */
export function sealReceiver(ring: DataKeyring, receiver: Json): Json {
  const personal: Json = {};
  const rest: Json = {};
  for (const [key, value] of Object.entries(receiver)) {
    if ((PERSONAL_RECEIVER_FIELDS as readonly string[]).includes(key)) personal[key] = value;
    else rest[key] = value;
  }
  if (Object.keys(personal).length === 0) return receiver;
  const merged = isSealedText(rest.sealed) ? { ...openSealed(ring, rest.sealed), ...personal } : personal;
  return { ...rest, sealed: sealText(ring, JSON.stringify(merged), AAD) };
}

function openSealed(ring: DataKeyring, sealed: string): Json {
  return JSON.parse(openText(ring, sealed, AAD)) as Json;
}

/** The receiver as it was given to `sealReceiver`; a plaintext (older) one as it is. */
export function openReceiver(ring: DataKeyring, stored: Json): Json {
  if (!isSealedText(stored.sealed)) return stored;
  const { sealed, ...rest } = stored;
  return { ...rest, ...openSealed(ring, sealed) };
}

/** A copy of `value` with `onReceiver` applied to every receiver in it (see RECEIVER_KEYS). */
export function mapReceiversIn<T>(value: T, onReceiver: (receiver: Json) => Json): T {
  return walk(value, onReceiver) as T;
}

function walk(value: unknown, onReceiver: (receiver: Json) => Json): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, onReceiver));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = RECEIVER_KEYS.has(key) && isObject(v) ? onReceiver(v) : walk(v, onReceiver);
  }
  return out;
}

/** A copy of `value` with every receiver in it sealed (see RECEIVER_KEYS). */
export function sealReceiversIn<T>(ring: DataKeyring, value: T): T {
  return walk(value, (r) => sealReceiver(ring, r)) as T;
}

/** A copy of `value` with every receiver in it opened. */
export function openReceiversIn<T>(ring: DataKeyring, value: T): T {
  return walk(value, (r) => openReceiver(ring, r)) as T;
}

/** Whether any receiver in `value` still holds plaintext personal fields (for the migration). */
export function hasPlainReceiver(value: unknown): boolean {
  let found = false;
  walk(value, (r) => {
    if (PERSONAL_RECEIVER_FIELDS.some((f) => f in r)) found = true;
    return r;
  });
  return found;
}

export const PHONE_TAIL_DIGITS = 4;

/**
 * The lookup hash of a phone number's last four digits (HMAC-SHA256 under DATA_LOOKUP_KEY), stored
 * beside the sealed receiver so `GET /orders?phoneTail=1234` finds an order without decrypting every
 * row. Masked numbers (138****1234) keep their real tail. Null when the number has fewer digits.
 */
export function phoneTailHash(ring: DataKeyring, phone: unknown): string | null {
  if (typeof phone !== 'string') return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < PHONE_TAIL_DIGITS) return null;
  return phoneTailLookup(ring, digits.slice(-PHONE_TAIL_DIGITS));
}

/** The hash a search for these last four digits looks up. */
export function phoneTailLookup(ring: DataKeyring, tail: string): string {
  return lookupHash(ring, 'phone_tail', tail);
}

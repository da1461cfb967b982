import { mapReceiversIn } from '../../db/crypto/receivers.js';
import { maskAddressDetail, maskName, maskPhone } from '../../domain/carriers/masking.js';
import type { Role } from '../../domain/audit/roles.js';

/**
 * How much of a receiver a caller sees in API answers (docs/access.md, "Receivers by role"):
 *
 * - `full`: reviewers (they check and edit addresses), customer service (they talk to buyers and
 *   correct addresses), ops and admin.
 * - `packing`: the warehouse sees what a parcel's label shows — the whole delivery address, the
 *   name and phone masked (张*, 138****1234), as on the privacy waybill it packs against.
 * - `region`: finance needs amounts, not people: the region only; name, phone and street masked,
 *   postal code and the platform's address handle left out.
 *
 * A caller with several roles sees the most any of them may.
 */
export type ReceiverView = 'full' | 'packing' | 'region';

const FULL: readonly Role[] = ['admin', 'ops', 'reviewer', 'customer-service'];

export function receiverViewFor(roles: readonly string[]): ReceiverView {
  if (FULL.some((r) => roles.includes(r))) return 'full';
  if (roles.includes('warehouse')) return 'packing';
  return 'region';
}

type Json = Record<string, unknown>;

const masked = (value: unknown, mask: (text: string) => string) =>
  typeof value === 'string' ? mask(value) : value;

function maskReceiver(receiver: Json, view: Exclude<ReceiverView, 'full'>): Json {
  const { postalCode: _postalCode, addressHandle: _handle, ...rest } = receiver;
  const out: Json = { ...(view === 'packing' ? receiver : rest) };
  if ('name' in receiver) out.name = masked(receiver.name, maskName);
  if ('phone' in receiver) out.phone = masked(receiver.phone, maskPhone);
  if (view === 'region' && 'detail' in receiver) out.detail = masked(receiver.detail, maskAddressDetail);
  return out;
}

/** One receiver cut to what `view` may see. */
export function receiverFor(receiver: Json, view: ReceiverView): Json {
  return view === 'full' ? receiver : maskReceiver(receiver, view);
}

/** `value` with every receiver in it (order, edits, timeline details) cut to what `view` may see. */
export function receiversFor<T>(value: T, view: ReceiverView): T {
  return view === 'full' ? value : mapReceiversIn(value, (r) => maskReceiver(r, view));
}

import type { AuditHoldCandidate } from '../audit/payment-check.js';
import type { CarrierCode } from './codes.js';
import type { CarrierProfile } from './profile.js';
import { coverageRejection } from './quote.js';
import { resolvePlace, type Place } from './zones.js';

/**
 * Carrier reachability at audit (筛单): before an order is allocated, is there a carrier of the
 * shop that delivers to the receiver's address? The registry's coverage rules answer first (from
 * any active warehouse); a carrier whose service has a coverage call (SF 订单筛选) is then asked,
 * and its "no" outweighs the registry's "yes". An order nobody can reach is held with every
 * carrier's reason, so a person corrects the address or picks another carrier before anything
 * is packed — instead of a parcel in exception at the packing bench.
 */

export const ADDRESS_UNREACHABLE_REASON = 'address_unreachable';
/** The hold's rule id: a re-audit (edited address or carrier) closes it when a carrier reaches. */
export const REACHABILITY_RULE_ID = 'carrier_reachability';

/** One carrier's answer for one address: null = it delivers there, else why not. */
export type CarrierReach = { carrier: CarrierCode; nameZh: string; unreachable: string | null };

/** What a carrier's own service said when asked (a service that could not tell leaves the registry's answer). */
export type ServiceCoverage =
  { serves: true } | { serves: false; reason: string } | { serves: 'unknown'; reason: string };

/**
 * Whether the registry lets `profile` deliver to `destination` from at least one of `origins`:
 * null, or the reason from the origin that came closest (the first's).
 */
export function registryReach(
  profile: CarrierProfile,
  origins: readonly Place[],
  destination: Place,
): string | null {
  if (origins.length === 0) return null;
  let first: string | null = null;
  for (const origin of origins) {
    const rejection = coverageRejection(profile, origin, destination);
    if (!rejection) return null;
    first ??= rejection.message;
  }
  return first;
}

/** Whether the address is placed well enough to ask carriers about it (an unknown province is `address_invalid`'s). */
export function placeable(destination: Place): boolean {
  const place = resolvePlace(destination);
  return place.country !== 'CN' || place.province !== undefined;
}

export interface ReachabilityDecisionInput {
  reaches: readonly CarrierReach[];
  /**
   * A carrier the order is bound to: a reviewer's choice, or the one the platform promised the
   * buyer (PDD 顺丰包邮). When the shop ships with it, only it is asked about; a reviewer's choice
   * replaces the promise.
   */
  bound?: { carrier: CarrierCode; source: string };
  destinationText: string;
}

/** The hold for an order no carrier of the shop reaches (or whose bound carrier does not), else null. */
export function reachabilityHold(input: ReachabilityDecisionInput): AuditHoldCandidate | null {
  const { reaches, bound, destinationText } = input;
  if (reaches.length === 0) return null;
  // A bound carrier the shop does not ship with binds nothing: the shipment chooses among the others.
  const reach = bound && reaches.find((r) => r.carrier === bound.carrier);
  if (bound && reach) {
    const why = reach.unreachable;
    if (why === null) return null;
    const others = reaches.filter((r) => r.unreachable === null).map((r) => r.carrier);
    return hold(
      `${bound.carrier} (${bound.source}) cannot deliver to ${destinationText}: ${why}` +
        (others.length
          ? `; carriers that can: ${others.join(', ')}`
          : '; no other carrier of the shop can either'),
    );
  }
  if (reaches.some((r) => r.unreachable === null)) return null;
  return hold(
    `no carrier of the shop delivers to ${destinationText}: ` +
      reaches.map((r) => `${r.carrier} ${r.nameZh}: ${r.unreachable}`).join('; '),
  );
}

function hold(detail: string): AuditHoldCandidate {
  return {
    reason: ADDRESS_UNREACHABLE_REASON,
    stage: 1,
    clearedBy: 'customer-service',
    ruleId: REACHABILITY_RULE_ID,
    message: '收货地址不在可用快递的派送范围（筛单未通过）：核对地址或改用能送达的快递，修改后自动重新筛单',
    detail,
  };
}

/** The registry's answer corrected by the carrier's own service, when it was asked. */
export function withService(reach: CarrierReach, answer: ServiceCoverage | undefined): CarrierReach {
  if (!answer || reach.unreachable !== null || answer.serves !== false) return reach;
  return { ...reach, unreachable: answer.reason };
}

/** How the hold names the address: the region only (the street may be protected). */
export function destinationText(destination: Place & { district?: string }): string {
  const place = resolvePlace(destination);
  if (place.country !== 'CN')
    return [place.country, destination.province, destination.city].filter(Boolean).join(' ');
  return [place.province?.short ?? destination.province, destination.city, destination.district]
    .filter(Boolean)
    .join(' ');
}

import type { CarrierCode } from './codes.js';
import type { CarrierProfile } from './profile.js';
import { kg, quote, yuan, type ParcelSpec, type Quote, type Rejection, type RejectionWhy } from './quote.js';
import { allCarrierProfiles } from './registry.js';
import { resolvePlace, zoneBetween, type Place } from './zones.js';

/** Why a carrier is left out: the English, and (where its producer says it) the finer code and particulars. */
export type LeftOut = string | { message: string; why?: RejectionWhy };

export interface CarrierSelectionInput {
  parcel: ParcelSpec;
  /** The warehouse: province (and city, for same-city couriers); country defaults to CN. */
  origin: Place;
  destination: Place;
  /**
   * The seller's enabled carriers with their contract rates; by default every domestic carrier we
   * know (express, freight, same-city: global integrators only when a seller enables them).
   */
  candidates?: readonly CarrierProfile[];
  /** Asked for by the platform (PDD `free_sf`) or the buyer ("请发顺丰"). */
  preferred?: { carrier: CarrierCode; source: string };
  /** A reviewer's decision. */
  override?: { carrier: CarrierCode; by: string };
  /**
   * Carriers no configured tracking service can follow, with why: they are not chosen, since a
   * parcel nobody can track cannot be seen delivered (or lost).
   */
  untracked?: ReadonlyMap<CarrierCode, LeftOut>;
  /**
   * Carriers whose waybill accounts in the shop are all stopped, with why: they could not issue
   * the waybill, so they are not chosen (the shop was alerted when each account stopped).
   */
  stopped?: ReadonlyMap<CarrierCode, LeftOut>;
  /**
   * Where each carrier's price comes from, said beside the price in the reason (an account's rate
   * table, the shop's contract, the registry's invented list prices); absent: not said.
   */
  rateSources?: ReadonlyMap<CarrierCode, string>;
  /** Carriers the shop's rate tables do not price for this destination: not chosen, with why. */
  unpriced?: ReadonlyMap<CarrierCode, LeftOut>;
}

export interface RejectedCarrier {
  carrier: CarrierCode;
  reasons: Rejection[];
}

/** A preference or override we could not honour, and why. */
export interface Declined {
  kind: 'override' | 'preference';
  carrier: CarrierCode;
  source: string;
  why: string;
}

export interface CarrierChosen {
  ok: true;
  carrier: CarrierCode;
  basis: 'override' | 'preference' | 'cheapest';
  chargeableWeightG: number;
  costFen: number;
  quote: Quote;
  reason: string;
  /** Every other carrier that could take the parcel, cheapest first. */
  alternatives: Quote[];
  rejected: RejectedCarrier[];
  declined: Declined[];
}

/** No carrier can take the parcel: the caller holds the order for a human with `reason`. */
export interface NoCarrierPossible {
  ok: false;
  reason: string;
  rejected: RejectedCarrier[];
  declined: Declined[];
}

export type CarrierSelection = CarrierChosen | NoCarrierPossible;

/** A left-out carrier's rejection: its English, and its finer code when the producer gave one. */
function leftOut(code: Rejection['code'], why: LeftOut): Rejection {
  return typeof why === 'string' ? { code, message: why } : { code, ...why };
}

/**
 * Picks the carrier for one parcel. A reviewer's override wins over a platform or buyer
 * preference, which wins over price; but nothing ever picks a carrier that cannot carry the
 * parcel there — the declined request is reported with its reason and the next rule decides.
 */
export function selectCarrier(input: CarrierSelectionInput): CarrierSelection {
  const candidates = input.candidates ?? allCarrierProfiles().filter((p) => p.kind !== 'international');
  // An address we cannot place is one problem for a human, not one per carrier.
  const route = zoneBetween(input.origin, input.destination);
  if (!route.ok)
    return { ok: false, reason: `cannot route the parcel: ${route.problem}`, rejected: [], declined: [] };
  const feasible: Quote[] = [];
  const rejected: RejectedCarrier[] = [];
  for (const profile of candidates) {
    const result = quote(profile, input.parcel, input.origin, input.destination);
    const untracked = input.untracked?.get(profile.code);
    const stopped = input.stopped?.get(profile.code);
    const unpriced = input.unpriced?.get(profile.code);
    if (result.ok && !untracked && !stopped && !unpriced) feasible.push(result.quote);
    else
      rejected.push({
        carrier: profile.code,
        reasons: [
          ...(result.ok ? [] : result.rejections),
          ...(untracked ? [leftOut('untracked', untracked)] : []),
          ...(stopped ? [leftOut('no_waybill_account', stopped)] : []),
          ...(unpriced ? [leftOut('no_rate', unpriced)] : []),
        ],
      });
  }
  // Stable: equal prices keep the seller's order of preference among candidates.
  const ranked = feasible
    .map((q, i) => ({ q, i }))
    .sort((a, b) => a.q.costFen - b.q.costFen || a.i - b.i)
    .map(({ q }) => q);

  const price = (q: Quote) => {
    const source = input.rateSources?.get(q.carrier);
    return source ? `${yuan(q.costFen)}, ${source}` : yuan(q.costFen);
  };
  const declined: Declined[] = [];
  const destinationName = placeName(input.destination);
  const parcelText = kg(ranked[0]?.chargeableWeightG ?? input.parcel.weightG);

  const requested = (kind: Declined['kind'], carrier: CarrierCode, source: string) => {
    const hit = ranked.find((q) => q.carrier === carrier);
    if (hit) return hit;
    const why = rejected.find((r) => r.carrier === carrier);
    declined.push({
      kind,
      carrier,
      source,
      why: why ? why.reasons.map((r) => r.message).join('; ') : 'not among the shop’s enabled carriers',
    });
    return undefined;
  };

  const chosen = (q: Quote, basis: CarrierChosen['basis'], reason: string): CarrierChosen => ({
    ok: true,
    carrier: q.carrier,
    basis,
    chargeableWeightG: q.chargeableWeightG,
    costFen: q.costFen,
    quote: q,
    reason: [reason, ...declined.map(declinedText)].join('; '),
    alternatives: ranked.filter((other) => other.carrier !== q.carrier),
    rejected,
    declined,
  });

  if (input.override) {
    const hit = requested('override', input.override.carrier, input.override.by);
    if (hit) {
      return chosen(
        hit,
        'override',
        `${hit.carrier}: chosen by ${input.override.by} for ${kg(hit.chargeableWeightG)} to ${destinationName} (${price(hit)})`,
      );
    }
  }
  if (input.preferred) {
    const hit = requested('preference', input.preferred.carrier, input.preferred.source);
    if (hit) {
      return chosen(
        hit,
        'preference',
        `${hit.carrier}: requested by ${input.preferred.source} for ${kg(hit.chargeableWeightG)} to ${destinationName} (${price(hit)})`,
      );
    }
  }
  const cheapest = ranked[0];
  if (cheapest) {
    const n = ranked.length;
    return chosen(
      cheapest,
      'cheapest',
      `${cheapest.carrier}: cheapest of ${n} carrier${n === 1 ? '' : 's'} covering ${destinationName} for ${kg(cheapest.chargeableWeightG)} (${price(cheapest)})`,
    );
  }
  return {
    ok: false,
    reason: `no carrier can take ${parcelText} to ${destinationName}: ${summarize(rejected)}`,
    rejected,
    declined,
  };
}

function declinedText(d: Declined): string {
  return `${d.kind} for ${d.carrier} (${d.source}) not followed: ${d.why}`;
}

function placeName(place: Place): string {
  const resolved = resolvePlace(place);
  if (resolved.country !== 'CN') return resolved.country;
  return resolved.province?.short ?? place.province ?? 'unknown province';
}

/** The most common rejection reasons, so a hold says why in one line. */
function summarize(rejected: RejectedCarrier[]): string {
  if (rejected.length === 0) return 'the shop has no carriers enabled';
  const counts = new Map<string, number>();
  for (const r of rejected) {
    for (const reason of r.reasons) counts.set(reason.message, (counts.get(reason.message) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([message, n]) => `${message} (${n} carrier${n === 1 ? '' : 's'})`)
    .join('; ');
}

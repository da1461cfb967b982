import type { Capability, CarrierProfile, Rate } from './profile.js';
import { resolvePlace, zoneBetween, type Place, type Zone } from './zones.js';

export interface ParcelSpec {
  /** Actual weight in grams. */
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  /** Handling the goods need: cold_chain, fragile, cod (collect on delivery), bulky, … */
  needs?: readonly Capability[];
}

export type RejectionCode =
  | 'no_coverage'
  | 'excluded_region'
  | 'over_weight'
  | 'over_size'
  | 'lacks_capability'
  | 'no_rate'
  | 'not_enabled'
  /** No configured tracking service can follow this carrier's parcels. */
  | 'untracked'
  /** The shop's waybill accounts for this carrier are all stopped (balance, authorisation, subscription). */
  | 'no_waybill_account';

export interface Rejection {
  code: RejectionCode;
  /** The reason in English, for logs and the API's readers (unchanged by `why`). */
  message: string;
  /**
   * What `message` says, as a finer code and its particulars, so a reader's language can say it
   * (the web UI's ui/src/i18n/rejections.ts); absent on reasons recorded before it was added.
   */
  why?: RejectionWhy;
}

/** The finer reasons of a rejection, each with the particulars its sentence needs. */
export type RejectionWhy =
  | { code: 'over_weight'; params: { weightG: number; maxWeightG: number } }
  | { code: 'longest_side'; params: { sideMm: number; maxMm: number } }
  | { code: 'sides_total'; params: { sumMm: number; maxMm: number } }
  | { code: 'length_plus_girth'; params: { girthMm: number; maxMm: number } }
  /** `needs`: the capabilities it lacks, comma-separated codes (cold_chain, fragile, …). */
  | { code: 'lacks_capability'; params: { needs: string } }
  | { code: 'no_pickup_in_country'; params: { country: string } }
  | { code: 'no_mainland_delivery'; params: Record<string, never> }
  | { code: 'unknown_province'; params: Record<string, never> }
  | { code: 'excluded_province'; params: { province: string } }
  | { code: 'no_delivery_to_province'; params: { province: string } }
  | { code: 'same_city_only'; params: Record<string, never> }
  | { code: 'no_delivery_to_country'; params: { country: string } }
  /** The route itself cannot be placed; `problem` is the zone lookup's English. */
  | { code: 'no_route'; params: { problem: string } }
  | { code: 'no_zone_price'; params: { zone: string } }
  /** Every account of the carrier with a rate table leaves the province out (`accounts`: their names). */
  | {
      code: 'no_table_price';
      params: { carrier: string; province: string; origin?: string; accounts: string };
    }
  /** Every waybill account of the carrier in the shop is stopped (`accounts`: their names). */
  | { code: 'accounts_stopped'; params: { carrier: string; accounts: string } };

export interface Quote {
  carrier: CarrierProfile['code'];
  zone: Zone;
  actualWeightG: number;
  volumetricWeightG: number;
  /** What the carrier bills: the larger of actual and volumetric weight. */
  chargeableWeightG: number;
  costFen: number;
  /** Part of `costFen` that is a remote-province surcharge. */
  surchargeFen: number;
}

/** Volumetric weight in grams: L × W × H in mm³ over the divisor in cm³/kg (the units cancel). */
export function volumetricWeightG(parcel: ParcelSpec, divisor: number): number {
  return Math.ceil((parcel.lengthMm * parcel.widthMm * parcel.heightMm) / divisor);
}

export function chargeableWeightG(parcel: ParcelSpec, divisor: number): number {
  return Math.max(Math.ceil(parcel.weightG), volumetricWeightG(parcel, divisor));
}

export function priceFor(rate: Rate, chargeableG: number): number {
  const bands = rate.bands;
  if (bands?.length) {
    const band = bands.find((b) => chargeableG <= b.upToG);
    if (band) return band.fen;
    const last = bands[bands.length - 1]!;
    return last.fen + Math.ceil((chargeableG - last.upToG) / rate.additionalUnitG) * rate.additionalFen;
  }
  const extraUnits = Math.max(0, Math.ceil((chargeableG - rate.firstWeightG) / rate.additionalUnitG));
  return rate.firstFen + extraUnits * rate.additionalFen;
}

function rateFor(profile: CarrierProfile, zone: Zone): Rate | undefined {
  return profile.rates[zone] ?? (zone === 'same_city' ? profile.rates.same_province : undefined);
}

/** Everything that stops this carrier physically taking the parcel (weight, size, handling). */
export function physicalRejections(profile: CarrierProfile, parcel: ParcelSpec): Rejection[] {
  const out: Rejection[] = [];
  const { limits } = profile;
  const sides = [parcel.lengthMm, parcel.widthMm, parcel.heightMm].sort((a, b) => b - a) as [
    number,
    number,
    number,
  ];
  if (parcel.weightG > limits.maxWeightG) {
    out.push({
      code: 'over_weight',
      message: `weighs ${kg(parcel.weightG)}, over its ${kg(limits.maxWeightG)} limit`,
      why: { code: 'over_weight', params: { weightG: parcel.weightG, maxWeightG: limits.maxWeightG } },
    });
  }
  if (sides[0] > limits.maxSideMm) {
    out.push({
      code: 'over_size',
      message: `longest side ${sides[0]} mm exceeds ${limits.maxSideMm} mm`,
      why: { code: 'longest_side', params: { sideMm: sides[0], maxMm: limits.maxSideMm } },
    });
  }
  const sum = sides[0] + sides[1] + sides[2];
  if (limits.maxSumOfSidesMm !== undefined && sum > limits.maxSumOfSidesMm) {
    out.push({
      code: 'over_size',
      message: `sides total ${sum} mm, over ${limits.maxSumOfSidesMm} mm`,
      why: { code: 'sides_total', params: { sumMm: sum, maxMm: limits.maxSumOfSidesMm } },
    });
  }
  const girth = sides[0] + 2 * (sides[1] + sides[2]);
  if (limits.maxLengthPlusGirthMm !== undefined && girth > limits.maxLengthPlusGirthMm) {
    out.push({
      code: 'over_size',
      message: `length plus girth ${girth} mm, over ${limits.maxLengthPlusGirthMm} mm`,
      why: { code: 'length_plus_girth', params: { girthMm: girth, maxMm: limits.maxLengthPlusGirthMm } },
    });
  }
  const missing = (parcel.needs ?? []).filter((need) => !profile.capabilities.includes(need));
  if (missing.length > 0) {
    out.push({
      code: 'lacks_capability',
      message: `does not offer ${missing.join(', ')}`,
      why: { code: 'lacks_capability', params: { needs: missing.join(',') } },
    });
  }
  return out;
}

/** Why this carrier cannot deliver from origin to destination, if it cannot. */
export function coverageRejection(
  profile: CarrierProfile,
  origin: Place,
  destination: Place,
): Rejection | undefined {
  const from = resolvePlace(origin);
  const to = resolvePlace(destination);
  const { coverage } = profile;
  if (!coverage.originCountries.includes(from.country)) {
    return {
      code: 'no_coverage',
      message: `does not pick up in ${from.country}`,
      why: { code: 'no_pickup_in_country', params: { country: from.country } },
    };
  }
  if (to.country === 'CN') {
    if (coverage.domestic === 'none')
      return {
        code: 'no_coverage',
        message: 'does not deliver in mainland China',
        why: { code: 'no_mainland_delivery', params: {} },
      };
    const province = to.province;
    if (!province)
      return {
        code: 'no_coverage',
        message: `unknown destination province`,
        why: { code: 'unknown_province', params: {} },
      };
    if (coverage.excludedProvinces.includes(province.code)) {
      return {
        code: 'excluded_region',
        message: `does not deliver to ${province.short}`,
        why: { code: 'excluded_province', params: { province: province.short } },
      };
    }
    if (coverage.domestic !== 'all' && !coverage.domestic.includes(province.code)) {
      return {
        code: 'no_coverage',
        message: `does not deliver to ${province.short}`,
        why: { code: 'no_delivery_to_province', params: { province: province.short } },
      };
    }
    if (
      coverage.sameCityOnly &&
      (from.province?.code !== province.code || !from.city || from.city !== to.city)
    ) {
      return {
        code: 'no_coverage',
        message: 'delivers within the same city only',
        why: { code: 'same_city_only', params: {} },
      };
    }
    return undefined;
  }
  const international = coverage.international;
  const served =
    (international === 'all' || international.includes(to.country)) &&
    !coverage.excludedCountries.includes(to.country);
  return served
    ? undefined
    : {
        code: 'no_coverage',
        message: `does not deliver to ${to.country}`,
        why: { code: 'no_delivery_to_country', params: { country: to.country } },
      };
}

export type QuoteResult = { ok: true; quote: Quote } | { ok: false; rejections: Rejection[] };

/** Prices a parcel with one carrier, or says every reason it cannot carry it. */
export function quote(
  profile: CarrierProfile,
  parcel: ParcelSpec,
  origin: Place,
  destination: Place,
): QuoteResult {
  const rejections = physicalRejections(profile, parcel);
  const coverage = coverageRejection(profile, origin, destination);
  if (coverage) rejections.unshift(coverage);
  const zone = zoneBetween(origin, destination);
  if (!zone.ok) {
    rejections.push({
      code: 'no_coverage',
      message: zone.problem,
      why: { code: 'no_route', params: { problem: zone.problem } },
    });
    return { ok: false, rejections };
  }
  const rate = rateFor(profile, zone.zone);
  if (!rate && !coverage)
    rejections.push({
      code: 'no_rate',
      message: `has no price for ${zone.zone}`,
      why: { code: 'no_zone_price', params: { zone: zone.zone } },
    });
  if (rejections.length > 0 || !rate) return { ok: false, rejections };

  const volumetric = volumetricWeightG(parcel, profile.volumetricDivisor);
  const chargeable = chargeableWeightG(parcel, profile.volumetricDivisor);
  const province = resolvePlace(destination).province;
  const surchargeFen = province ? (profile.coverage.provinceSurchargeFen[province.code] ?? 0) : 0;
  return {
    ok: true,
    quote: {
      carrier: profile.code,
      zone: zone.zone,
      actualWeightG: Math.ceil(parcel.weightG),
      volumetricWeightG: volumetric,
      chargeableWeightG: chargeable,
      costFen: priceFor(rate, chargeable) + surchargeFen,
      surchargeFen,
    },
  };
}

export function kg(grams: number): string {
  const value = grams / 1000;
  return `${Number.isInteger(value) ? value : value.toFixed(value < 10 ? 2 : 1).replace(/0+$/, '')} kg`;
}

export function yuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

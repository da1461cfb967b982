import type { CarrierCode } from './codes.js';
import type { Zone } from './zones.js';

export const CAPABILITIES = ['cold_chain', 'fragile', 'cod', 'bulky', 'international', 'same_city'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Express parcels, freight (零担/大件: cheap per kg, high first weight), city couriers, global express. */
export type CarrierKind = 'express' | 'freight' | 'same_city' | 'international';

/**
 * One zone's price: `firstFen` buys the first `firstWeightG`, then `additionalFen` per started
 * `additionalUnitG`. Carriers round up to the unit, so 1.2 kg with 1 kg units pays two units.
 */
export interface Rate {
  firstWeightG: number;
  firstFen: number;
  additionalUnitG: number;
  additionalFen: number;
  /**
   * Weight bands (0–0.5 kg, 0.5–1 kg, 1–2 kg …) as many Chinese branches quote: a parcel up to a
   * band's `upToG` pays that band's `fen` (the first band it fits, ascending); above the last band,
   * the last band's price plus `additionalFen` per started `additionalUnitG` beyond it. When
   * present, `firstWeightG`/`firstFen` are the first band's.
   */
  bands?: WeightBand[];
}

export interface WeightBand {
  upToG: number;
  fen: number;
}

export interface CarrierLimits {
  /** Heaviest single parcel accepted (actual weight). */
  maxWeightG: number;
  /** Longest side. */
  maxSideMm: number;
  /** Length + width + height. */
  maxSumOfSidesMm?: number;
  /** Longest side + 2 × (the other two): how US carriers bound parcels. */
  maxLengthPlusGirthMm?: number;
}

export interface CarrierCoverage {
  /** Countries it picks up in (our warehouses are in CN unless a seller has one abroad). */
  originCountries: readonly string[];
  /** Mainland provinces delivered to: 'all', 'none', or a list of GB codes. */
  domestic: 'all' | 'none' | readonly string[];
  /** Provinces it does not deliver to even though `domestic` would include them. */
  excludedProvinces: readonly string[];
  /** Extra fen per parcel to these provinces on top of the zone price (偏远附加费). */
  provinceSurchargeFen: Readonly<Record<string, number>>;
  /** Only delivers within the origin city (闪送). */
  sameCityOnly: boolean;
  /** Destination countries outside the mainland ('all' = worldwide less `excludedCountries`). */
  international: 'all' | readonly string[];
  excludedCountries: readonly string[];
}

/** Codes other services use for this carrier; undefined where the service has none we could confirm. */
export interface ExternalCodes {
  /** Kuaidi100 `com` (API-FACTS §11). */
  kuaidi100?: string;
  /** KDNiao `ShipperCode` (API-FACTS §12). */
  kdniao?: string;
  /** Cainiao `cp_code` (API-FACTS §10: the whole list is unverified). */
  cainiao?: string;
}

/**
 * How far a code can be trusted: from the service's own docs or demo code, agreed by at least two
 * independent community lists, or a guess nobody confirmed (kept so the simulators and the
 * platform mappings line up, but not to be relied on against the real service).
 */
export type CodeSource = 'official' | 'community' | 'unverified';

export interface CarrierProfile {
  code: CarrierCode;
  nameZh: string;
  nameEn: string;
  kind: CarrierKind;
  codes: ExternalCodes;
  /** Where each of `codes` comes from (docs/carriers.md lists the sources). */
  codeSources: Readonly<Partial<Record<keyof ExternalCodes, CodeSource>>>;
  /** A waybill API of its own we integrate with directly (SF 丰桥); others go through Cainiao. */
  directApi?: 'sf';
  coverage: CarrierCoverage;
  limits: CarrierLimits;
  /** cm³ per kg: volumetric weight (g) = L × W × H (mm³) / divisor. */
  volumetricDivisor: number;
  capabilities: readonly Capability[];
  /** Zones without a rate are not served. `same_city` falls back to `same_province`. */
  rates: Readonly<Partial<Record<Zone, Rate>>>;
}

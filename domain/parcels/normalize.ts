import { normalizeProvince } from '../allocation/regions.js';

/**
 * The same receiver arrives spelled differently from different shops and platforms: full-width
 * digits, stray spaces, "浙江省" vs "浙江", the province repeated at the start of the detail line,
 * "+86 138-0000-1234". These helpers reduce each part to one comparable form.
 */

/** Full-width to half-width (NFKC), no whitespace, lower-case Latin letters, unified dashes. */
export function normalizeText(value: string | undefined): string {
  return (value ?? '')
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[‐-―−－]/g, '-')
    .toLowerCase();
}

// What may follow a place name written at the start of a detail line ("浙江省杭州市…").
const ADMIN_SUFFIXES = [
  '维吾尔自治区',
  '壮族自治区',
  '回族自治区',
  '特别行政区',
  '自治区',
  '自治州',
  '自治县',
  '地区',
  '新区',
  '省',
  '市',
  '区',
  '县',
  '旗',
  '盟',
];

const CITY_SUFFIXES = ['自治州', '地区', '盟', '市'];
const DISTRICT_SUFFIXES = ['自治县', '新区', '区', '县', '市', '旗'];

function stripSuffix(value: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    // Keep at least two characters: "和县" stays "和县", never "和".
    if (value.endsWith(suffix) && value.length - suffix.length >= 2) return value.slice(0, -suffix.length);
  }
  return value;
}

export function normalizeCity(value: string | undefined): string {
  return stripSuffix(normalizeText(value), CITY_SUFFIXES);
}

export function normalizeDistrict(value: string | undefined): string {
  return stripSuffix(normalizeText(value), DISTRICT_SUFFIXES);
}

/** Digits only, without the +86/0086 country prefix; a virtual-number extension stays apart. */
export function normalizePhone(value: string | undefined): string {
  const text = (value ?? '').normalize('NFKC').trim();
  let digits = text.replace(/[^\d*]/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (text.startsWith('+86') || (digits.startsWith('86') && digits.length === 13))
    digits = digits.slice(2);
  // A mobile number followed by more digits is a privacy number with its extension (18877771111-123).
  if (/^1\d{11,}$/.test(digits)) return `${digits.slice(0, 11)}-${digits.slice(11)}`;
  return digits;
}

export interface AddressParts {
  country?: string;
  province: string;
  city?: string;
  district?: string;
  town?: string;
  detail: string;
}

/**
 * The address as one comparable string. Administrative parts repeated at the start of the detail
 * line (some platforms send the full address there) are removed.
 */
export function normalizeAddress(address: AddressParts): string {
  const province = normalizeProvince(address.province);
  const city = normalizeCity(address.city);
  const district = normalizeDistrict(address.district);
  const town = normalizeText(address.town);
  let detail = normalizeText(address.detail);
  const stems = [province, city, district, town]
    .filter((p) => p.length > 0)
    .sort((a, b) => b.length - a.length);
  for (let changed = true; changed;) {
    changed = false;
    for (const stem of stems) {
      if (!detail.startsWith(stem) || detail.length <= stem.length) continue;
      detail = detail.slice(stem.length);
      const suffix = ADMIN_SUFFIXES.find((x) => detail.startsWith(x) && detail.length > x.length);
      if (suffix) detail = detail.slice(suffix.length);
      changed = true;
    }
  }
  return [normalizeText(address.country ?? 'CN'), province, city, district, town, detail].join('/');
}

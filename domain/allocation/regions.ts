/**
 * Province names as platforms send them ("浙江省", "浙江", "330000", "Zhejiang", "广西壮族自治区")
 * reduced to one canonical short name, so warehouse coverage and receivers compare reliably.
 */

const PROVINCES: ReadonlyArray<readonly [code: string, name: string, latin: string]> = [
  ['11', '北京', 'beijing'],
  ['12', '天津', 'tianjin'],
  ['13', '河北', 'hebei'],
  ['14', '山西', 'shanxi'],
  ['15', '内蒙古', 'neimenggu'],
  ['21', '辽宁', 'liaoning'],
  ['22', '吉林', 'jilin'],
  ['23', '黑龙江', 'heilongjiang'],
  ['31', '上海', 'shanghai'],
  ['32', '江苏', 'jiangsu'],
  ['33', '浙江', 'zhejiang'],
  ['34', '安徽', 'anhui'],
  ['35', '福建', 'fujian'],
  ['36', '江西', 'jiangxi'],
  ['37', '山东', 'shandong'],
  ['41', '河南', 'henan'],
  ['42', '湖北', 'hubei'],
  ['43', '湖南', 'hunan'],
  ['44', '广东', 'guangdong'],
  ['45', '广西', 'guangxi'],
  ['46', '海南', 'hainan'],
  ['50', '重庆', 'chongqing'],
  ['51', '四川', 'sichuan'],
  ['52', '贵州', 'guizhou'],
  ['53', '云南', 'yunnan'],
  ['54', '西藏', 'xizang'],
  ['61', '陕西', 'shaanxi'],
  ['62', '甘肃', 'gansu'],
  ['63', '青海', 'qinghai'],
  ['64', '宁夏', 'ningxia'],
  ['65', '新疆', 'xinjiang'],
  ['71', '台湾', 'taiwan'],
  ['81', '香港', 'hongkong'],
  ['82', '澳门', 'macau'],
];

const BY_CODE = new Map(PROVINCES.map(([code, name]) => [code, name]));
const BY_LATIN = new Map(PROVINCES.map(([, name, latin]) => [latin, name]));
const NAMES = new Set(PROVINCES.map(([, name]) => name));

// Longest first, so "广西壮族自治区" loses its whole suffix and not just "区".
const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];

/** The canonical short name ("浙江") of a province given by name, GB code or pinyin; unknown input is returned cleaned. */
export function normalizeProvince(input: string): string {
  const text = input.normalize('NFKC').replace(/\s+/g, '');
  if (/^\d{2,}$/.test(text)) return BY_CODE.get(text.slice(0, 2)) ?? text;
  const latin = text.toLowerCase().replace(/[^a-z]/g, '');
  if (latin && BY_LATIN.has(latin)) return BY_LATIN.get(latin)!;
  if (latin.endsWith('province') && BY_LATIN.has(latin.slice(0, -'province'.length))) {
    return BY_LATIN.get(latin.slice(0, -'province'.length))!;
  }
  for (const suffix of SUFFIXES) {
    if (text.endsWith(suffix) && text.length > suffix.length) {
      const stem = text.slice(0, -suffix.length);
      if (NAMES.has(stem)) return stem;
    }
  }
  return text;
}

export function sameProvince(a: string, b: string): boolean {
  return normalizeProvince(a) === normalizeProvince(b);
}

import { PROVINCES, type RegionProvince } from './division.js';
import { cleanName, matchName } from './names.js';

/**
 * Provinces as shops built for the world write them: English/pinyin names and ISO 3166-2:CN
 * letter codes. Shopify's zones for China (Shopify/worldwide `db/data/regions/CN.yml`) use these
 * names and codes, except Xizang, which Shopify codes `YZ`; WooCommerce labels its `CN1`…`CN32`
 * states with the same English names ("Guangxi Zhuang", "Ningxia Hui", "Tibet", "Macau").
 */
interface LatinProvince {
  /** GB/T 2260 code of the province. */
  code: string;
  /** ISO 3166-2:CN subdivision code without the `CN-` prefix. */
  iso: string;
  /** English name first (what Shopify shows), then the other ways it is written. */
  names: readonly string[];
}

const LATIN_PROVINCES: readonly LatinProvince[] = [
  { code: '110000', iso: 'BJ', names: ['Beijing'] },
  { code: '120000', iso: 'TJ', names: ['Tianjin'] },
  { code: '130000', iso: 'HE', names: ['Hebei'] },
  { code: '140000', iso: 'SX', names: ['Shanxi'] },
  { code: '150000', iso: 'NM', names: ['Inner Mongolia', 'Nei Mongol', 'Neimenggu'] },
  { code: '210000', iso: 'LN', names: ['Liaoning'] },
  { code: '220000', iso: 'JL', names: ['Jilin'] },
  { code: '230000', iso: 'HL', names: ['Heilongjiang'] },
  { code: '310000', iso: 'SH', names: ['Shanghai'] },
  { code: '320000', iso: 'JS', names: ['Jiangsu'] },
  { code: '330000', iso: 'ZJ', names: ['Zhejiang'] },
  { code: '340000', iso: 'AH', names: ['Anhui'] },
  { code: '350000', iso: 'FJ', names: ['Fujian'] },
  { code: '360000', iso: 'JX', names: ['Jiangxi'] },
  { code: '370000', iso: 'SD', names: ['Shandong'] },
  { code: '410000', iso: 'HA', names: ['Henan'] },
  { code: '420000', iso: 'HB', names: ['Hubei'] },
  { code: '430000', iso: 'HN', names: ['Hunan'] },
  { code: '440000', iso: 'GD', names: ['Guangdong'] },
  { code: '450000', iso: 'GX', names: ['Guangxi', 'Guangxi Zhuang'] },
  { code: '460000', iso: 'HI', names: ['Hainan'] },
  { code: '500000', iso: 'CQ', names: ['Chongqing'] },
  { code: '510000', iso: 'SC', names: ['Sichuan'] },
  { code: '520000', iso: 'GZ', names: ['Guizhou'] },
  { code: '530000', iso: 'YN', names: ['Yunnan'] },
  { code: '540000', iso: 'XZ', names: ['Xizang', 'Tibet'] },
  { code: '610000', iso: 'SN', names: ['Shaanxi'] },
  { code: '620000', iso: 'GS', names: ['Gansu'] },
  { code: '630000', iso: 'QH', names: ['Qinghai'] },
  { code: '640000', iso: 'NX', names: ['Ningxia', 'Ningxia Hui'] },
  { code: '650000', iso: 'XJ', names: ['Xinjiang'] },
  { code: '710000', iso: 'TW', names: ['Taiwan'] },
  { code: '810000', iso: 'HK', names: ['Hong Kong'] },
  { code: '820000', iso: 'MO', names: ['Macao', 'Macau'] },
];

// Words that say what kind of region it is; "Zhejiang Sheng" and "Guangxi Zhuang Autonomous
// Region" name the same provinces as "Zhejiang" and "Guangxi Zhuang". Shanxi/Shaanxi stay apart.
const KIND_WORDS =
  /\b(province|sheng|municipality|shi|city|autonomous region|zizhiqu|special administrative region|sar)\b/g;

const latinKey = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(KIND_WORDS, '')
    .replace(/[^a-z]/g, '');

const BY_KEY = new Map<string, LatinProvince>(
  LATIN_PROVINCES.flatMap((p) => p.names.map((n) => [latinKey(n), p] as const)),
);
const BY_ISO = new Map<string, LatinProvince>(LATIN_PROVINCES.map((p) => [p.iso, p]));
const BY_CODE = new Map<string, RegionProvince>(PROVINCES.map((p) => [p.code, p]));

/**
 * The province a shop means, however it writes it: Chinese ("浙江省", "浙江", "广西壮族自治区"),
 * English/pinyin ("Zhejiang", "Inner Mongolia", "Tibet"), an ISO 3166-2 code ("ZJ", "CN-ZJ") or
 * its GB/T 2260 code ("330000"). Undefined when it names none.
 */
export function resolveProvince(text: string | undefined | null): RegionProvince | undefined {
  const cleaned = cleanName(text);
  if (!cleaned) return undefined;
  if (/^\d{6}$/.test(cleaned)) return BY_CODE.get(cleaned);
  const chinese = matchName(cleaned, PROVINCES);
  if (chinese) return chinese;
  const iso = /^(?:CN-)?([A-Z]{2})$/i.exec(cleaned)?.[1]?.toUpperCase();
  const latin = (iso ? BY_ISO.get(iso) : undefined) ?? BY_KEY.get(latinKey(text ?? ''));
  return latin ? BY_CODE.get(latin.code) : undefined;
}

/** English name and ISO 3166-2 code of a province (GB/T 2260 code or Chinese name). */
export function latinProvince(province: string): { name: string; iso: string } | undefined {
  const code = /^\d{6}$/.test(province) ? province : matchName(province, PROVINCES)?.code;
  const latin = LATIN_PROVINCES.find((p) => p.code === code);
  return latin ? { name: latin.names[0]!, iso: latin.iso } : undefined;
}

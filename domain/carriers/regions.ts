/**
 * Mainland provinces (GB/T 2260 two-digit codes, API-FACTS §15) with the facts carrier pricing
 * needs: the broad region, land neighbours and whether carriers treat it as remote (偏远).
 * Hong Kong, Macao and Taiwan are priced like destinations abroad, so they are countries here.
 */

export const REGIONS = ['north', 'northeast', 'east', 'central', 'south', 'southwest', 'northwest'] as const;
export type Region = (typeof REGIONS)[number];

export interface Province {
  code: string;
  /** Official name, as platforms send it in full (浙江省, 广西壮族自治区). */
  name: string;
  /** What people write and carriers print (浙江, 广西). */
  short: string;
  en: string;
  region: Region;
  /** The capital: where its hub sits in the simulated network and on route labels. */
  capital: string;
  /** Provinces sharing a land border (Hainan: Guangdong across the strait). */
  neighbours: readonly string[];
  /** Carriers price these as 偏远地区: first weight and additional kilograms cost several times more. */
  remote: boolean;
}

const P = (
  code: string,
  name: string,
  short: string,
  en: string,
  region: Region,
  capital: string,
  neighbours: string[],
  remote = false,
): Province => ({ code, name, short, en, region, capital, neighbours, remote });

export const PROVINCES: readonly Province[] = [
  P('11', '北京市', '北京', 'Beijing', 'north', '北京市', ['12', '13']),
  P('12', '天津市', '天津', 'Tianjin', 'north', '天津市', ['11', '13']),
  P('13', '河北省', '河北', 'Hebei', 'north', '石家庄市', ['11', '12', '14', '15', '21', '37', '41']),
  P('14', '山西省', '山西', 'Shanxi', 'north', '太原市', ['13', '15', '41', '61']),
  P(
    '15',
    '内蒙古自治区',
    '内蒙古',
    'Inner Mongolia',
    'north',
    '呼和浩特市',
    ['23', '22', '21', '13', '14', '61', '64', '62'],
    true,
  ),
  P('21', '辽宁省', '辽宁', 'Liaoning', 'northeast', '沈阳市', ['13', '15', '22']),
  P('22', '吉林省', '吉林', 'Jilin', 'northeast', '长春市', ['21', '15', '23']),
  P('23', '黑龙江省', '黑龙江', 'Heilongjiang', 'northeast', '哈尔滨市', ['22', '15']),
  P('31', '上海市', '上海', 'Shanghai', 'east', '上海市', ['32', '33']),
  P('32', '江苏省', '江苏', 'Jiangsu', 'east', '南京市', ['31', '33', '34', '37']),
  P('33', '浙江省', '浙江', 'Zhejiang', 'east', '杭州市', ['31', '32', '34', '36', '35']),
  P('34', '安徽省', '安徽', 'Anhui', 'east', '合肥市', ['32', '33', '36', '42', '41', '37']),
  P('35', '福建省', '福建', 'Fujian', 'east', '福州市', ['33', '36', '44']),
  P('36', '江西省', '江西', 'Jiangxi', 'east', '南昌市', ['33', '34', '42', '43', '44', '35']),
  P('37', '山东省', '山东', 'Shandong', 'east', '济南市', ['13', '41', '34', '32']),
  P('41', '河南省', '河南', 'Henan', 'central', '郑州市', ['13', '14', '61', '42', '34', '37']),
  P('42', '湖北省', '湖北', 'Hubei', 'central', '武汉市', ['41', '34', '36', '43', '50', '61']),
  P('43', '湖南省', '湖南', 'Hunan', 'central', '长沙市', ['42', '36', '44', '45', '52', '50']),
  P('44', '广东省', '广东', 'Guangdong', 'south', '广州市', ['35', '36', '43', '45', '46']),
  P('45', '广西壮族自治区', '广西', 'Guangxi', 'south', '南宁市', ['44', '43', '52', '53']),
  P('46', '海南省', '海南', 'Hainan', 'south', '海口市', ['44'], true),
  P('50', '重庆市', '重庆', 'Chongqing', 'southwest', '重庆市', ['51', '52', '43', '42', '61']),
  P('51', '四川省', '四川', 'Sichuan', 'southwest', '成都市', ['50', '52', '53', '54', '63', '62', '61']),
  P('52', '贵州省', '贵州', 'Guizhou', 'southwest', '贵阳市', ['51', '50', '43', '45', '53']),
  P('53', '云南省', '云南', 'Yunnan', 'southwest', '昆明市', ['51', '52', '45', '54']),
  P('54', '西藏自治区', '西藏', 'Tibet', 'southwest', '拉萨市', ['65', '63', '51', '53'], true),
  P('61', '陕西省', '陕西', 'Shaanxi', 'northwest', '西安市', [
    '14',
    '41',
    '42',
    '50',
    '51',
    '62',
    '64',
    '15',
  ]),
  P('62', '甘肃省', '甘肃', 'Gansu', 'northwest', '兰州市', ['61', '64', '15', '65', '63', '51'], true),
  P('63', '青海省', '青海', 'Qinghai', 'northwest', '西宁市', ['62', '65', '54', '51'], true),
  P('64', '宁夏回族自治区', '宁夏', 'Ningxia', 'northwest', '银川市', ['62', '61', '15'], true),
  P('65', '新疆维吾尔自治区', '新疆', 'Xinjiang', 'northwest', '乌鲁木齐市', ['62', '63', '54'], true),
];

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));
const BY_KEY = new Map<string, Province>();
for (const p of PROVINCES) {
  for (const key of [p.code, p.name, p.short, p.en.toLowerCase(), p.en.toLowerCase().replace(/\s+/g, '')])
    BY_KEY.set(key, p);
}

/** Hong Kong, Macao and Taiwan as platforms sometimes send them in the province field. */
const SPECIAL_REGIONS: Record<string, string> = {
  香港: 'HK',
  香港特别行政区: 'HK',
  澳门: 'MO',
  澳门特别行政区: 'MO',
  台湾: 'TW',
  台湾省: 'TW',
};

export function provinceByCode(code: string): Province | undefined {
  return BY_CODE.get(code);
}

/**
 * The province a platform's province text names: full (浙江省), short (浙江), with or without the
 * 省/市/自治区 suffix, pinyin (Zhejiang) or a GB code ("33", "330000").
 */
export function findProvince(text: string | undefined): Province | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (/^\d{2}(\d{4})?$/.test(t)) return BY_CODE.get(t.slice(0, 2));
  const direct =
    BY_KEY.get(t) ?? BY_KEY.get(t.toLowerCase()) ?? BY_KEY.get(t.toLowerCase().replace(/\s+/g, ''));
  if (direct) return direct;
  const stripped = t.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
  return BY_KEY.get(stripped);
}

/** HK / MO / TW when the province field names one of them, so callers can treat it as a country. */
export function specialRegionCountry(text: string | undefined): string | undefined {
  return text ? SPECIAL_REGIONS[text.trim()] : undefined;
}

/** Drops the administrative suffix for comparison: 杭州市 ≡ 杭州. */
export function normalizeCityName(city: string | undefined): string {
  return (city ?? '').trim().replace(/(市|地区|盟|自治州)$/, '');
}

/**
 * Chinese receiver regions as the platforms give them → one shape: full province name, a city at
 * prefecture level, the county-level district, then the town/street.
 *
 * Edge cases handled (API-FACTS §1.3, §15):
 * - short province names (JD sends "浙江", "内蒙古") become the full official name;
 * - 直辖市: the province is also the city ("北京市 / 北京市 / 朝阳区"); a platform that puts the
 *   district at city level (JD: "北京 / 朝阳区 / …") is shifted down one level;
 * - 省直辖县 (济源, 仙桃, 潜江, 天门, Hainan's counties…): Taobao puts them in the district with
 *   no city; the doc says to treat that district as the city.
 */
const PROVINCES = [
  '北京市',
  '天津市',
  '上海市',
  '重庆市',
  '河北省',
  '山西省',
  '辽宁省',
  '吉林省',
  '黑龙江省',
  '江苏省',
  '浙江省',
  '安徽省',
  '福建省',
  '江西省',
  '山东省',
  '河南省',
  '湖北省',
  '湖南省',
  '广东省',
  '海南省',
  '四川省',
  '贵州省',
  '云南省',
  '陕西省',
  '甘肃省',
  '青海省',
  '台湾省',
  '内蒙古自治区',
  '广西壮族自治区',
  '西藏自治区',
  '宁夏回族自治区',
  '新疆维吾尔自治区',
  '香港特别行政区',
  '澳门特别行政区',
] as const;

const MUNICIPALITIES = new Set(['北京市', '天津市', '上海市', '重庆市']);

/** "浙江" → "浙江省", "广西" → "广西壮族自治区", "北京" → "北京市". */
const BY_SHORT_NAME = new Map<string, string>(
  PROVINCES.map((full) => [
    full.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, ''),
    full,
  ]),
);

export function fullProvinceName(name: string): string {
  const trimmed = name.trim();
  if ((PROVINCES as readonly string[]).includes(trimmed)) return trimmed;
  return BY_SHORT_NAME.get(trimmed) ?? trimmed;
}

export interface RegionParts {
  province: string;
  city: string;
  district: string;
  town?: string;
}

export function normalizeChinaRegion(input: {
  province: string;
  city?: string;
  district?: string;
  town?: string;
}): RegionParts {
  const province = fullProvinceName(input.province);
  let city = (input.city ?? '').trim();
  let district = (input.district ?? '').trim();
  let town = (input.town ?? '').trim();

  if (MUNICIPALITIES.has(province)) {
    const short = province.slice(0, -1);
    const cityIsPlaceholder =
      city === '' || city === province || city === short || /^(市辖区|县|城区|郊县)$/.test(city);
    if (!cityIsPlaceholder) {
      // The platform put the district at city level; everything moves down one level.
      town = [district, town].filter(Boolean).join(' ');
      district = city;
    }
    city = province;
  } else if (city === '' && district !== '') {
    // 省直辖县级行政区: the county-level city is the city.
    city = district;
    district = '';
  }
  return { province, city, district, ...(town ? { town } : {}) };
}

/**
 * Why carrier selection left a carrier out (运费试算 on 面单账号), in Chinese: by the reason's finer
 * code and particulars (`why`, domain/carriers/quote.ts `RejectionWhy`), names and numbers kept. A
 * reason without `why` (recorded before it existed, or a producer that gives only English: no
 * tracking service follows the carrier) is said by its kind, with the API's English after it.
 * No imports: the root tests read this file.
 */
export interface CarrierRejection {
  code: string;
  message: string;
  why?: { code: string; params: Record<string, string | number> };
}

const kg = (grams: unknown) => `${Number((Number(grams) / 1000).toFixed(3))}kg`;

export const CAPABILITY_ZH: Readonly<Record<string, string>> = {
  cold_chain: '冷链',
  fragile: '易碎品',
  cod: '货到付款',
  bulky: '大件',
  international: '国际件',
  same_city: '同城配送',
};

const ZONE_ZH: Readonly<Record<string, string>> = {
  same_city: '同城',
  same_province: '省内',
  neighbouring: '邻省',
  national: '全国',
  remote: '偏远地区',
  intl_hmt: '港澳台',
  intl_asia: '亚洲',
  intl_north_america: '北美',
  intl_europe: '欧洲',
  intl_oceania: '大洋洲',
  intl_rest: '其他国家',
  overseas_domestic: '海外本地',
};

const COUNTRY_ZH: Readonly<Record<string, string>> = {
  CN: '中国',
  HK: '香港',
  MO: '澳门',
  TW: '台湾',
  US: '美国',
  JP: '日本',
  KR: '韩国',
  GB: '英国',
  DE: '德国',
  FR: '法国',
  AU: '澳大利亚',
  CA: '加拿大',
  SG: '新加坡',
};

const country = (code: unknown) => COUNTRY_ZH[String(code)] ?? String(code);

/** Every finer code the API sends, in Chinese. */
export const REJECTION_WHY_ZH: Readonly<Record<string, (p: Record<string, string | number>) => string>> = {
  over_weight: (p) => `包裹 ${kg(p.weightG)}，超过限重 ${kg(p.maxWeightG)}`,
  longest_side: (p) => `最长边 ${p.sideMm} 毫米，超过 ${p.maxMm} 毫米`,
  sides_total: (p) => `三边之和 ${p.sumMm} 毫米，超过 ${p.maxMm} 毫米`,
  length_plus_girth: (p) => `长度加周长 ${p.girthMm} 毫米，超过 ${p.maxMm} 毫米`,
  lacks_capability: (p) =>
    `不提供${String(p.needs)
      .split(',')
      .map((n) => CAPABILITY_ZH[n] ?? n)
      .join('、')}服务`,
  no_pickup_in_country: (p) => `不在${country(p.country)}揽收`,
  no_mainland_delivery: () => '不送中国大陆',
  unknown_province: () => '目的省份无法识别',
  excluded_province: (p) => `不送${p.province}（该快递排除的地区）`,
  no_delivery_to_province: (p) => `不送${p.province}`,
  same_city_only: () => '只送同城',
  no_delivery_to_country: (p) => `不送${country(p.country)}`,
  no_route: (p) => `无法确定线路（${p.problem}）`,
  no_zone_price: (p) => `没有${ZONE_ZH[String(p.zone)] ?? p.zone}的价格`,
  no_table_price: (p) =>
    `${p.carrier}账号的运费模板都没有${p.origin ? `从${p.origin}发往` : ''}${p.province}的价格（${p.accounts}）`,
  accounts_stopped: (p) => `本店${p.carrier}的面单账号都已停用（${p.accounts}）`,
};

/** The coarse kinds, for a reason the API gave no finer code for. */
export const REJECTION_CODE_ZH: Readonly<Record<string, string>> = {
  no_coverage: '不在配送范围',
  excluded_region: '排除的地区',
  over_weight: '超重',
  over_size: '超出尺寸',
  lacks_capability: '不提供所需服务',
  no_rate: '没有价格',
  not_enabled: '本店未启用',
  untracked: '没有可用的物流跟踪服务',
  no_waybill_account: '面单账号都已停用',
};

/** One rejection in Chinese. */
export function rejectionZh(r: CarrierRejection): string {
  const say = r.why ? REJECTION_WHY_ZH[r.why.code] : undefined;
  if (say && r.why) return say(r.why.params);
  const kind = REJECTION_CODE_ZH[r.code];
  return kind ? `${kind}（${r.message}）` : r.message;
}

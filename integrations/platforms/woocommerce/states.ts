/**
 * WooCommerce's state codes for China (`i18n/states.php`, `CN` → `CN1`…`CN32`, labelled
 * "Yunnan / 云南" …), as GB/T 2260 province codes. The numbers follow WooCommerce's own list, not
 * GB/T 2260 or ISO 3166-2 (`CN12` is 浙江, where GB/T 2260 `12` is 天津). Hong Kong and Taiwan are
 * countries of their own in WooCommerce; Macau is both a country and `CN30`.
 */
export const WOO_CN_STATES: Readonly<Record<string, string>> = {
  CN1: '530000', // Yunnan / 云南
  CN2: '110000', // Beijing / 北京
  CN3: '120000', // Tianjin / 天津
  CN4: '130000', // Hebei / 河北
  CN5: '140000', // Shanxi / 山西
  CN6: '150000', // Inner Mongolia / 內蒙古
  CN7: '210000', // Liaoning / 辽宁
  CN8: '220000', // Jilin / 吉林
  CN9: '230000', // Heilongjiang / 黑龙江
  CN10: '310000', // Shanghai / 上海
  CN11: '320000', // Jiangsu / 江苏
  CN12: '330000', // Zhejiang / 浙江
  CN13: '340000', // Anhui / 安徽
  CN14: '350000', // Fujian / 福建
  CN15: '360000', // Jiangxi / 江西
  CN16: '370000', // Shandong / 山东
  CN17: '410000', // Henan / 河南
  CN18: '420000', // Hubei / 湖北
  CN19: '430000', // Hunan / 湖南
  CN20: '440000', // Guangdong / 广东
  CN21: '450000', // Guangxi Zhuang / 广西壮族
  CN22: '460000', // Hainan / 海南
  CN23: '500000', // Chongqing / 重庆
  CN24: '510000', // Sichuan / 四川
  CN25: '520000', // Guizhou / 贵州
  CN26: '610000', // Shaanxi / 陕西
  CN27: '620000', // Gansu / 甘肃
  CN28: '630000', // Qinghai / 青海
  CN29: '640000', // Ningxia Hui / 宁夏
  CN30: '820000', // Macau / 澳门
  CN31: '540000', // Tibet / 西藏
  CN32: '650000', // Xinjiang / 新疆
};

/** The WooCommerce state code of a province (GB/T 2260 code). */
export function wooStateOf(provinceCode: string): string | undefined {
  return Object.entries(WOO_CN_STATES).find(([, code]) => code === provinceCode)?.[0];
}

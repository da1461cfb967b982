import type { CarrierCode } from '../../../domain/carriers/codes.js';

/**
 * Our carrier codes → Douyin `company_code` for `/order/logisticsAdd`. Douyin uses the
 * Kuaidi100-style pinyin codes; this table follows community code lists that agree with each
 * other, and `/order/logisticsCompanyList` is the authority when a code is refused.
 */
const DOUYIN_COMPANY_CODES: Partial<Record<CarrierCode, string>> = {
  SF: 'shunfeng',
  ZTO: 'zhongtong',
  YTO: 'yuantong',
  STO: 'shentong',
  YUNDA: 'yunda',
  JD: 'jd',
  EMS: 'ems',
  POSTB: 'youzhengguonei',
  JTSD: 'jtexpress',
  DBKD: 'debangkuaidi',
  HTKY: 'huitongkuaidi',
  ZJS: 'zhaijisong',
  UC: 'youshuwuliu',
  HHTT: 'tiantian',
  DANNIAO: 'danniao',
  SNWL: 'suning',
  ZYKD: 'zhongyouex',
  ANE: 'annengwuliu',
  FWX: 'fengwang',
  SXJD: 'shunxinjieda',
  KYE: 'kuayue',
  ZTOKY: 'zhongtongkuaiyun',
  SFKY: 'shunfengkuaiyun',
  YDKY: 'yundakuaiyun',
  BSKY: 'baishiwuliu',
  DBL: 'debangwuliu',
  SHANSONG: 'shansong',
  DHL: 'dhl',
  FEDEX: 'fedex',
  UPS: 'ups',
  USPS: 'usps',
};

export function douyinCompanyCode(carrier: CarrierCode): string | undefined {
  return DOUYIN_COMPANY_CODES[carrier];
}

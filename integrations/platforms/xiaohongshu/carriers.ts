import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Xiaohongshu `expressCompanyCode`s for `order.orderDeliver`. The real list
 * comes from `common.getExpressCompanyList` (§2.5), which our facts do not copy, so these codes are
 * UNCONFIRMED defaults: a shop sets its own in `credentials.extra.expressCompanyCodes`
 * (`SF=shunfeng,ZTO=zhongtong,…`), which override this table carrier by carrier.
 */
const DEFAULT_CODES: Partial<Record<CarrierCode, string>> = {
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
};

export function xiaohongshuExpressCode(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_CODES[carrier];
}

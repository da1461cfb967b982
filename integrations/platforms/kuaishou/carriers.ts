import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Kuaishou `expressCode` (a number) for `open.seller.order.goods.deliver`.
 * Kuaishou publishes its list only as a doc page (快递公司编码) that our facts do not copy, so these
 * numbers are UNCONFIRMED defaults: a shop sets the real ones in `credentials.extra.expressCodes`
 * (`SF=4,ZTO=6,…`), which override this table carrier by carrier (docs/capture.md).
 */
const DEFAULT_EXPRESS_CODES: Partial<Record<CarrierCode, number>> = {
  SF: 4,
  ZTO: 6,
  YTO: 7,
  STO: 8,
  YUNDA: 9,
  EMS: 10,
  POSTB: 11,
  JD: 12,
  JTSD: 13,
  DBKD: 14,
};

export function kuaishouExpressCode(carrier: CarrierCode, overrides?: string): number | undefined {
  const configured = pairsOf(overrides)[carrier];
  if (configured !== undefined && /^\d+$/.test(configured)) return Number(configured);
  return DEFAULT_EXPRESS_CODES[carrier];
}

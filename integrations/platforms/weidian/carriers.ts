import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Weidian `express_type` codes for `vdian.order.deliver` (§5: the method is
 * named, its parameters and the carrier list are UNCONFIRMED). Defaults only: a shop sets its own
 * in `credentials.extra.expressTypes` (`SF=1,ZTO=3,…`), which override this table carrier by carrier.
 */
const DEFAULT_EXPRESS_TYPES: Partial<Record<CarrierCode, string>> = {
  SF: '1',
  EMS: '2',
  ZTO: '3',
  YTO: '4',
  STO: '5',
  YUNDA: '6',
  HTKY: '7',
  POSTB: '8',
  JD: '9',
  JTSD: '10',
  DBKD: '11',
};

export function weidianExpressType(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_EXPRESS_TYPES[carrier];
}

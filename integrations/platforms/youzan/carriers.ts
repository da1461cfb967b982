import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Youzan express ids (`out_stype` of `youzan.logistics.online.confirm`). Youzan
 * lists them through `youzan.logistics.express.get` (§4.5: UNCONFIRMED), so these numbers are
 * defaults only: a shop sets its own in `credentials.extra.expressIds` (`SF=7,ZTO=3,…`), which
 * override this table carrier by carrier.
 */
const DEFAULT_EXPRESS_IDS: Partial<Record<CarrierCode, string>> = {
  STO: '1',
  YTO: '2',
  ZTO: '3',
  YUNDA: '4',
  HHTT: '5',
  HTKY: '6',
  SF: '7',
  EMS: '11',
  POSTB: '12',
  DBKD: '138',
  JD: '187',
  JTSD: '445',
};

export function youzanExpressId(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_EXPRESS_IDS[carrier];
}

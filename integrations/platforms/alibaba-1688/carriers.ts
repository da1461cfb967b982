import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → 1688 logistics companies for `alibaba.logistics.OpDeliverySendOrder.offline`'s
 * `extBody` (`cpCode` = the company's `companyNo` from 1688's "物流公司列表-自联物流" call, not its
 * numeric id; `logisticsCpName` its name). Only SF's `cpCode` "SF" is in the doc (its error table);
 * the rest are defaults (UNCONFIRMED): a shop sets its own in `credentials.extra.cpCodes`
 * (`ZTO=ZTO,JTSD=JTSD,…`), which override this table carrier by carrier.
 */
const DEFAULTS: Partial<Record<CarrierCode, { cpCode: string; name: string }>> = {
  SF: { cpCode: 'SF', name: '顺丰速运' },
  EMS: { cpCode: 'EMS', name: 'EMS' },
  ZTO: { cpCode: 'ZTO', name: '中通快递' },
  YTO: { cpCode: 'YTO', name: '圆通速递' },
  STO: { cpCode: 'STO', name: '申通快递' },
  YUNDA: { cpCode: 'YUNDA', name: '韵达快递' },
  HTKY: { cpCode: 'HTKY', name: '百世快递' },
  POSTB: { cpCode: 'POSTB', name: '邮政快递包裹' },
  JD: { cpCode: 'JD', name: '京东快递' },
  JTSD: { cpCode: 'JTSD', name: '极兔速递' },
  DBKD: { cpCode: 'DBKD', name: '德邦快递' },
};

export function alibaba1688Carrier(
  carrier: CarrierCode,
  overrides?: string,
): { cpCode: string; name: string } | undefined {
  const own = pairsOf(overrides)[carrier];
  if (own) return { cpCode: own, name: DEFAULTS[carrier]?.name ?? own };
  return DEFAULTS[carrier];
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → WeChat `delivery_id`s for `/order/delivery/send`. WeChat lists them through
 * `/channels/ec/order/deliverycompanylist/new/get` (§3.5: `SF` 顺丰速运 and `YD` are in the SDK's
 * samples); the rest are UNCONFIRMED defaults: a shop sets its own in
 * `credentials.extra.deliveryIds` (`SF=SF,YUNDA=YD,…`), which override this table carrier by carrier.
 */
const DEFAULT_DELIVERY_IDS: Partial<Record<CarrierCode, string>> = {
  SF: 'SF',
  YUNDA: 'YD',
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  JD: 'JD',
  EMS: 'EMS',
  POSTB: 'YZPY',
  JTSD: 'JTSD',
  DBKD: 'DBKD',
};

export function wechatDeliveryId(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_DELIVERY_IDS[carrier];
}

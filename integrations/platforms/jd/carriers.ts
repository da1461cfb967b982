import type { CarrierCode } from '../../../domain/carriers/codes.js';

/**
 * Our carrier codes → JD `logiCoprId` for `jingdong.pop.order.shipment`. ⚠️ Ids as used by ERPs
 * against JOS (community sources); the shop's own carrier list in JD is authoritative, pass
 * `carrierCodes` to the adapter to add or correct entries.
 */
export const JD_LOGI_COPR_IDS: Partial<Record<CarrierCode, string>> = {
  ZTO: '1499',
  YUNDA: '1327',
  STO: '470',
  YTO: '463',
  SF: '467',
  EMS: '465',
  DBKD: '3046',
  JD: '2087',
};

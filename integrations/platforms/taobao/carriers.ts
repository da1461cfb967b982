import type { CarrierCode } from '../../../domain/carriers/codes.js';

/**
 * Our carrier codes → TOP `company_code` (`taobao.logistics.companies.get`), for
 * `taobao.logistics.offline.send`. Codes as widely used by ERPs against TOP (⚠️ community sources;
 * the authoritative list is the shop's own `taobao.logistics.companies.get`). Carriers missing here
 * have no code we could confirm; pass `carrierCodes` to the adapter to add or override them.
 */
export const TOP_COMPANY_CODES: Partial<Record<CarrierCode, string>> = {
  SF: 'SF',
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JD: 'JD',
  EMS: 'EMS',
  POSTB: 'POSTB',
  JTSD: 'JTSD',
  DBKD: 'DBKD',
  HTKY: 'HTKY',
  ZJS: 'ZJS',
  UC: 'UC',
  HHTT: 'TTKDEX',
  SNWL: 'SNWL',
  BSKY: 'BESTQJT',
  DHL: 'DHL',
  FEDEX: 'FEDEX',
  UPS: 'UPS',
};

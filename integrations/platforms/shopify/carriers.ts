import type { CarrierCode } from '../../../domain/carriers/codes.js';

/**
 * Our carrier codes → the `tracking_info.company` names Shopify recognises (it builds tracking
 * links for known names; any other name is accepted as plain text).
 */
const SHOPIFY_COMPANIES: Record<CarrierCode, string> = {
  SF: 'SF Express',
  ZTO: 'ZTO Express',
  YTO: 'YTO Express',
  STO: 'STO Express',
  YUNDA: 'Yunda Express',
  JD: 'JD Logistics',
  EMS: 'China EMS (ePacket)',
  POSTB: 'China Post',
  JTSD: 'J&T Express',
  DBKD: 'Deppon Express',
  HTKY: 'Best Express',
  ZJS: 'ZJS Express',
  UC: 'UC Express',
  HHTT: 'TTK Express',
  DANNIAO: 'Danniao',
  SNWL: 'Suning Logistics',
  ZYKD: 'ZhongYou Express',
  ANE: 'ANE Logistics',
  FWX: 'Fengwang Express',
  SXJD: 'Shunxin Jieda',
  KYE: 'Kuayue Express',
  ZTOKY: 'ZTO Freight',
  SFKY: 'SF Freight',
  YDKY: 'Yunda Freight',
  BSKY: 'Best Freight',
  JDKY: 'JD Freight',
  DBL: 'Deppon Logistics',
  SHANSONG: 'Shansong',
  DHL: 'DHL Express',
  FEDEX: 'FedEx',
  UPS: 'UPS',
  USPS: 'USPS',
};

export function shopifyTrackingCompany(carrier: CarrierCode): string {
  return SHOPIFY_COMPANIES[carrier];
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';

/**
 * Our carrier codes → SP-API `carrierCode` for confirmShipment. Carriers Amazon lists by name use
 * that name; any other carrier is sent as `Other` with its name in `carrierName`.
 */
const AMAZON_CARRIER_CODES: Partial<Record<CarrierCode, string>> = {
  SF: 'SF Express',
  DHL: 'DHL',
  FEDEX: 'FedEx',
  UPS: 'UPS',
  USPS: 'USPS',
  POSTB: 'China Post',
};

const CARRIER_NAMES: Record<CarrierCode, string> = {
  SF: 'SF Express',
  ZTO: 'ZTO Express',
  YTO: 'YTO Express',
  STO: 'STO Express',
  YUNDA: 'Yunda Express',
  JD: 'JD Logistics',
  EMS: 'China EMS',
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
  DHL: 'DHL',
  FEDEX: 'FedEx',
  UPS: 'UPS',
  USPS: 'USPS',
};

export function amazonCarrier(carrier: CarrierCode): { carrierCode: string; carrierName?: string } {
  const code = AMAZON_CARRIER_CODES[carrier];
  return code ? { carrierCode: code } : { carrierCode: 'Other', carrierName: CARRIER_NAMES[carrier] };
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';
import type { PlatformCarrierCodes } from '../../../domain/platform-carrier-codes.js';

/**
 * Our carrier codes → SP-API `carrierCode` for confirmShipment (MFN: the seller's own carrier).
 * Amazon takes a code from its list of carriers ("Acceptable CarrierCode values", not in our
 * facts: these are assumed) or `Other` with the carrier's name in `carrierName`. A shop's
 * `settings.platformCarrierCodes` names its own codes over these.
 */
export const AMAZON_CARRIER_CODES: Partial<Record<CarrierCode, string>> = {
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

/** The `carrierCode` (and `carrierName` for `Other`) confirmShipment sends for one of our carriers. */
export function amazonCarrier(
  carrier: CarrierCode,
  shopCodes: PlatformCarrierCodes = {},
): { carrierCode: string; carrierName?: string } {
  const code = shopCodes[carrier] ?? AMAZON_CARRIER_CODES[carrier];
  return code && code !== 'Other'
    ? { carrierCode: code }
    : { carrierCode: 'Other', carrierName: CARRIER_NAMES[carrier] };
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → eBay `shippingCarrierCode`. eBay's list of carrier codes is not in our facts
 * (§10: the ship call itself is UNCONFIRMED), so these are defaults only: a shop sets its own in
 * `credentials.extra.carrierCodes` (`SF=SF_Express,EMS=ChinaPost`), which override this table
 * carrier by carrier.
 */
const DEFAULT_CARRIER_CODES: Partial<Record<CarrierCode, string>> = {
  SF: 'SF_EXPRESS',
  EMS: 'CHINA_POST',
  POSTB: 'CHINA_POST',
  YTO: 'YTO_EXPRESS',
  ZTO: 'ZTO_EXPRESS',
  JTSD: 'JT_EXPRESS',
  DHL: 'DHL',
  FEDEX: 'FEDEX',
  UPS: 'UPS',
  USPS: 'USPS',
};

export function ebayCarrierCode(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_CARRIER_CODES[carrier];
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Walmart `carrierName`, which must match Walmart's "Supported carrier names"
 * list exactly (§11). That list is not in our facts, so these names are defaults only: a shop sets
 * its own in `credentials.extra.carrierNames` (`SF=SF Express,EMS=China Post`), which override this
 * table carrier by carrier.
 */
const DEFAULT_CARRIER_NAMES: Partial<Record<CarrierCode, string>> = {
  SF: 'SF Express',
  EMS: 'China Post',
  POSTB: 'China Post',
  YTO: 'YTO Express',
  ZTO: 'ZTO Express',
  JTSD: 'J&T Express',
  DHL: 'DHL',
  FEDEX: 'FedEx',
  UPS: 'UPS',
  USPS: 'USPS',
};

export function walmartCarrierName(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_CARRIER_NAMES[carrier];
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Lazada `shipment_provider` names. Lazada lists a seller's providers through
 * `/shipment/providers/get`, which our facts do not copy (§8.5 UNCONFIRMED), so these names are
 * defaults only: a shop sets its own in `credentials.extra.shipmentProviders`
 * (`SF=SF Express,EMS=China Post EMS`), which override this table carrier by carrier.
 */
const DEFAULT_PROVIDERS: Partial<Record<CarrierCode, string>> = {
  SF: 'SF Express',
  EMS: 'China Post EMS',
  POSTB: 'China Post',
  JTSD: 'J&T Express',
  YTO: 'YTO Express',
  ZTO: 'ZTO Express',
  DHL: 'DHL',
  FEDEX: 'FedEx',
  UPS: 'UPS',
};

export function lazadaShipmentProvider(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_PROVIDERS[carrier];
}

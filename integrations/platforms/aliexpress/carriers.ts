import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → AliExpress logistics `service_name`s for `aliexpress.solution.order.fulfill`.
 * AliExpress lists them through `aliexpress.logistics.redefining.listlogisticsservice` (§9:
 * UNCONFIRMED), so these names are defaults only: a shop sets its own in
 * `credentials.extra.serviceNames` (`SF=SF,POSTB=CPAM,…`), which override this table carrier by
 * carrier.
 */
const DEFAULT_SERVICE_NAMES: Partial<Record<CarrierCode, string>> = {
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'CPAM',
  YTO: 'YTO',
  ZTO: 'ZTO',
  JTSD: 'JT',
  DHL: 'DHL',
  FEDEX: 'FEDEX_IE',
  UPS: 'UPS',
  USPS: 'USPS',
};

export function aliexpressServiceName(carrier: CarrierCode, overrides?: string): string | undefined {
  return pairsOf(overrides)[carrier] ?? DEFAULT_SERVICE_NAMES[carrier];
}

import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → Temu `carrierId`s for `bg.logistics.shipment.confirm`. Temu gives the ids
 * through `bg.logistics.companies.get`; none is in our sources but the docs' example id
 * (699272611), so there are **no defaults**: a shop names its carriers in
 * `credentials.extra.carrierIds` (`USPS=…,UPS=…`).
 */
export function temuCarrierId(carrier: CarrierCode, configured?: string): string | undefined {
  return pairsOf(configured)[carrier];
}

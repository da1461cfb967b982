import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { pairsOf } from '../window.js';

/**
 * Our carrier codes → TikTok Shop `shipping_provider_id`s. TikTok lists a shop's providers per
 * warehouse delivery option (`/logistics/202309/delivery_options/{id}/shipping_providers`, path
 * UNCONFIRMED) as opaque numeric ids that differ by market, so there is no default table: a shop
 * names its own in `credentials.extra.shippingProviders` (`SF=7117858858072016686,DHL=…`).
 */
export function tiktokShippingProvider(carrier: CarrierCode, configured?: string): string | undefined {
  return pairsOf(configured)[carrier];
}

import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createMeliClient } from './client.js';
import { MeliItemSchema } from './wire.js';

/**
 * Mercado Libre stock (not in our facts, §13: UNCONFIRMED): a listing is the item (`MLB…`) and, for
 * an item with variations, the variation id; `PUT /items/{id}` or
 * `PUT /items/{id}/variations/{variation}` with `available_quantity` (a full value), read back from
 * `GET /items/{id}`.
 */
export const MELI_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 99_999 };

export function createMeliStock(ctx: AdapterContext): StockUploader {
  const client = createMeliClient(ctx);
  return {
    platform: 'mercadolibre',
    limits: MELI_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const item = requireItemId('mercadolibre', listing);
      const path =
        listing.skuId === item
          ? `/items/${item}`
          : `/items/${item}/variations/${encodeURIComponent(listing.skuId)}`;
      await client.call('PUT', path, MeliItemSchema.partial(), { available_quantity: quantity });
    },
    async getQuantity(listing) {
      const itemId = requireItemId('mercadolibre', listing);
      const item = await client.call('GET', `/items/${itemId}`, MeliItemSchema);
      if (listing.skuId === itemId) return item.available_quantity ?? 0;
      const variation = item.variations.find((v) => v.id === listing.skuId);
      if (!variation) {
        throw new RequestRejectedError(
          `mercadolibre item ${itemId} has no variation ${listing.skuId}`,
          'mercadolibre',
          'variation',
        );
      }
      return variation.available_quantity ?? 0;
    },
  };
}

import { z } from 'zod';
import { PlatformError } from '../errors.js';
import { requireItemId, type StockLimits, type StockListing, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createWooRequest } from './client.js';

/**
 * WooCommerce stock (docs/stock-sync.md §WooCommerce): `PUT /products/{id}` for a simple product or
 * `PUT /products/{product_id}/variations/{id}` for a variation, with `manage_stock: true` and
 * `stock_quantity`; read back with a GET of the same resource. A listing's `itemId` is the product
 * id and `skuId` the variation id, or the product id again for a simple product.
 */
export const WOO_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 1_000_000_000 };

const StockSchema = z.object({ stock_quantity: z.number().nullable() });

export function createWooStock(ctx: AdapterContext): StockUploader {
  const request = createWooRequest(ctx);
  const pathOf = (listing: StockListing) => {
    const product = encodeURIComponent(requireItemId('woocommerce', listing));
    return listing.skuId === listing.itemId
      ? `/products/${product}`
      : `/products/${product}/variations/${encodeURIComponent(listing.skuId)}`;
  };
  return {
    platform: 'woocommerce',
    limits: WOO_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      await request(pathOf(listing), {
        method: 'PUT',
        body: { manage_stock: true, stock_quantity: quantity },
      });
    },
    async getQuantity(listing) {
      const path = pathOf(listing);
      const parsed = StockSchema.safeParse((await request(path)).body);
      if (!parsed.success)
        throw new PlatformError(
          `woocommerce ${path}: unreadable stock`,
          'woocommerce',
          'unexpected_response',
        );
      return parsed.data.stock_quantity ?? 0;
    },
  };
}

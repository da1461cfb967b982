import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createWeidianClient } from './client.js';
import { WeidianItemStockSchema } from './wire.js';

/**
 * Weidian stock, UNCONFIRMED (not in our facts at all): `vdian.item.stock.update` sets SKUs' stock
 * to full values (`itemid`, `skus` [{`id`, `stock`}]; an item without SKUs: `stock`);
 * `vdian.item.get` reads it back. A listing is the item id (`itemId`) and the SKU id (the item id
 * again for an item without SKUs).
 */
export const WEIDIAN_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

export function createWeidianStock(ctx: AdapterContext): StockUploader {
  const client = createWeidianClient(ctx);
  return {
    platform: 'weidian',
    limits: WEIDIAN_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const itemId = requireItemId('weidian', listing);
      await client.call(
        'vdian.item.stock.update',
        listing.skuId === itemId
          ? { itemid: itemId, stock: quantity }
          : { itemid: itemId, skus: [{ id: listing.skuId, stock: quantity }] },
        z.unknown(),
      );
    },
    async getQuantity(listing) {
      const itemId = requireItemId('weidian', listing);
      const item = await client.call('vdian.item.get', { itemid: itemId }, WeidianItemStockSchema);
      if (listing.skuId === itemId) return item.stock;
      const sku = item.skus.find((s) => s.id === listing.skuId);
      if (!sku)
        throw new RequestRejectedError(
          `weidian item ${itemId} has no sku ${listing.skuId}`,
          'weidian',
          'sku',
        );
      return sku.stock;
    },
  };
}

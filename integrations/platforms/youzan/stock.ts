import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { pairsOf } from '../window.js';
import { createYouzanClient } from './client.js';
import { YouzanItemSchema } from './wire.js';
import { z } from 'zod';

/**
 * Youzan stock, UNCONFIRMED (not in our facts; names as client code calls them):
 * `youzan.item.quantity.update` 3.0.0 sets a SKU's (or a SKU-less item's) quantity to a full value
 * (`item_id`, `sku_id`, `quantity`, `type` 0 = full); `youzan.item.get` 3.0.0 reads it back. A
 * listing is the item id (`itemId`) and the SKU id (the item id again for an item without SKUs).
 */
export const YOUZAN_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 9_999_999 };

export function createYouzanStock(ctx: AdapterContext): StockUploader {
  const client = createYouzanClient(ctx);
  const versions = pairsOf(ctx.credentials.extra?.versions);
  const version = (api: string) => versions[api] ?? '3.0.0';
  return {
    platform: 'youzan',
    limits: YOUZAN_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const itemId = requireItemId('youzan', listing);
      await client.call(
        'youzan.item.quantity.update',
        version('youzan.item.quantity.update'),
        {
          item_id: itemId,
          ...(listing.skuId !== itemId ? { sku_id: listing.skuId } : {}),
          quantity,
          type: 0,
        },
        z.unknown(),
      );
    },
    async getQuantity(listing) {
      const itemId = requireItemId('youzan', listing);
      const { item } = await client.call(
        'youzan.item.get',
        version('youzan.item.get'),
        { item_id: itemId },
        YouzanItemSchema,
      );
      if (listing.skuId === itemId) return item.quantity;
      const sku = item.skus.find((s) => s.sku_id === listing.skuId);
      if (!sku)
        throw new RequestRejectedError(`youzan item ${itemId} has no sku ${listing.skuId}`, 'youzan', 'sku');
      return sku.quantity;
    },
  };
}

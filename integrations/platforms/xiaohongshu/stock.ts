import { z } from 'zod';
import type { StockLimits, StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createXiaohongshuClient } from './client.js';
import { XiaohongshuSkuStockSchema } from './wire.js';

/**
 * Xiaohongshu stock, UNCONFIRMED (not in our facts; method names as community SDKs call them):
 * `inventory.syncSkuStock` sets a SKU's sellable stock to a full value (`skuId`, `qty`);
 * `inventory.getSkuStock` reads it back (`skuStockInfo.available`). Listings need the SKU id only.
 */
export const XIAOHONGSHU_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

export function createXiaohongshuStock(ctx: AdapterContext): StockUploader {
  const client = createXiaohongshuClient(ctx);
  return {
    platform: 'xiaohongshu',
    limits: XIAOHONGSHU_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      await client.call('inventory.syncSkuStock', { skuId: listing.skuId, qty: quantity }, z.unknown());
    },
    async getQuantity(listing) {
      const stock = await client.call(
        'inventory.getSkuStock',
        { skuId: listing.skuId },
        XiaohongshuSkuStockSchema,
      );
      return stock.skuStockInfo?.available ?? 0;
    },
  };
}

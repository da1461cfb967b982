import { z } from 'zod';
import { RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createDouyinClient } from './client.js';

/**
 * Douyin Shop stock (docs/stock-sync.md §Douyin): `/sku/syncStock` with `product_id`, `sku_id`,
 * `stock_num` and `incremental: false` (set, never add); read back with `/sku/detail`
 * (`stock_num`). The SKUs of one product go together through `/sku/syncStockBatch`
 * (`sku_sync_list`). Signed like every Douyin call (the shared client).
 */
/** SKUs of one product per /sku/syncStockBatch call (❓ our choice, docs/stock-sync.md §Douyin). */
export const DOUYIN_SKUS_PER_CALL = 50;
export const DOUYIN_STOCK_LIMITS: StockLimits = { callsPerSecond: 10, maxQuantity: 999_999 };

const id = z.union([z.string(), z.number()]).transform(String);
const Empty = z.unknown();
const SkuSchema = z.object({ id: id.optional(), product_id: id.optional(), stock_num: z.number() });

export function createDouyinStock(ctx: AdapterContext): StockUploader {
  const client = createDouyinClient(ctx);
  return {
    platform: 'douyin',
    limits: DOUYIN_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const productId = requireItemId('douyin', listing);
      await client.call(
        'sku.syncStock',
        { product_id: productId, sku_id: listing.skuId, stock_num: quantity, incremental: false },
        Empty,
      );
    },
    batch: {
      keyOf: (listing) => requireItemId('douyin', listing),
      size: DOUYIN_SKUS_PER_CALL,
      async set(updates) {
        await client.call(
          'sku.syncStockBatch',
          {
            product_id: requireItemId('douyin', updates[0]!.listing),
            incremental: false,
            sku_sync_list: updates.map((u) => ({ sku_id: u.listing.skuId, stock_num: u.quantity })),
          },
          Empty,
        );
        return updates.map(() => ({ ok: true as const }));
      },
    },
    async getQuantity(listing) {
      const productId = requireItemId('douyin', listing);
      const sku = await client.call('sku.detail', { sku_id: listing.skuId }, SkuSchema.nullable());
      if (!sku || (sku.product_id !== undefined && sku.product_id !== productId))
        throw new RequestRejectedError(
          `douyin product ${productId} has no SKU ${listing.skuId}`,
          'douyin',
          'sku_id',
        );
      return sku.stock_num;
    },
  };
}

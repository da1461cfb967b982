import { z } from 'zod';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { PddClient } from './client.js';

/**
 * Pinduoduo stock (docs/stock-sync.md §Pinduoduo): `pdd.goods.quantity.update` with `goods_id`,
 * `sku_id`, `quantity` and `update_type=1` (全量: set, never add); read back with
 * `pdd.goods.detail.get` (`sku_list[].quantity`). Signed like
 * every PDD gateway call (the shared client). A listing's `itemId` is the goods id, `skuId` the
 * SKU id.
 */
export const PDD_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

const id = z.union([z.string(), z.number()]).transform(String);
const DetailSchema = z.object({
  goods_id: id.optional(),
  sku_list: z.array(z.object({ sku_id: id, quantity: z.union([z.string(), z.number()]).transform(Number) })),
});

export function createPddStock(ctx: AdapterContext): StockUploader {
  const client = new PddClient(ctx);
  return {
    platform: 'pdd',
    limits: PDD_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const goodsId = requireItemId('pdd', listing);
      const answer = await client.call('pdd.goods.quantity.update', {
        goods_id: goodsId,
        sku_id: listing.skuId,
        quantity: String(quantity),
        update_type: '1',
      });
      if (answer['is_success'] === false)
        throw new RequestRejectedError(`pdd goods ${goodsId} SKU ${listing.skuId}: not updated`, 'pdd');
    },
    async getQuantity(listing) {
      const goodsId = requireItemId('pdd', listing);
      const parsed = DetailSchema.safeParse(await client.call('pdd.goods.detail.get', { goods_id: goodsId }));
      if (!parsed.success)
        throw new PlatformError(`pdd goods ${goodsId}: unreadable detail`, 'pdd', 'unexpected_response');
      const sku = parsed.data.sku_list.find((s) => s.sku_id === listing.skuId);
      if (!sku)
        throw new RequestRejectedError(`pdd goods ${goodsId} has no SKU ${listing.skuId}`, 'pdd', 'sku_id');
      return sku.quantity;
    },
  };
}

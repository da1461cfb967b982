import { z } from 'zod';
import type { AdapterContext } from '../types.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { requireItemId, type StockLimits, type StockListing, type StockUploader } from '../stock.js';
import { TopClient } from './client.js';
import type { TopSignMethod } from './sign.js';

/**
 * Taobao/Tmall stock through TOP (docs/stock-sync.md §Taobao): `taobao.item.quantity.update` with
 * `num_iid`, `sku_id` for a SKU of a multi-SKU item, `quantity` and `type=1` (全量: set, not add);
 * read back with `taobao.item.seller.get` (`num` for the item, `skus[].quantity` per SKU). Signed
 * like every TOP call (the shared client). A listing whose `skuId` equals its `itemId` is an item
 * without SKUs.
 */
export const TOP_STOCK_LIMITS: StockLimits = { callsPerSecond: 10, maxQuantity: 999_999 };

const numeric = z.union([z.string(), z.number()]).transform(Number);
const ItemSchema = z.object({
  num_iid: z.union([z.string(), z.number()]).transform(String),
  num: numeric.optional(),
  approve_status: z.string().optional(),
  skus: z
    .union([
      z.array(z.object({ sku_id: z.union([z.string(), z.number()]).transform(String), quantity: numeric })),
      z.object({
        sku: z.array(
          z.object({ sku_id: z.union([z.string(), z.number()]).transform(String), quantity: numeric }),
        ),
      }),
    ])
    .optional(),
});

export function createTaobaoStock(
  ctx: AdapterContext,
  options: { platform?: 'taobao' | 'tmall'; signMethod?: TopSignMethod } = {},
): StockUploader {
  const platform = options.platform ?? 'taobao';
  const client = new TopClient(ctx, platform, options.signMethod ?? 'md5');
  const isSku = (listing: StockListing) => listing.skuId !== listing.itemId;
  return {
    platform,
    limits: TOP_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const numIid = requireItemId(platform, listing);
      await client.call('taobao.item.quantity.update', {
        num_iid: numIid,
        ...(isSku(listing) ? { sku_id: listing.skuId } : {}),
        quantity: String(quantity),
        type: '1',
      });
    },
    async getQuantity(listing) {
      const numIid = requireItemId(platform, listing);
      const body = await client.call('taobao.item.seller.get', {
        num_iid: numIid,
        fields: 'num_iid,num,approve_status,sku',
      });
      const parsed = ItemSchema.safeParse(body['item']);
      if (!parsed.success)
        throw new PlatformError(
          `${platform} item ${numIid}: unreadable item`,
          platform,
          'unexpected_response',
        );
      if (!isSku(listing)) return parsed.data.num ?? 0;
      const skus = Array.isArray(parsed.data.skus) ? parsed.data.skus : (parsed.data.skus?.sku ?? []);
      const sku = skus.find((s) => s.sku_id === listing.skuId);
      if (!sku)
        throw new RequestRejectedError(
          `${platform} item ${numIid} has no SKU ${listing.skuId}`,
          platform,
          'isv.sku-not-exist',
        );
      return sku.quantity;
    },
  };
}

import { z } from 'zod';
import { requireItemId, type StockLimits, type StockUploader } from '../stock.js';
import type { AdapterContext } from '../types.js';
import { createWechatClient } from './client.js';
import { WechatStockSchema } from './wire.js';

/**
 * WeChat Channels shop stock, UNCONFIRMED (not in our facts; names as SDKs call them):
 * `/channels/ec/product/stock/update` with `diff_type` 3 sets a SKU's stock to a full value
 * (`product_id`, `sku_id`, `num`); `/channels/ec/product/stock/get` reads it back
 * (`data.normal_stock_num`). Listings need the product id (`itemId`) and the SKU id.
 */
export const WECHAT_SHOP_STOCK_LIMITS: StockLimits = { callsPerSecond: 5, maxQuantity: 999_999 };

export function createWechatShopStock(ctx: AdapterContext): StockUploader {
  const client = createWechatClient(ctx);
  return {
    platform: 'wechat_shop',
    limits: WECHAT_SHOP_STOCK_LIMITS,
    async setQuantity(listing, quantity) {
      const productId = requireItemId('wechat_shop', listing);
      await client.call(
        'product/stock/update',
        { product_id: productId, sku_id: listing.skuId, diff_type: 3, num: quantity },
        z.unknown(),
      );
    },
    async getQuantity(listing) {
      const productId = requireItemId('wechat_shop', listing);
      const stock = await client.call(
        'product/stock/get',
        { product_id: productId, sku_id: listing.skuId },
        WechatStockSchema,
      );
      return stock.data?.normal_stock_num ?? 0;
    },
  };
}

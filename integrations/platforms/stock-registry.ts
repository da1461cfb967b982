import type { Platform } from '../../domain/platforms.js';
import { createShopeeStock } from './shopee/stock.js';
import { createShopifyStock } from './shopify/stock.js';
import type { StockUploader } from './stock.js';
import { createTaobaoStock } from './taobao/stock.js';
import type { AdapterContext } from './types.js';

/** Which platforms take stock uploads, and the code that speaks to each. */
const STOCK: Partial<Record<Platform, (ctx: AdapterContext) => StockUploader>> = {
  taobao: (ctx) => createTaobaoStock(ctx, { platform: 'taobao' }),
  tmall: (ctx) => createTaobaoStock(ctx, { platform: 'tmall' }),
  shopee: (ctx) => createShopeeStock(ctx),
  shopify: (ctx) => createShopifyStock(ctx),
};

export function hasStockApi(platform: Platform): boolean {
  return STOCK[platform] !== undefined;
}

/** The stock uploader of a shop's platform, or undefined when we do not upload stock to it. */
export function createStockUploader(platform: Platform, ctx: AdapterContext): StockUploader | undefined {
  return STOCK[platform]?.(ctx);
}

import type { Platform } from '../../domain/platforms.js';
import { createAmazonStock } from './amazon/stock.js';
import { createDouyinStock } from './douyin/stock.js';
import { createEbayStock } from './ebay/stock.js';
import { createJdStock } from './jd/stock.js';
import { createKuaishouStock } from './kuaishou/stock.js';
import { createLazadaStock } from './lazada/stock.js';
import { createTiktokStock } from './tiktok/stock.js';
import { createXiaohongshuStock } from './xiaohongshu/stock.js';
import { createWechatShopStock } from './wechat-shop/stock.js';
import { createMeliStock } from './mercadolibre/stock.js';
import { createYouzanStock } from './youzan/stock.js';
import { createAliexpressStock } from './aliexpress/stock.js';
import { createWeidianStock } from './weidian/stock.js';
import { createAlibaba1688Stock } from './alibaba-1688/stock.js';
import { createDewuStock } from './dewu/stock.js';
import { createVipStock } from './vip/stock.js';
import { createPddStock } from './pdd/stock.js';
import { createShopeeStock } from './shopee/stock.js';
import { createShopifyStock } from './shopify/stock.js';
import type { StockUploader } from './stock.js';
import { createTaobaoStock } from './taobao/stock.js';
import { createTemuStock } from './temu/stock.js';
import { createWalmartStock } from './walmart/stock.js';
import { createWooStock } from './woocommerce/stock.js';
import type { AdapterOptions, AdapterShop } from './registry.js';
import type { AdapterContext } from './types.js';

/** Which platforms take stock uploads, and the code that speaks to each. */
const STOCK: Partial<Record<Platform, (ctx: AdapterContext) => StockUploader>> = {
  taobao: (ctx) => createTaobaoStock(ctx, { platform: 'taobao' }),
  tmall: (ctx) => createTaobaoStock(ctx, { platform: 'tmall' }),
  pdd: (ctx) => createPddStock(ctx),
  jd: (ctx) => createJdStock(ctx),
  douyin: (ctx) => createDouyinStock(ctx),
  shopee: (ctx) => createShopeeStock(ctx),
  shopify: (ctx) => createShopifyStock(ctx),
  woocommerce: (ctx) => createWooStock(ctx),
  amazon: (ctx) => createAmazonStock(ctx),
  kuaishou: (ctx) => createKuaishouStock(ctx),
  lazada: (ctx) => createLazadaStock(ctx),
  tiktok: (ctx) => createTiktokStock(ctx),
  xiaohongshu: (ctx) => createXiaohongshuStock(ctx),
  wechat_shop: (ctx) => createWechatShopStock(ctx),
  ebay: (ctx) => createEbayStock(ctx),
  walmart: (ctx) => createWalmartStock(ctx),
  mercadolibre: (ctx) => createMeliStock(ctx),
  youzan: (ctx) => createYouzanStock(ctx),
  aliexpress: (ctx) => createAliexpressStock(ctx),
  weidian: (ctx) => createWeidianStock(ctx),
  alibaba_1688: (ctx) => createAlibaba1688Stock(ctx),
  dewu: (ctx) => createDewuStock(ctx),
  vip: (ctx) => createVipStock(ctx),
  temu: (ctx) => createTemuStock(ctx),
};

export function hasStockApi(platform: Platform): boolean {
  return STOCK[platform] !== undefined;
}

/** The stock uploader of a shop's platform, or undefined when we do not upload stock to it. */
export function createStockUploader(platform: Platform, ctx: AdapterContext): StockUploader | undefined {
  return STOCK[platform]?.(ctx);
}

/** The same, for a shop as the registry describes it (`openShop` in activities). */
export function stockUploaderForShop(shop: AdapterShop, options: AdapterOptions = {}) {
  return createStockUploader(shop.platform, {
    shopId: shop.shopId,
    platformShopId: shop.platformShopId,
    baseUrl: shop.baseUrl,
    credentials: shop.credentials,
    ...(options.onTokensRefreshed ? { onTokensRefreshed: options.onTokensRefreshed } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

import type { Platform } from '../../domain/platforms.js';
import type { AfterSalesApi } from './after-sales-types.js';
import type { AdapterOptions, AdapterShop } from './registry.js';
import { createDouyinAfterSales } from './douyin/after-sales.js';
import { createJdAfterSales } from './jd/after-sales.js';
import { createPddAfterSales } from './pdd/after-sales.js';
import { createShopeeAfterSales } from './shopee/after-sales.js';
import { createShopifyAfterSales } from './shopify/after-sales.js';
import { createTaobaoAfterSales } from './taobao/after-sales.js';
import { createTemuAfterSales } from './temu/after-sales.js';
import { createWooAfterSales } from './woocommerce/after-sales.js';
import { createOrderMarkedAfterSales, ORDER_MARKED_AFTER_SALES } from './order-marked-after-sales.js';
import { createAdapter } from './registry.js';

export type * from './after-sales-types.js';

/** Which platforms' after-sales cases are captured and answered through their API (docs/after-sales.md). */
type Factory = (shop: AdapterShop, options: AdapterOptions) => AfterSalesApi;

const FACTORIES: Partial<Record<Platform, Factory>> = {
  taobao: (shop, options) => createTaobaoAfterSales(contextOf(shop, options), { platform: 'taobao' }),
  tmall: (shop, options) => createTaobaoAfterSales(contextOf(shop, options), { platform: 'tmall' }),
  jd: (shop, options) => createJdAfterSales(contextOf(shop, options)),
  pdd: (shop, options) => createPddAfterSales(contextOf(shop, options)),
  douyin: (shop, options) => createDouyinAfterSales(contextOf(shop, options)),
  shopee: (shop, options) =>
    createShopeeAfterSales(contextOf(shop, options), { receiveHere: shop.returnReceipt === 'platform' }),
  shopify: (shop, options) =>
    createShopifyAfterSales(contextOf(shop, options), { receiveHere: shop.returnReceipt === 'platform' }),
  woocommerce: (shop, options) => createWooAfterSales(contextOf(shop, options)),
  temu: (shop, options) => createTemuAfterSales(contextOf(shop, options)),
  // The channels whose orders show their after-sales (no case API in the facts): read from the order.
  ...Object.fromEntries(
    Object.keys(ORDER_MARKED_AFTER_SALES).map((platform) => [
      platform,
      (shop: AdapterShop, options: AdapterOptions) =>
        createOrderMarkedAfterSales(createAdapter(shop, options)),
    ]),
  ),
};

function contextOf(shop: AdapterShop, options: AdapterOptions) {
  return {
    shopId: shop.shopId,
    platformShopId: shop.platformShopId,
    baseUrl: shop.baseUrl,
    credentials: shop.credentials,
    ...options,
  };
}

/** Whether cases of this platform are captured (through its API, or from its orders). */
export function hasAfterSalesApi(platform: Platform): boolean {
  return FACTORIES[platform] !== undefined;
}

/** Whether the seller's answer (agree, refuse) goes to the platform through its API. */
export function answersThroughApi(platform: Platform): boolean {
  return hasAfterSalesApi(platform) && ORDER_MARKED_AFTER_SALES[platform] === undefined;
}

export function createAfterSalesApi(shop: AdapterShop, options: AdapterOptions = {}): AfterSalesApi {
  const factory = FACTORIES[shop.platform];
  if (!factory) throw new Error(`${shop.platform} has no after-sales API here (docs/after-sales.md)`);
  return factory(shop, options);
}

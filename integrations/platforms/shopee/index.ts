export { createShopeeAdapter, SHOPEE_LIMITS } from './adapter.js';
export { normalizeShopeeOrder, normalizeShopeeReturn, shopeeStatus } from './normalize.js';
export {
  shopeePushSignature,
  signShopeePublicRequest,
  signShopeeShopRequest,
  verifyShopeePush,
} from './sign.js';
export { shopeeWebhookParser } from './webhook.js';
export { ShopeeOrderSchema, ShopeeReturnSchema, parseShopeeJson } from './wire.js';
export type { ShopeeOrder, ShopeeReturn } from './wire.js';

export { createShopeeAdapter, SHOPEE_LIMITS } from './adapter.js';
export { normalizeShopeeOrder, normalizeShopeeReturn, shopeeNeedsEscrow, shopeeStatus } from './normalize.js';
export {
  shopeePushSignature,
  signShopeePublicRequest,
  signShopeeShopRequest,
  verifyShopeePush,
} from './sign.js';
export { shopeeWebhookParser } from './webhook.js';
export { ShopeeEscrowSchema, ShopeeOrderSchema, ShopeeReturnSchema, parseShopeeJson } from './wire.js';
export type { ShopeeEscrow, ShopeeOrder, ShopeeReturn } from './wire.js';

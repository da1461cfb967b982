export {
  createShopifyAdapter,
  nextPageInfo,
  SHOPIFY_DEFAULT_API_VERSION,
  SHOPIFY_LIMITS,
} from './adapter.js';
export { shopifyTrackingCompany } from './carriers.js';
export {
  normalizeShopifyOrder,
  normalizeShopifyRefund,
  shopifyReceiver,
  shopifyStatus,
} from './normalize.js';
export { shopifyWebhookHmac, verifyShopifyWebhook } from './sign.js';
export { shopifyWebhookId, shopifyWebhookParser } from './webhook.js';
export { ShopifyOrderSchema, ShopifyRefundSchema, parseShopifyJson } from './wire.js';
export type { ShopifyOrder, ShopifyRefund } from './wire.js';

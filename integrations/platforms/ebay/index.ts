export { createEbayAdapter, EBAY_LIMITS } from './adapter.js';
export { ebayCarrierCode } from './carriers.js';
export { EBAY_SCOPES } from './client.js';
export { ebayOrderId, ebayOrderKey, normalizeEbayOrder } from './normalize.js';
export { createEbayStock } from './stock.js';
export { ebayWebhookParser, verifyEbaySignature } from './webhook.js';

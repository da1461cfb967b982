export { createWalmartAdapter, WALMART_LIMITS } from './adapter.js';
export { walmartCarrierName } from './carriers.js';
export { WALMART_SERVICE_NAME } from './client.js';
export { lineStatus, normalizeWalmartOrder } from './normalize.js';
export { createWalmartStock } from './stock.js';
export { walmartEventAuthorized, walmartWebhookParser } from './webhook.js';

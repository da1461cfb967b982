export { createMeliAdapter, MELI_LIMITS } from './adapter.js';
export { meliLineId, normalizeMeliOrder } from './normalize.js';
export { createMeliStock } from './stock.js';
export { meliWebhookParser } from './webhook.js';

export { createTemuAdapter, TEMU_LIMITS } from './adapter.js';
export { normalizeTemuOrder } from './normalize.js';
export { signTemu } from './sign.js';
export { createTemuStock, TEMU_STOCK_LIMITS } from './stock.js';
export { TEMU_PUSH_ACK, temuWebhookParser } from './webhook.js';

export { createVipAdapter, VIP_LIMITS } from './adapter.js';
export { normalizeVipOrder } from './normalize.js';
export { signVip } from './sign.js';
export { createVipStock } from './stock.js';

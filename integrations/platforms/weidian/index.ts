export { createWeidianAdapter, WEIDIAN_LIMITS } from './adapter.js';
export { weidianExpressType } from './carriers.js';
export { normalizeWeidianOrder } from './normalize.js';
export { createWeidianStock } from './stock.js';
export { WeidianOrderSchema } from './wire.js';
export type { WeidianOrder } from './wire.js';

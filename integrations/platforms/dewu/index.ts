export { createDewuAdapter, DEWU_LIMITS } from './adapter.js';
export { normalizeDewuOrder } from './normalize.js';
export { signDewu } from './sign.js';
export { createDewuStock } from './stock.js';

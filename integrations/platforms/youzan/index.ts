export { createYouzanAdapter, YOUZAN_LIMITS } from './adapter.js';
export { youzanExpressId } from './carriers.js';
export { normalizeYouzanTrade } from './normalize.js';
export { createYouzanStock } from './stock.js';
export { YOUZAN_PUSH_ACK, youzanWebhookParser } from './webhook.js';
export { YouzanTradeSchema } from './wire.js';
export type { YouzanTrade } from './wire.js';

export { createTiktokAdapter, TIKTOK_LIMITS } from './adapter.js';
export { tiktokShippingProvider } from './carriers.js';
export { normalizeTiktokOrder } from './normalize.js';
export { signTiktokRequest, tiktokSignString, verifyTiktokPush } from './sign.js';
export { createTiktokStock } from './stock.js';
export { tiktokWebhookParser } from './webhook.js';
export { TiktokOrderSchema } from './wire.js';
export type { TiktokOrder } from './wire.js';

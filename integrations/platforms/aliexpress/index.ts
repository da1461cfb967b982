export { ALIEXPRESS_LIMITS, createAliexpressAdapter } from './adapter.js';
export { aliexpressServiceName } from './carriers.js';
export { normalizeAliexpressOrder } from './normalize.js';
export { aliexpressSyncString, signAliexpressSync } from './sign.js';
export { createAliexpressStock } from './stock.js';
export { aliexpressWebhookParser } from './webhook.js';
export { AliexpressOrderSchema } from './wire.js';
export type { AliexpressOrder } from './wire.js';

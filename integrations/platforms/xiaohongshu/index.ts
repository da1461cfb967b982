export { createXiaohongshuAdapter, XIAOHONGSHU_LIMITS } from './adapter.js';
export { xiaohongshuExpressCode } from './carriers.js';
export { normalizeXiaohongshuOrder } from './normalize.js';
export { signXiaohongshuRequest, verifyXiaohongshuPush, xiaohongshuSignString } from './sign.js';
export { createXiaohongshuStock } from './stock.js';
export { xiaohongshuWebhookParser } from './webhook.js';
export { XiaohongshuOrderSchema } from './wire.js';
export type { XiaohongshuOrder } from './wire.js';

export { createDouyinAdapter, DOUYIN_LIMITS } from './adapter.js';
export { douyinCompanyCode } from './carriers.js';
export { isDouyinCipher, normalizeDouyinAfterSale, normalizeDouyinOrder } from './normalize.js';
export { douyinEventSign, douyinParamJson, signDouyinRequest, verifyDouyinEventSign } from './sign.js';
export type { DouyinSignInput, DouyinSignMethod } from './sign.js';
export { DOUYIN_PUSH_ACK, douyinWebhookParser } from './webhook.js';
export { DouyinAfterSaleSchema, DouyinOrderSchema, parseDouyinJson } from './wire.js';
export type { DouyinAfterSale, DouyinOrder } from './wire.js';

export { createWechatShopAdapter, WECHAT_SHOP_LIMITS } from './adapter.js';
export { wechatDeliveryId } from './carriers.js';
export { normalizeWechatOrder } from './normalize.js';
export { decryptWechatMessage, wechatPushSignature, wechatSignatureMatches } from './sign.js';
export { createWechatShopStock } from './stock.js';
export { WECHAT_PUSH_ACK, wechatShopWebhookParser, wechatUrlCheckAnswer } from './webhook.js';
export { WechatOrderSchema } from './wire.js';
export type { WechatOrder } from './wire.js';

export { createTaobaoAdapter, TOP_LIMITS, type TaobaoAdapter, type TaobaoAdapterOptions } from './adapter.js';
export { TOP_COMPANY_CODES } from './carriers.js';
export { normalizeTopRefund, normalizeTopTrade } from './normalize.js';
export { topSign, type TopSignMethod } from './sign.js';
export { tmcMessageToEvents, type TmcDelivery } from './webhook.js';

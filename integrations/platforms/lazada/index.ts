export { createLazadaAdapter, LAZADA_LIMITS } from './adapter.js';
export { lazadaShipmentProvider } from './carriers.js';
export { LAZADA_AUTH_URL } from './client.js';
export { lazadaTime, normalizeLazadaOrder } from './normalize.js';
export { lazadaSignString, signLazadaRequest, verifyLazadaPush } from './sign.js';
export { createLazadaStock } from './stock.js';
export { LAZADA_VENTURES, lazadaVenture } from './venture.js';
export { lazadaWebhookParser } from './webhook.js';

export { createKuaishouAdapter, KUAISHOU_LIMITS } from './adapter.js';
export { kuaishouExpressCode } from './carriers.js';
export { normalizeKuaishouOrder } from './normalize.js';
export { decryptKuaishouPush, kuaishouSignString, signKuaishouRequest } from './sign.js';
export { createKuaishouStock } from './stock.js';
export { KUAISHOU_PUSH_ACK, kuaishouWebhookParser } from './webhook.js';
export { KuaishouOrderSchema } from './wire.js';
export type { KuaishouOrder } from './wire.js';

export { createWooCommerceAdapter, WOO_LIMITS, WOO_SHIPMENT_META } from './adapter.js';
export { normalizeWooOrder, wooReceiver, wooRefunds, wooStatus } from './normalize.js';
export { WOO_CN_STATES, wooStateOf } from './states.js';
export { verifyWooWebhook, wooWebhookSignature } from './sign.js';
export { wooCommerceWebhookParser, wooDeliveryId } from './webhook.js';
export { WooOrderSchema } from './wire.js';
export type { WooOrder } from './wire.js';

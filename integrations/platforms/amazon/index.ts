/**
 * Amazon SP-API. Amazon has no HTTP push to verify: order notifications (ORDER_CHANGE) go to SQS
 * or EventBridge, so there is no webhook parser and Amazon orders arrive by polling.
 */
export { AMAZON_LIMITS, createAmazonAdapter } from './adapter.js';
export type { AmazonAdapter } from './adapter.js';
export { amazonCarrier } from './carriers.js';
export { amazonReceiver, amazonStatus, normalizeAmazonOrder, normalizeAmazonRefund } from './normalize.js';
export { AmazonOrderItemSchema, AmazonOrderSchema, AmazonRefundEventSchema } from './wire.js';
export type { AmazonOrder, AmazonOrderItem, AmazonRefundEvent } from './wire.js';

import {
  amountsSchema,
  fxSchema,
  groupStatusSchema,
  normalizedOrderSchema,
  orderLineSchema,
  orderPushSchema,
  orderTypeSchema,
  paymentRefSchema,
  platformOrderStatusSchema,
  presaleSchema,
  receiverSchema,
  refundStatusSchema,
} from './lazy/order.js';

/**
 * The unified order model every channel is normalized into (defined in domain/lazy/order.ts, whose
 * schemas the workflow bundle builds only on first use). It is also the documented body of our own
 * order push (`POST /webhooks/own/:shopId`), so field names and messages are public API.
 */
export * from './lazy/order.js';

export const PlatformOrderStatusSchema = platformOrderStatusSchema();
export const RefundStatusSchema = refundStatusSchema();
export const OrderTypeSchema = orderTypeSchema();
export const GroupStatusSchema = groupStatusSchema();
export const ReceiverSchema = receiverSchema();
export const OrderLineSchema = orderLineSchema();
export const AmountsSchema = amountsSchema();
export const PresaleSchema = presaleSchema();
export const PaymentRefSchema = paymentRefSchema();
export const OrderPushSchema = orderPushSchema();
export const FxSchema = fxSchema();
export const NormalizedOrderSchema = normalizedOrderSchema();

import {
  actorSchema,
  orderEditFields,
  orderEditsSchema,
  receiverEditSchema,
  reviewDecisionSchema,
  serviceActionSchema,
} from './lazy/review.js';

/**
 * Human decisions on an order, as the API receives them and as the order workflow validates them
 * (the same schemas on both sides, so a bad payload is refused with the same words either way;
 * defined in domain/lazy/review.ts, which the workflow bundle builds only on first use).
 */
export * from './lazy/review.js';

export const ActorSchema = actorSchema();
export const ReceiverEditSchema = receiverEditSchema();
export const ORDER_EDIT_FIELDS = orderEditFields();
export const OrderEditsSchema = orderEditsSchema();
export const ReviewDecisionSchema = reviewDecisionSchema();
export const ServiceActionSchema = serviceActionSchema();

import { z } from 'zod';

/**
 * Where an order is in our own lifecycle (as opposed to the platform's status). It is written to
 * the projection, the timeline and the `OrderStatus` search attribute.
 */
export const ORDER_STATUSES = [
  'captured',
  'awaiting_payment',
  'auditing',
  'held',
  'allocating',
  'out_of_stock',
  'awaiting_wave',
  'picking',
  'packed',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'exception',
] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['completed', 'cancelled']);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

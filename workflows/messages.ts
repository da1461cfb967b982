import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { NormalizedOrder } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';

/**
 * Every message an order workflow understands. The API imports this module, so names and payload
 * types are shared by sender and receiver. Signals carry facts that just arrived; queries read.
 */

/** A newer (or older, or duplicate) snapshot of the order from its platform. */
export const orderSnapshotSignal = defineSignal<[NormalizedOrder]>('orderSnapshot');

export interface Deadline {
  kind: string;
  at: string;
}

export interface TimelineEntry {
  seq: number;
  stage: string;
  status: OrderStatus;
  at: string;
}

export interface OrderStateView {
  orderId: string;
  platform: string;
  shopId: string;
  platformOrderId: string;
  status: OrderStatus;
  platformStatus: string;
  refundStatus: string;
  /** What the order is waiting for right now, in words an operator understands; null when it is moving. */
  waitingFor: string | null;
  nextDeadline: Deadline | null;
  /** Why the order ended, when it did. */
  outcome: string | null;
  timeline: TimelineEntry[];
}

export const stateQuery = defineQuery<OrderStateView>('state');

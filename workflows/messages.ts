import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { NormalizedOrder } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-status.js';
import type { ReviewDecision, ServiceAction } from '../domain/review.js';

/**
 * Every message an order workflow understands. The API imports this module, so names and payload
 * types are shared by sender and receiver. Signals carry facts that just arrived; Updates carry
 * decisions whose sender needs an answer; queries read.
 */

/** A newer (or older, or duplicate) snapshot of the order from its platform. */
export const orderSnapshotSignal = defineSignal<[NormalizedOrder]>('orderSnapshot');

/** A reviewer's decision on a held order. Answers with the order's state after it took effect. */
export const reviewUpdate = defineUpdate<OrderStateView, [ReviewDecision]>('review');

/** Customer service: lock, unlock, flag, unflag, memo. Answers with the order's new state. */
export const serviceUpdate = defineUpdate<OrderStateView, [ServiceAction]>('service');

export interface Deadline {
  kind: string;
  at: string;
}

export interface TimelineEntry {
  seq: number;
  stage: string;
  status: OrderStatus;
  at: string;
  actor: string;
}

export interface HoldView {
  key: string;
  reason: string;
  stage: number;
  /** The role that clears it (admin always may). */
  clearedBy: string;
  ruleId: string | null;
  message: string | null;
  detail: string;
  openedAt: string;
  escalatedAt: string | null;
  clearedAt: string | null;
  clearedByActor: string | null;
  decision: string | null;
  note: string | null;
}

export interface RouteView {
  group: string;
  priority: number;
  reason: string;
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
  /** Open holds (all stages) and the stage under review now. */
  holds: HoldView[];
  reviewStage: number | null;
  flags: string[];
  locked: boolean;
  route: RouteView | null;
  shipBy: { at: string; atRisk: boolean } | null;
  timeline: TimelineEntry[];
}

export const stateQuery = defineQuery<OrderStateView>('state');

/** Failure types of Update validators; the API maps each to an HTTP status. */
export const DECISION_FAILURES = {
  invalidPayload: 'InvalidDecision',
  notHeld: 'OrderNotHeld',
  wrongRole: 'WrongRole',
  finished: 'OrderFinished',
  conflict: 'DecisionConflict',
} as const;

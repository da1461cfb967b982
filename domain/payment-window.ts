import { isPaidStatus, type NormalizedOrder } from './lazy/order.js';
import type { OrderStatus } from './order-status.js';
import type { Platform } from './platforms.js';

/**
 * Who decides that an unpaid order is dead. A marketplace runs its own payment window and closes
 * the order itself when it lapses (TOP `TRADE_CLOSED_BY_TAOBAO`, Shopee `CANCELLED`, PDD and Douyin
 * cancelled statuses, Shopify `cancelled_at`, WooCommerce `cancelled`/`failed`): the buyer may still
 * pay until then, so the ERP waits for the platform's word. A seller's own store or mini-program
 * pushes orders to us and leaves the window to the ERP.
 */
export function platformOwnsPaymentWindow(platform: Platform): boolean {
  return platform !== 'own';
}

/** Outcomes where the ERP, not the platform or a person, ended the order: its own payment timers. */
export const ERP_TIMER_OUTCOMES: readonly string[] = [
  'unpaid_timeout',
  'presale_deposit_unpaid',
  'presale_balance_unpaid',
];

export interface FinishedOrder {
  status: OrderStatus;
  outcome: string | null;
}

export type LateSnapshotVerdict =
  /** The ERP's timer ended an order the buyer has now paid: start it again from payment. */
  | { action: 'revive' }
  /** Money arrived for an order that ended without shipping: a person must decide. */
  | { action: 'alert'; message: string }
  /** Nothing to do: the order shipped, or the snapshot is not a payment, or after-sales owns it. */
  | { action: 'ignore' };

/**
 * What to do with a snapshot that arrives after the order's workflow finished. A payment is never
 * dropped in silence: either the order lives again (the ERP ended it on its own clock) or ops are
 * told which order took money it will not ship.
 */
export function judgeLateSnapshot(
  orderId: string,
  finished: FinishedOrder,
  snapshot: NormalizedOrder,
): LateSnapshotVerdict {
  const paid = isPaidStatus(snapshot.status) || snapshot.status === 'deposit_paid';
  if (!paid || finished.status !== 'cancelled') return { action: 'ignore' };
  if (snapshot.refundStatus === 'requested' || snapshot.refundStatus === 'refunded') {
    return { action: 'ignore' };
  }
  if (finished.outcome !== null && ERP_TIMER_OUTCOMES.includes(finished.outcome)) return { action: 'revive' };
  return {
    action: 'alert',
    message:
      `order ${orderId} (${snapshot.platform} ${snapshot.platformOrderId}) is ${snapshot.status} on the platform ` +
      `but was ended here (${finished.outcome ?? 'cancelled'}); ship it by hand or refund the buyer`,
  };
}

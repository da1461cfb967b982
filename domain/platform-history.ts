import type { PlatformOrderStatus } from './order.js';

/**
 * Orders the platform already reports shipped or finished are history, not work: at go-live the
 * look-back and every poll bring them in (TOP `WAIT_BUYER_CONFIRM_GOODS`, `TRADE_FINISHED`; PDD
 * `order_status` 2/3; …, see docs/order-semantics.md), and shipping them again would send the buyer
 * a second parcel.
 */
const SHIPPED_ON_PLATFORM: ReadonlySet<PlatformOrderStatus> = new Set([
  'partially_shipped',
  'shipped',
  'completed',
]);

export function shippedOnPlatform(status: PlatformOrderStatus): boolean {
  return SHIPPED_ON_PLATFORM.has(status);
}

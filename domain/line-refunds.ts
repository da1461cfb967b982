import type { NormalizedOrder, OrderLine, RefundStatus } from './order.js';

/**
 * Refunds are per line on every marketplace (TOP sub-orders `oid`, PDD/Douyin/JD sub-orders,
 * Shopify line items): a refund on one line holds that line, the others ship. The order-level
 * `refundStatus` is a roll-up kept for display; decisions read the lines (docs/order-semantics.md).
 *
 * | line refund state          | the line            |
 * |----------------------------|---------------------|
 * | none, refused, closed      | ships               |
 * | requested                  | held (not allocated, its parcel stopped) |
 * | refunded                   | never ships         |
 */
export type LineRefundState = 'ships' | 'held' | 'refunded';

/**
 * A line's refund status. Platforms that report refunds per order only (the own-store push without
 * line states, an order-level refund flag) set no line: then the order's status is every line's.
 */
export function lineRefundStatus(
  order: { lines: ReadonlyArray<{ refundStatus?: RefundStatus | undefined }>; refundStatus: RefundStatus },
  line: Pick<OrderLine, 'refundStatus'>,
): RefundStatus {
  const perLine = order.lines.some((l) => l.refundStatus !== undefined);
  return perLine ? (line.refundStatus ?? 'none') : order.refundStatus;
}

export function lineRefundState(status: RefundStatus): LineRefundState {
  if (status === 'requested') return 'held';
  if (status === 'refunded') return 'refunded';
  return 'ships';
}

/** Lines that must not ship now (refund requested or done), by line id. */
export function linesNotShipping(order: Pick<NormalizedOrder, 'lines' | 'refundStatus'>): string[] {
  return order.lines
    .filter((l) => lineRefundState(lineRefundStatus(order, l)) !== 'ships')
    .map((l) => l.lineId);
}

/** The order-level roll-up people see of its lines' states: an open case first, as the platforms show it. */
export function rolledUpRefundStatus(statuses: ReadonlyArray<RefundStatus | undefined>): RefundStatus {
  return (
    (['requested', 'refused', 'refunded', 'closed'] as const).find((s) => statuses.includes(s)) ?? 'none'
  );
}

/** True when every line was refunded: the order has nothing left to ship and ends. */
export function everyLineRefunded(order: Pick<NormalizedOrder, 'lines' | 'refundStatus'>): boolean {
  return order.lines.every((l) => lineRefundStatus(order, l) === 'refunded');
}

/** The order with only the lines that ship now; `platform` keeps the refund states the decision read. */
export function shippingPart(
  order: NormalizedOrder,
  platform: Pick<NormalizedOrder, 'lines' | 'refundStatus'>,
): NormalizedOrder {
  const out = new Set(linesNotShipping(platform));
  return { ...order, lines: order.lines.filter((l) => !out.has(l.lineId)) };
}

import type { NormalizedOrder, RefundStatus } from '../../domain/order.js';
import type { RefundCaseStatus } from '../../integrations/platforms/types.js';

/** A refund case's state, in the order model's vocabulary. */
export function refundStatusOf(status: RefundCaseStatus | RefundStatus): RefundStatus {
  switch (status) {
    case 'requested':
    case 'agreed':
    case 'returning':
      return 'requested';
    case 'refunded':
      return 'refunded';
    case 'refused':
    case 'closed':
      return 'closed';
    case 'none':
      return 'none';
  }
}

/**
 * The order as of a refund change. The newer of the two decides; an order that says nothing about
 * refunds (Amazon orders never do) takes the refund's status whichever is newer. The snapshot's
 * modified time becomes the later of the two, so the order workflow sees it as news.
 */
export function withRefund(
  order: NormalizedOrder,
  refund: { status: RefundStatus; modifiedAt?: string },
): NormalizedOrder {
  const orderAt = Date.parse(order.modifiedAt);
  const refundAt = refund.modifiedAt ? Date.parse(refund.modifiedAt) : Number.NaN;
  const refundIsNewer = !Number.isNaN(refundAt) && refundAt > orderAt;
  if (refund.status === order.refundStatus) return order;
  if (!refundIsNewer && order.refundStatus !== 'none') return order;
  return {
    ...order,
    refundStatus: refund.status,
    modifiedAt: refundIsNewer ? new Date(refundAt).toISOString() : order.modifiedAt,
  };
}

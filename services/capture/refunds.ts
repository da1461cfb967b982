import { rolledUpRefundStatus } from '../../domain/line-refunds.js';
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
      return 'refused';
    case 'closed':
      return 'closed';
    case 'none':
      return 'none';
  }
}

/**
 * The order as of a refund change. The newer of the two decides; an order that says nothing about
 * refunds (Amazon orders never do) takes the refund's status whichever is newer. A refund case that
 * names its lines (TOP `oid`, PDD `sku_id`) changes those lines only: the others keep shipping. The
 * snapshot's modified time becomes the later of the two, so the order workflow sees it as news.
 */
export function withRefund(
  order: NormalizedOrder,
  refund: { status: RefundStatus; modifiedAt?: string; lineIds?: string[] },
): NormalizedOrder {
  const orderAt = Date.parse(order.modifiedAt);
  const refundAt = refund.modifiedAt ? Date.parse(refund.modifiedAt) : Number.NaN;
  const refundIsNewer = !Number.isNaN(refundAt) && refundAt > orderAt;
  const named = new Set(refund.lineIds ?? []);
  const perLine = order.lines.some((l) => named.has(l.lineId));
  const lineStatus = (lineId: string) =>
    order.lines.find((l) => l.lineId === lineId)?.refundStatus ?? order.refundStatus;
  const unchanged = perLine
    ? [...named].every((id) => !order.lines.some((l) => l.lineId === id) || lineStatus(id) === refund.status)
    : refund.status === order.refundStatus;
  if (unchanged) return order;
  const orderSays = perLine
    ? [...named].some((id) => lineStatus(id) !== 'none')
    : order.refundStatus !== 'none';
  if (!refundIsNewer && orderSays) return order;
  const lines = perLine
    ? order.lines.map((l) => ({
        ...l,
        refundStatus: named.has(l.lineId) ? refund.status : (l.refundStatus ?? 'none'),
      }))
    : order.lines;
  const statuses = lines.map((l) => l.refundStatus);
  return {
    ...order,
    lines,
    refundStatus: perLine ? rolledUpRefundStatus(statuses) : refund.status,
    modifiedAt: refundIsNewer ? new Date(refundAt).toISOString() : order.modifiedAt,
  };
}

import type { PlatformCase, PlatformWriteResult } from './after-sales-types.js';
import type { RefundInfo } from './types.js';

/**
 * A refund the merchant already made in the store (Shopify `refunds/create`, a WooCommerce order
 * refund) as an after-sales case: there is no buyer's request to agree or refuse, the money went
 * back, so the case records it (`refunded`) and sets the order's lines the same way.
 */
export function merchantRefundCase(refund: RefundInfo, caseId = refund.platformRefundId): PlatformCase {
  return {
    platformCaseId: caseId,
    platformOrderId: refund.platformOrderId,
    kind: refund.kind === 'return_and_refund' ? 'return_refund' : refund.kind,
    status: 'refunded',
    platformStatus: 'refunded',
    amountFen: refund.amountMinor,
    reason: refund.reason ?? '',
    lineIds: refund.lineIds ?? [],
    shipped: refund.kind === 'return_and_refund',
    createdAt: refund.createdAt,
    modifiedAt: refund.modifiedAt,
  };
}

/** What a store answers when asked to agree or refuse a refund the merchant already made. */
export function merchantRefundAnswer(platform: string): PlatformWriteResult {
  return {
    outcome: 'not_offered',
    message: `a ${platform} refund is the merchant's own: there is no buyer's request to answer`,
  };
}

/**
 * A marketplace case whose workflow has ended, asked again by the buyer (docs/after-sales.md, "A
 * case the buyer asks again"). On Taobao a refused refund (SELLER_REFUSE_BUYER) may be modified by
 * the buyer (TMC `taobao_refund_RefundBuyerModifyAgreement`) and wait for the seller again
 * (WAIT_SELLER_AGREE); PDD's refusal is 6 驳回退款待买家处理, after which the buyer's new request is
 * 2 / 3 待商家处理 again. Whatever the platform, the case opens again only when the platform's
 * snapshot waits for the seller's answer (`open`) and is newer than the last one the ended case
 * took; a repeated or older snapshot, or one that only confirms the end, changes nothing.
 */

/** The case's own statuses from which a buyer's new request opens it again. */
export const REOPENABLE_CASE_STATUSES: ReadonlySet<string> = new Set(['refused', 'closed']);

export interface EndedCase {
  /** The case's status on our projection (`after_sale_cases.status`). */
  status: string;
  /**
   * The platform's modified time of the last snapshot the case took; for cases that ended before it
   * was kept, the time the case last wrote its projection (after the snapshot it took).
   */
  lastSeenAt: Date;
}

/** Whether `snapshot` (the platform's case now) opens the ended case again. */
export function reopensEndedCase(
  ended: EndedCase,
  snapshot: { status: string; modifiedAt: string },
): boolean {
  if (!REOPENABLE_CASE_STATUSES.has(ended.status) || snapshot.status !== 'open') return false;
  const at = Date.parse(snapshot.modifiedAt);
  return !Number.isNaN(at) && at > ended.lastSeenAt.getTime();
}

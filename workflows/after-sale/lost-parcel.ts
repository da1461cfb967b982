import type { AfterSaleStateView } from '../messages.js';
import type { CaseScope } from './case.js';
import { refundCase } from './refund.js';

/**
 * A lost parcel's refund on an own-store order (docs/after-sales.md, "A lost parcel refunded"): the
 * person who decided the order's lost parcel `refund` agreed it, so nobody is asked again; the
 * amount is what the parcel's units were paid, and it goes back through the channel the buyer paid
 * with, once, like any agreed refund. The lines are already with the carrier (lost), so nothing is
 * held first; once refunded, they become `refunded` on the order, which then ends.
 */
export async function refundLostParcel(scope: CaseScope, lineIds: string[]): Promise<AfterSaleStateView> {
  const { input, view, record } = scope;
  const lost = input.lostParcel!;
  view.agreedFen = input.requestedFen;
  view.decisions.push({ decision: 'agree', actor: lost.decidedBy, at: lost.decidedAt });
  await record('decided', 'refunding', 'agreed', lost.decidedBy, {
    agreedFen: view.agreedFen,
    parcelId: lost.parcelId,
    why: `parcel ${lost.parcelId} was lost and its refund decided on the order: ${lost.reason}`,
  });
  return refundCase(scope, lineIds);
}

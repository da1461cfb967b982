import { amountDue, type Amounts } from '../lazy/order.js';
import type { Role } from './roles.js';

/*
 * Kept apart from decide.ts so that workflow code replaying audits recorded before the audit
 * activity compared paid and due can import it without the region data the subject builder needs.
 */

/** A hold the audit asks the workflow to open. */
export interface AuditHoldCandidate {
  reason: string;
  stage: number;
  clearedBy: Role;
  /**
   * The rule that raised it (`sku_mapping` for unmapped SKUs). Null for the payment check: a
   * re-audit never closes that hold, only finance does.
   */
  ruleId: string | null;
  message: string | null;
  detail: string;
}

export const PAYMENT_MISMATCH_REASON = 'payment_mismatch';

/**
 * Paid must equal due (goods − discounts + shipping) within the shop's tolerance; otherwise
 * finance (财审, stage 2) looks at it before anything ships.
 */
export function paymentMismatchHold(amounts: Amounts, toleranceFen: number): AuditHoldCandidate | null {
  const due = amountDue(amounts);
  const paid = amounts.paidFen;
  if (Math.abs(paid - due) <= toleranceFen) return null;
  return {
    reason: PAYMENT_MISMATCH_REASON,
    stage: 2,
    clearedBy: 'finance',
    ruleId: null,
    message: null,
    detail: `paid ${paid} fen but ${due} fen is due (tolerance ${toleranceFen} fen)`,
  };
}

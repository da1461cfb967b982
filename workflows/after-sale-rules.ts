import type { AfterSaleAuditOutcome } from '../domain/after-sale-rules/evaluate.js';
import type { AfterSaleAuditView } from './messages.js';

/**
 * The automatic refund audit at a case's decision point (docs/after-sales.md). Cases started
 * before the rules existed replay without it (`patched(AFTER_SALE_RULES_PATCH)`).
 */
export const AFTER_SALE_RULES_PATCH = 'after-sale-rules';

/** The actor a rule's decision is recorded under on the case's timeline. */
export function ruleActor(ruleId: string): string {
  return `rule:${ruleId}`;
}

export function auditView(outcome: AfterSaleAuditOutcome): AfterSaleAuditView {
  return {
    verdict: outcome.verdict,
    agreedBy: outcome.agreedBy?.ruleId ?? null,
    holds: outcome.holds.map(({ ruleId, reason, clearedBy, detail }) => ({
      ruleId,
      reason,
      clearedBy,
      detail,
    })),
  };
}

/** The roles a person needs, beyond customer service, to agree a case the rules held. */
export function rolesToAgree(
  audit: AfterSaleAuditView | null | undefined,
): Array<'customer-service' | 'finance'> {
  return [...new Set((audit?.holds ?? []).map((h) => h.clearedBy))];
}

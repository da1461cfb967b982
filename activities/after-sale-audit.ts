import type { Db } from '../db/connect.js';
import { afterSaleRuleStore, loadAfterSaleSubject } from '../db/queries/after-sale-rules.js';
import {
  evaluateAfterSaleRules,
  type AfterSaleAuditOutcome,
  type InspectionResult,
} from '../domain/after-sale-rules/index.js';

/**
 * The automatic refund audit (docs/after-sales.md): the rules in force, evaluated against the case
 * as it stands at the workflow's decision point. The workflow acts on the verdict and writes it on
 * the case's timeline with the rule as actor.
 */
export function createAfterSaleAuditActivities(deps: { db: Db }) {
  return {
    async auditAfterSaleCase(input: {
      caseId: string;
      /** A parcel with the case's lines is with the carrier. */
      shipped: boolean;
      /** The warehouse's finding on the returned goods, once inspected. */
      inspection: InspectionResult | null;
      financeAboveFen: number;
    }): Promise<AfterSaleAuditOutcome> {
      const subject = await loadAfterSaleSubject(deps.db, input.caseId, input);
      if (!subject) throw new Error(`no after-sales case ${input.caseId} to audit`);
      const rules = await afterSaleRuleStore.loadActive(deps.db);
      return evaluateAfterSaleRules(rules, subject, input.financeAboveFen);
    },
  };
}

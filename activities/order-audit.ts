import type { Db } from '../db/connect.js';
import { loadActiveAuditRules, loadAuditMasterData } from '../db/queries/audit-rules.js';
import { loadActiveRoutingRules } from '../db/queries/routing-rules.js';
import { decideAudit, prepareAudit, type AuditHoldCandidate } from '../domain/audit/decide.js';
import type { NormalizedOrder } from '../domain/order.js';
import { routeOrder } from '../domain/routing/route.js';

export type { AuditHoldCandidate };

export interface OrderAuditResult {
  holds: AuditHoldCandidate[];
  flags: string[];
  route: { group: string; priority: number; reason: string };
  /**
   * The paid amount was compared with the amount due here. Absent in results recorded before the
   * audit did that (workflows replaying them compare it themselves).
   */
  paymentChecked?: true;
}

/**
 * Everything the audit decides from master data — SKU mapping (an unmapped SKU holds the order for
 * ops), paid = due, the audit rules (holds and flags) and the routing rules (processing group,
 * priority) — through the same `prepareAudit`/`decideAudit` the dry run uses. Reads only, so
 * retries are harmless.
 */
export function createOrderAuditActivities({ db }: { db: Db }) {
  return {
    async auditOrder(input: {
      orderId: string;
      order: NormalizedOrder;
      /** The moment of the audit (workflow time); payment age is measured at it. */
      now: string;
      paymentToleranceFen: number;
    }): Promise<OrderAuditResult> {
      const { order } = input;
      const [data, auditRules, routingRules] = await Promise.all([
        loadAuditMasterData(db, order),
        loadActiveAuditRules(db),
        loadActiveRoutingRules(db),
      ]);
      const prepared = prepareAudit(
        order,
        data,
        { paymentToleranceFen: input.paymentToleranceFen },
        input.now,
      );
      const decision = decideAudit(prepared, auditRules);
      const route = routeOrder(routingRules, prepared.subject);
      return {
        holds: decision.holds,
        flags: [...new Set(decision.flags.map((f) => f.flag))],
        route: { group: route.group, priority: route.priority, reason: route.reason },
        paymentChecked: true,
      };
    },
  };
}

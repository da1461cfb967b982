import type { Db } from '../db/connect.js';
import { loadActiveAuditRules, loadAuditContext } from '../db/queries/audit-rules.js';
import { resolveOrderLines } from '../db/queries/catalog.js';
import { loadActiveRoutingRules } from '../db/queries/routing-rules.js';
import { evaluateAuditRules } from '../domain/audit/evaluate.js';
import { buildAuditSubject } from '../domain/audit/subject.js';
import type { NormalizedOrder } from '../domain/order.js';
import { routeOrder } from '../domain/routing/route.js';

export interface AuditHoldCandidate {
  reason: string;
  stage: number;
  clearedBy: string;
  ruleId: string | null;
  message: string | null;
  detail: string;
}

export interface OrderAuditResult {
  holds: AuditHoldCandidate[];
  flags: string[];
  route: { group: string; priority: number; reason: string };
}

/**
 * Everything the audit decides from master data: SKU mapping (an unmapped SKU holds the order for
 * ops), the audit rules (holds and flags) and the routing rules (processing group, priority).
 * Reads only, so retries are harmless.
 */
export function createOrderAuditActivities({ db }: { db: Db }) {
  return {
    async auditOrder(input: {
      orderId: string;
      order: NormalizedOrder;
      now: string;
    }): Promise<OrderAuditResult> {
      const { order } = input;
      const [resolution, context, auditRules, routingRules] = await Promise.all([
        resolveOrderLines(db, order),
        loadAuditContext(db, order),
        loadActiveAuditRules(db),
        loadActiveRoutingRules(db),
      ]);
      // Rules see the flags of the internal SKUs each platform line maps to (bundles: all components).
      const skuFlags: Record<string, string[]> = { ...context.skuFlags };
      for (const line of order.lines) {
        const resolved = resolution.lines.filter((r) => r.lineId === line.lineId).flatMap((r) => r.flags);
        if (resolved.length)
          skuFlags[line.skuCode] = [...new Set([...(skuFlags[line.skuCode] ?? []), ...resolved])];
      }
      const subject = buildAuditSubject(order, {
        skuFlags,
        blacklistHits: context.blacklistHits,
        now: input.now,
      });
      const audit = evaluateAuditRules(auditRules, subject);
      const route = routeOrder(routingRules, subject);

      const holds: AuditHoldCandidate[] = audit.holds.map((h) => ({
        reason: h.reason,
        stage: h.stage,
        clearedBy: h.clearedBy,
        ruleId: h.ruleId,
        message: h.message ?? null,
        detail: h.detail,
      }));
      if (resolution.unmapped.length) {
        holds.unshift({
          reason: 'unmapped_sku',
          stage: 1,
          clearedBy: 'ops',
          ruleId: 'sku_mapping',
          message: 'map the platform SKU to an internal SKU (POST /sku-mappings), then approve',
          detail: resolution.unmapped.map((u) => `line ${u.lineId}: ${u.problem}`).join('; '),
        });
      }
      return {
        holds,
        flags: [...new Set(audit.flags.map((f) => f.flag))],
        route: { group: route.group, priority: route.priority, reason: route.reason },
      };
    },
  };
}

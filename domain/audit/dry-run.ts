import type { AuditFlagResult, AuditHold, AuditTraceEntry } from './evaluate.js';

/** What one order's audit gave: `decideAudit`'s result, or `evaluateAuditRules`' for rules alone. */
export interface DryRunOutcome {
  holds: readonly Pick<AuditHold, 'reason' | 'clearedBy' | 'stage'>[];
  flags: readonly Pick<AuditFlagResult, 'flag'>[];
  trace: readonly AuditTraceEntry[];
}

export interface DryRunOrder {
  orderId: string;
  auditedAt: string | null;
  holds: { reason: string; stage: number; clearedBy: string }[];
  flags: string[];
}

/**
 * What a draft rule set would have done to recent orders: how many it would hold, for which
 * reasons and in which review stage, which flags it would set, with sample orders for each.
 */
export interface AuditDryRunSummary {
  evaluated: number;
  held: number;
  flagged: number;
  passed: number;
  byReason: { reason: string; clearedBy: string; stage: number; count: number; sampleOrderIds: string[] }[];
  byStage: { stage: number; count: number }[];
  byFlag: { flag: string; count: number; sampleOrderIds: string[] }[];
  /** Rules of the draft that are malformed or duplicated (they were skipped). */
  ruleProblems: AuditTraceEntry[];
  /** Every evaluated order with its holds and flags, newest first (only when asked for). */
  orders?: DryRunOrder[];
}

export function summarizeAuditDryRun(
  results: readonly { orderId: string; auditedAt?: string; outcome: DryRunOutcome }[],
  options: { sampleSize?: number; includeOrders?: boolean } = {},
): AuditDryRunSummary {
  const sampleSize = options.sampleSize ?? 5;
  const reasons = new Map<string, AuditDryRunSummary['byReason'][number]>();
  const stages = new Map<number, number>();
  const flags = new Map<string, AuditDryRunSummary['byFlag'][number]>();
  const problems = new Map<string, AuditTraceEntry>();
  let held = 0;
  let flagged = 0;

  for (const { orderId, outcome } of results) {
    if (outcome.holds.length) held += 1;
    if (outcome.flags.length) flagged += 1;
    for (const hold of outcome.holds) {
      const key = `${hold.reason}|${hold.clearedBy}|${hold.stage}`;
      const entry = reasons.get(key) ?? {
        reason: hold.reason,
        clearedBy: hold.clearedBy,
        stage: hold.stage,
        count: 0,
        sampleOrderIds: [],
      };
      entry.count += 1;
      if (entry.sampleOrderIds.length < sampleSize) entry.sampleOrderIds.push(orderId);
      reasons.set(key, entry);
    }
    for (const stage of new Set(outcome.holds.map((h) => h.stage)))
      stages.set(stage, (stages.get(stage) ?? 0) + 1);
    for (const flag of outcome.flags) {
      const entry = flags.get(flag.flag) ?? { flag: flag.flag, count: 0, sampleOrderIds: [] };
      entry.count += 1;
      if (entry.sampleOrderIds.length < sampleSize) entry.sampleOrderIds.push(orderId);
      flags.set(flag.flag, entry);
    }
    for (const t of outcome.trace) {
      if (t.outcome === 'malformed' || t.outcome === 'duplicate') problems.set(`${t.ruleId}|${t.outcome}`, t);
    }
  }
  const byCount =
    <T extends { count: number }>(key: (t: T) => string) =>
    (a: T, b: T) =>
      b.count - a.count || key(a).localeCompare(key(b));
  return {
    evaluated: results.length,
    held,
    flagged,
    passed: results.length - held,
    byReason: [...reasons.values()].sort(byCount((r) => r.reason)),
    byStage: [...stages].map(([stage, count]) => ({ stage, count })).sort((a, b) => a.stage - b.stage),
    byFlag: [...flags.values()].sort(byCount((f) => f.flag)),
    ruleProblems: [...problems.values()],
    ...(options.includeOrders
      ? {
          orders: results.map(({ orderId, auditedAt, outcome }) => ({
            orderId,
            auditedAt: auditedAt ?? null,
            holds: outcome.holds.map((h) => ({ reason: h.reason, stage: h.stage, clearedBy: h.clearedBy })),
            flags: [...new Set(outcome.flags.map((f) => f.flag))],
          })),
        }
      : {}),
  };
}

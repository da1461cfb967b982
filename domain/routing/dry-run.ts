import type { AuditTraceEntry } from '../audit/evaluate.js';
import type { RoutingDecision } from './route.js';

export interface RoutingDryRunSummary {
  evaluated: number;
  byGroup: { group: string; count: number; averagePriority: number; sampleOrderIds: string[] }[];
  ruleProblems: AuditTraceEntry[];
}

/** Where a draft routing rule set would have sent recent orders. */
export function summarizeRoutingDryRun(
  results: readonly { orderId: string; decision: RoutingDecision }[],
  sampleSize = 5,
): RoutingDryRunSummary {
  const groups = new Map<
    string,
    { group: string; count: number; prioritySum: number; sampleOrderIds: string[] }
  >();
  const problems = new Map<string, AuditTraceEntry>();
  for (const { orderId, decision } of results) {
    const entry = groups.get(decision.group) ?? {
      group: decision.group,
      count: 0,
      prioritySum: 0,
      sampleOrderIds: [],
    };
    entry.count += 1;
    entry.prioritySum += decision.priority;
    if (entry.sampleOrderIds.length < sampleSize) entry.sampleOrderIds.push(orderId);
    groups.set(decision.group, entry);
    for (const t of decision.trace) {
      if (t.outcome === 'malformed' || t.outcome === 'duplicate') problems.set(`${t.ruleId}|${t.outcome}`, t);
    }
  }
  return {
    evaluated: results.length,
    byGroup: [...groups.values()]
      .sort((a, b) => b.count - a.count || a.group.localeCompare(b.group))
      .map(({ prioritySum, ...g }) => ({ ...g, averagePriority: Math.round(prioritySum / g.count) })),
    ruleProblems: [...problems.values()],
  };
}

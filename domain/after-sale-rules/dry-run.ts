import type { AuditTraceEntry } from '../audit/evaluate.js';
import type { AfterSaleAuditOutcome } from './evaluate.js';

export interface AfterSaleDryRunCase {
  caseId: string;
  verdict: AfterSaleAuditOutcome['verdict'];
  ruleIds: string[];
  requestedFen: number;
  /** How the case actually ended (or stands): the projection's outcome or status. */
  actual: string;
}

/**
 * What a draft after-sales rule set would have done to past cases: how many it would agree by
 * itself (and for how much), hold, or leave to a person as today; per rule the count and sample
 * cases; and the cases it would agree that a person refused — the ones to look at before
 * switching an auto-agree rule on.
 */
export interface AfterSaleDryRunSummary {
  evaluated: number;
  autoAgreed: number;
  autoAgreedFen: number;
  held: number;
  toPerson: number;
  agreedButRefused: { count: number; sampleCaseIds: string[] };
  byRule: {
    ruleId: string;
    ruleName: string;
    action: 'agree' | 'hold';
    reason: string | null;
    clearedBy: string | null;
    count: number;
    sampleCaseIds: string[];
  }[];
  ruleProblems: AuditTraceEntry[];
  cases?: AfterSaleDryRunCase[];
}

export function summarizeAfterSaleDryRun(
  results: readonly {
    caseId: string;
    requestedFen: number;
    actual: string;
    outcome: AfterSaleAuditOutcome;
  }[],
  options: { sampleSize?: number; includeCases?: boolean } = {},
): AfterSaleDryRunSummary {
  const sampleSize = options.sampleSize ?? 5;
  const byRule = new Map<string, AfterSaleDryRunSummary['byRule'][number]>();
  const problems = new Map<string, AuditTraceEntry>();
  const refused: string[] = [];
  let autoAgreed = 0;
  let autoAgreedFen = 0;
  let held = 0;
  let refusedCount = 0;
  const count = (
    key: string,
    entry: Omit<AfterSaleDryRunSummary['byRule'][number], 'count' | 'sampleCaseIds'>,
    caseId: string,
  ) => {
    const row = byRule.get(key) ?? { ...entry, count: 0, sampleCaseIds: [] };
    row.count += 1;
    if (row.sampleCaseIds.length < sampleSize) row.sampleCaseIds.push(caseId);
    byRule.set(key, row);
  };
  for (const { caseId, requestedFen, actual, outcome } of results) {
    if (outcome.verdict === 'agree' && outcome.agreedBy) {
      autoAgreed += 1;
      autoAgreedFen += requestedFen;
      const { ruleId, ruleName } = outcome.agreedBy;
      count(`${ruleId}|agree`, { ruleId, ruleName, action: 'agree', reason: null, clearedBy: null }, caseId);
      if (actual === 'refused') {
        refusedCount += 1;
        if (refused.length < sampleSize) refused.push(caseId);
      }
    }
    if (outcome.verdict === 'hold') held += 1;
    for (const hold of outcome.holds) {
      count(
        `${hold.ruleId}|${hold.reason}`,
        {
          ruleId: hold.ruleId,
          ruleName: hold.ruleName,
          action: 'hold',
          reason: hold.reason,
          clearedBy: hold.clearedBy,
        },
        caseId,
      );
    }
    for (const t of outcome.trace) {
      if (t.outcome === 'malformed' || t.outcome === 'duplicate') problems.set(`${t.ruleId}|${t.outcome}`, t);
    }
  }
  return {
    evaluated: results.length,
    autoAgreed,
    autoAgreedFen,
    held,
    toPerson: results.length - autoAgreed - held,
    agreedButRefused: { count: refusedCount, sampleCaseIds: refused },
    byRule: [...byRule.values()].sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId)),
    ruleProblems: [...problems.values()],
    ...(options.includeCases
      ? {
          cases: results.map(({ caseId, requestedFen, actual, outcome }) => ({
            caseId,
            verdict: outcome.verdict,
            ruleIds: [
              ...(outcome.agreedBy ? [outcome.agreedBy.ruleId] : []),
              ...outcome.holds.map((h) => h.ruleId),
            ],
            requestedFen,
            actual,
          })),
        }
      : {}),
  };
}

import type { AfterSaleKind } from '../after-sales.js';
import { describeIssues, type AuditTraceEntry } from '../audit/evaluate.js';
import { byRuleOrder } from '../audit/rule.js';
import { formatMinor } from '../money.js';
import {
  AfterSaleRuleSchema,
  type AfterSaleCondition,
  type AfterSaleRule,
  type InspectionResult,
} from './rule.js';

/** What the rules see of a case at its decision point (live, or rebuilt for a dry run). */
export interface AfterSaleSubject {
  caseId: string;
  platform: string;
  shopId: string;
  kind: AfterSaleKind;
  reason: string;
  requestedFen: number;
  openedAt: string;
  /** A parcel with the case's lines was with the carrier. */
  shipped: boolean;
  /** The warehouse's finding on the returned goods; null before (or without) a return. */
  inspection: InspectionResult | null;
  /** When the same buyer opened their other cases (before this one). */
  buyerCaseTimes: string[];
  blacklisted: boolean;
}

export interface AfterSaleHold {
  ruleId: string;
  ruleName: string;
  reason: string;
  clearedBy: 'customer-service' | 'finance';
  message?: string;
  detail: string;
}

/**
 * The rules' verdict: `agree` (an agree rule matched and no hold did), `hold` (one or more holds:
 * a person decides, with the roles they name), or `person` (no rule matched: a person decides, as
 * without rules).
 */
export interface AfterSaleAuditOutcome {
  verdict: 'agree' | 'hold' | 'person';
  /** The agree rule that decided the case. */
  agreedBy: { ruleId: string; ruleName: string; detail: string } | null;
  holds: AfterSaleHold[];
  trace: AuditTraceEntry[];
}

/** An auto-agree never takes a refund past the finance limit: such a case is held for finance. */
export const ABOVE_FINANCE_LIMIT = 'above_finance_limit';

const yuan = (fen: number) => `¥${formatMinor(fen)}`;
const DAY_MS = 86_400_000;

interface Result {
  matched: boolean;
  detail: string;
}
const yes = (detail: string): Result => ({ matched: true, detail });
const no = (detail: string): Result => ({ matched: false, detail });

export function evaluateAfterSaleCondition(condition: AfterSaleCondition, subject: AfterSaleSubject): Result {
  switch (condition.type) {
    case 'all': {
      const results = condition.conditions.map((c) => evaluateAfterSaleCondition(c, subject));
      const failed = results.find((r) => !r.matched);
      return failed ? no(failed.detail) : yes(results.map((r) => r.detail).join('; '));
    }
    case 'any': {
      const results = condition.conditions.map((c) => evaluateAfterSaleCondition(c, subject));
      return results.find((r) => r.matched) ?? no(results.map((r) => r.detail).join('; '));
    }
    case 'not': {
      const inner = evaluateAfterSaleCondition(condition.condition, subject);
      return { matched: !inner.matched, detail: `not (${inner.detail})` };
    }
    case 'kind':
      return condition.kinds.includes(subject.kind)
        ? yes(`kind ${subject.kind}`)
        : no(`kind ${subject.kind}`);
    case 'shipped':
      return subject.shipped === condition.shipped
        ? yes(subject.shipped ? 'shipped' : 'not shipped')
        : no(subject.shipped ? 'shipped' : 'not shipped');
    case 'amount': {
      const { minFen, maxFen } = condition;
      const inside =
        (minFen === undefined || subject.requestedFen >= minFen) &&
        (maxFen === undefined || subject.requestedFen <= maxFen);
      const range =
        minFen !== undefined && maxFen !== undefined
          ? `between ${yuan(minFen)} and ${yuan(maxFen)}`
          : minFen !== undefined
            ? `≥ ${yuan(minFen)}`
            : `≤ ${yuan(maxFen ?? 0)}`;
      const text = `requested ${yuan(subject.requestedFen)} ${range}`;
      return inside ? yes(text) : no(`not: ${text}`);
    }
    case 'inspection':
      return subject.inspection && condition.results.includes(subject.inspection)
        ? yes(`inspected ${subject.inspection}`)
        : no(subject.inspection ? `inspected ${subject.inspection}` : 'not inspected');
    case 'reason_keywords': {
      const reason = subject.reason.toLowerCase();
      const hit = condition.keywords.find((k) => reason.includes(k.toLowerCase()));
      return hit
        ? yes(`reason "${subject.reason}" mentions "${hit}"`)
        : no('reason names none of the keywords');
    }
    case 'buyer_cases': {
      const opened = Date.parse(subject.openedAt);
      const since = opened - condition.days * DAY_MS;
      const count = subject.buyerCaseTimes.filter((at) => {
        const t = Date.parse(at);
        return t >= since && t <= opened;
      }).length;
      const text = `buyer opened ${count} other case(s) in ${condition.days} days (≥ ${condition.minCount})`;
      return count >= condition.minCount ? yes(text) : no(`not: ${text}`);
    }
    case 'blacklisted':
      return subject.blacklisted ? yes('buyer is blacklisted') : no('buyer is not blacklisted');
    case 'platform':
      return (condition.platforms as readonly string[]).includes(subject.platform)
        ? yes(`platform ${subject.platform}`)
        : no(`platform ${subject.platform}`);
    case 'shop':
      return condition.shopIds.includes(subject.shopId)
        ? yes(`shop ${subject.shopId}`)
        : no(`shop ${subject.shopId}`);
  }
}

/**
 * Evaluates after-sales rules against one case. Pure and total like the order audit: malformed or
 * duplicate rules are reported in the trace and skipped; a rule that throws holds the case. Every
 * matching hold is kept (one per reason); an agree rule decides only when no hold matched and the
 * amount is within what customer service may agree alone (`financeAboveFen`).
 */
export function evaluateAfterSaleRules(
  rules: readonly unknown[],
  subject: AfterSaleSubject,
  financeAboveFen: number,
): AfterSaleAuditOutcome {
  const trace: AuditTraceEntry[] = [];
  const holds: AfterSaleHold[] = [];
  let agreedBy: AfterSaleAuditOutcome['agreedBy'] = null;
  for (const rule of parseAfterSaleRules(rules, trace)) {
    if (!rule.enabled) {
      trace.push({ ruleId: rule.id, outcome: 'disabled', detail: 'rule is disabled' });
      continue;
    }
    let result: Result;
    try {
      result = evaluateAfterSaleCondition(rule.when, subject);
    } catch (err) {
      const detail = `rule failed: ${err instanceof Error ? err.message : String(err)}`;
      trace.push({ ruleId: rule.id, outcome: 'failed', detail });
      holds.push({
        ruleId: rule.id,
        ruleName: rule.name,
        reason: 'after_sale_rule_failed',
        clearedBy: 'customer-service',
        detail,
      });
      continue;
    }
    trace.push({
      ruleId: rule.id,
      outcome: result.matched ? 'matched' : 'not_matched',
      detail: result.detail,
    });
    if (!result.matched) continue;
    const action = rule.action;
    if (action.type === 'agree') {
      agreedBy ??= { ruleId: rule.id, ruleName: rule.name, detail: result.detail };
    } else if (!holds.some((h) => h.reason === action.reason)) {
      holds.push({
        ruleId: rule.id,
        ruleName: rule.name,
        reason: action.reason,
        clearedBy: action.clearedBy,
        ...(action.message ? { message: action.message } : {}),
        detail: result.detail,
      });
    }
  }
  if (agreedBy && holds.length === 0 && subject.requestedFen > financeAboveFen) {
    holds.push({
      ...agreedBy,
      reason: ABOVE_FINANCE_LIMIT,
      clearedBy: 'finance',
      detail: `${agreedBy.detail}; but ${yuan(subject.requestedFen)} is above the finance limit ${yuan(financeAboveFen)}`,
    });
  }
  if (holds.length > 0) return { verdict: 'hold', agreedBy: null, holds, trace };
  return { verdict: agreedBy ? 'agree' : 'person', agreedBy, holds, trace };
}

/** Validates raw rules (they may come straight from jsonb); sorted for evaluation. */
export function parseAfterSaleRules(
  rules: readonly unknown[],
  trace: AuditTraceEntry[] = [],
): AfterSaleRule[] {
  const valid: AfterSaleRule[] = [];
  const seen = new Set<string>();
  (Array.isArray(rules) ? rules : []).forEach((raw: unknown, index) => {
    const parsed = AfterSaleRuleSchema.safeParse(raw);
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && rawId ? rawId.slice(0, 64) : `#${index}`;
    if (!parsed.success) {
      trace.push({ ruleId: id, outcome: 'malformed', detail: describeIssues(parsed.error) });
    } else if (seen.has(parsed.data.id)) {
      trace.push({
        ruleId: id,
        outcome: 'duplicate',
        detail: `another rule already has id "${parsed.data.id}"`,
      });
    } else {
      seen.add(parsed.data.id);
      valid.push(parsed.data);
    }
  });
  return valid.sort(byRuleOrder);
}

import type { z } from 'zod';
import { evaluateCondition } from './conditions.js';
import type { OrderFlag } from './flags.js';
import type { Role } from './roles.js';
import { AuditRuleSchema, byRuleOrder, type AuditRule } from './rule.js';
import type { AuditSubject } from './subject.js';

export interface AuditHold {
  ruleId: string;
  ruleName: string;
  reason: string;
  clearedBy: Role;
  stage: number;
  message?: string;
  /** Why the rule matched this order. */
  detail: string;
}

export interface AuditFlagResult {
  flag: OrderFlag;
  ruleId: string;
  detail: string;
}

export type TraceOutcome = 'matched' | 'not_matched' | 'disabled' | 'malformed' | 'duplicate' | 'failed';

export interface AuditTraceEntry {
  /** The rule's id, or `#<index>` when a malformed rule has none. */
  ruleId: string;
  outcome: TraceOutcome;
  detail: string;
}

export interface AuditOutcome {
  /** Ordered by stage, then by rule order. */
  holds: AuditHold[];
  flags: AuditFlagResult[];
  trace: AuditTraceEntry[];
}

/** A rule that failed at run time holds the order rather than letting it through unchecked. */
export const RULE_FAILED_REASON = 'audit_rule_failed';

/**
 * Evaluates audit rules against one order. Pure, deterministic and total: rules are validated
 * here (they may come straight from jsonb), a malformed rule is reported in the trace and skipped,
 * and nothing throws. Rules run in `order`/id sequence; the first rule to raise a reason code or
 * a flag wins, later duplicates are noted in the trace.
 */
export function evaluateAuditRules(rules: readonly unknown[], subject: AuditSubject): AuditOutcome {
  const trace: AuditTraceEntry[] = [];
  const valid = parseRules(rules, trace);
  const holds: AuditHold[] = [];
  const flags: AuditFlagResult[] = [];

  for (const rule of valid) {
    if (!rule.enabled) {
      trace.push({ ruleId: rule.id, outcome: 'disabled', detail: 'rule is disabled' });
      continue;
    }
    let result;
    try {
      result = evaluateCondition(rule.when, subject);
    } catch (err) {
      const detail = `rule failed: ${errorMessage(err)}`;
      trace.push({ ruleId: rule.id, outcome: 'failed', detail });
      if (rule.action.type === 'hold' && !holds.some((h) => h.reason === RULE_FAILED_REASON)) {
        holds.push({
          ruleId: rule.id,
          ruleName: rule.name,
          reason: RULE_FAILED_REASON,
          clearedBy: rule.action.clearedBy,
          stage: rule.action.stage,
          detail,
        });
      }
      continue;
    }
    if (!result.matched) {
      trace.push({ ruleId: rule.id, outcome: 'not_matched', detail: result.detail });
      continue;
    }
    trace.push({ ruleId: rule.id, outcome: 'matched', detail: result.detail });
    const action = rule.action;
    if (action.type === 'hold') {
      if (holds.some((h) => h.reason === action.reason)) continue;
      holds.push({
        ruleId: rule.id,
        ruleName: rule.name,
        reason: action.reason,
        clearedBy: action.clearedBy,
        stage: action.stage,
        ...(action.message ? { message: action.message } : {}),
        detail: result.detail,
      });
    } else if (!flags.some((f) => f.flag === action.flag)) {
      flags.push({ flag: action.flag, ruleId: rule.id, detail: result.detail });
    }
  }
  holds.sort((a, b) => a.stage - b.stage);
  return { holds, flags, trace };
}

/** Validates raw rules; malformed and duplicate ones go to the trace. Sorted for evaluation. */
export function parseRules(rules: readonly unknown[], trace: AuditTraceEntry[] = []): AuditRule[] {
  const valid: AuditRule[] = [];
  const seen = new Set<string>();
  const list = Array.isArray(rules) ? rules : [];
  list.forEach((raw, index) => {
    const parsed = safeParse(raw);
    const id = idOf(raw) ?? `#${index}`;
    if (!parsed.success) {
      trace.push({ ruleId: id, outcome: 'malformed', detail: parsed.problem });
      return;
    }
    if (seen.has(parsed.rule.id)) {
      trace.push({
        ruleId: id,
        outcome: 'duplicate',
        detail: `another rule already has id "${parsed.rule.id}"`,
      });
      return;
    }
    seen.add(parsed.rule.id);
    valid.push(parsed.rule);
  });
  return valid.sort(byRuleOrder);
}

function safeParse(raw: unknown): { success: true; rule: AuditRule } | { success: false; problem: string } {
  try {
    const result = AuditRuleSchema.safeParse(raw);
    if (result.success) return { success: true, rule: result.data };
    return { success: false, problem: describeIssues(result.error) };
  } catch (err) {
    return { success: false, problem: `cannot be read: ${errorMessage(err)}` };
  }
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(rule)'}: ${i.message}`)
    .join('; ');
}

function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

import { evaluateCondition } from '../audit/conditions.js';
import { describeIssues, type AuditTraceEntry } from '../audit/evaluate.js';
import { byRuleOrder } from '../audit/rule.js';
import type { AuditSubject } from '../audit/subject.js';
import { RoutingRuleSchema, type RoutingRule } from './rule.js';

export const DEFAULT_GROUP = 'standard';
export const DEFAULT_PRIORITY = 50;

export interface RoutingDecision {
  /** Processing group (pick/pack line, cold room, livestream crew, …). */
  group: string;
  /** 0-100, higher first. */
  priority: number;
  /** Human-readable: which rules decided, and why. */
  reason: string;
  /** Ids of the rules that matched, in evaluation order. */
  matchedRules: string[];
  trace: AuditTraceEntry[];
}

/**
 * Chooses the processing group and priority of an order. Rules run in `order`; the first match
 * that names a group decides the group, and the highest priority among all matches wins — so a
 * livestream order of cold-chain goods goes to the cold-chain line, still first in the queue.
 * Pure, deterministic and total: malformed rules are reported in the trace and skipped.
 */
export function routeOrder(rules: readonly unknown[], subject: AuditSubject): RoutingDecision {
  const trace: AuditTraceEntry[] = [];
  const valid = parseRoutingRules(rules, trace);
  let group: { value: string; because: string } | undefined;
  let priority: { value: number; because: string } | undefined;
  const matchedRules: string[] = [];

  for (const rule of valid) {
    if (!rule.enabled) {
      trace.push({ ruleId: rule.id, outcome: 'disabled', detail: 'rule is disabled' });
      continue;
    }
    let result;
    try {
      result = evaluateCondition(rule.when, subject);
    } catch (err) {
      trace.push({
        ruleId: rule.id,
        outcome: 'failed',
        detail: `rule failed: ${(err as Error)?.message ?? err}`,
      });
      continue;
    }
    trace.push({
      ruleId: rule.id,
      outcome: result.matched ? 'matched' : 'not_matched',
      detail: result.detail,
    });
    if (!result.matched) continue;
    matchedRules.push(rule.id);
    const because = `${rule.name} (${result.detail})`;
    if (rule.action.group !== undefined && !group) group = { value: rule.action.group, because };
    if (rule.action.priority !== undefined && (!priority || rule.action.priority > priority.value)) {
      priority = { value: rule.action.priority, because };
    }
  }

  const reasons: string[] = [];
  if (group) reasons.push(`group ${group.value}: ${group.because}`);
  if (priority) reasons.push(`priority ${priority.value}: ${priority.because}`);
  return {
    group: group?.value ?? DEFAULT_GROUP,
    priority: priority?.value ?? DEFAULT_PRIORITY,
    reason: reasons.length ? reasons.join('; ') : 'no routing rule matched',
    matchedRules,
    trace,
  };
}

export function parseRoutingRules(rules: readonly unknown[], trace: AuditTraceEntry[] = []): RoutingRule[] {
  const valid: RoutingRule[] = [];
  const seen = new Set<string>();
  (Array.isArray(rules) ? rules : []).forEach((raw: unknown, index) => {
    const rawId = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    const id = typeof rawId === 'string' && rawId.length <= 64 && rawId ? rawId : `#${index}`;
    let parsed;
    try {
      parsed = RoutingRuleSchema.safeParse(raw);
    } catch (err) {
      trace.push({
        ruleId: id,
        outcome: 'malformed',
        detail: `cannot be read: ${(err as Error)?.message ?? err}`,
      });
      return;
    }
    if (!parsed.success) {
      trace.push({ ruleId: id, outcome: 'malformed', detail: describeIssues(parsed.error) });
      return;
    }
    if (seen.has(parsed.data.id)) {
      trace.push({
        ruleId: id,
        outcome: 'duplicate',
        detail: `another rule already has id "${parsed.data.id}"`,
      });
      return;
    }
    seen.add(parsed.data.id);
    valid.push(parsed.data);
  });
  return valid.sort(byRuleOrder);
}

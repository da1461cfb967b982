import { patched } from '@temporalio/workflow';
import type { ReturnInspection } from '../../domain/after-sale-returns.js';
import type { InspectionResult } from '../../domain/after-sale-rules/index.js';
import type { AfterSaleDecision } from '../../domain/after-sales.js';
import { waitFor, waiting } from '../../domain/waiting.js';
import { auditView, ruleActor } from '../after-sale-rules.js';
import type { AfterSaleAuditView } from '../messages.js';
import { caseActs as acts, type CaseScope } from './case.js';

/**
 * Marketplace cases consult the automatic refund audit at their decision point (a refund before
 * shipment, one after shipment the platform takes an answer to, a refund whose parcel was
 * intercepted, a return asked for) as own-store refunds do.
 */
export const PLATFORM_RULES_PATCH = 'after-sale-platform-rules';
/**
 * Returns consult the automatic refund audit when asked for (own store: marketplace returns do at
 * their decision point above) and again once the goods came back and were inspected, before any
 * money moves: the rules may agree the refund, or hold it for a person.
 */
export const RETURN_RULES_PATCH = 'after-sale-return-rules';
/**
 * Exchanges consult the automatic refund audit when asked for, as refunds and returns do: a rule
 * may agree the exchange (e.g. `kind: exchange` with a size reason) or hold it for a person (a
 * blacklisted buyer, a quality complaint). An exchange asks no money back (its amount is what the
 * buyer asks refunded beside it, usually 0), so amount rules rarely apply to it.
 */
export const EXCHANGE_RULES_PATCH = 'after-sale-exchange-rules';

/** How the returned goods were found, for the rules: every unit back as sold, all damaged, or both. */
export function inspectionResult(inspection: ReturnInspection): InspectionResult {
  const restocked = inspection.lines.some((line) => line.restock > 0);
  const writtenOff = inspection.lines.some((line) => line.writeOff > 0);
  const held = inspection.lines.some((line) => line.held > 0 || line.missing > 0);
  if (held) return restocked || writtenOff ? 'mixed' : 'wrong_item';
  if (restocked && writtenOff) return 'mixed';
  return writtenOff ? 'damaged' : 'resaleable';
}

/**
 * The automatic refund audit at a decision point, before the case waits for a person: a rule that
 * agrees decides the case (`rule:<id>` as the deciding actor, as an own-store refund); holds name
 * who must agree, and go on the timeline by `recordRuleHold`. Answers the verdict (null when the
 * rules were not consulted: a case started before this existed). The finance limit is CNY fen, as
 * the rules' amounts: the case's amount is converted to fen at its order's rate to compare.
 */
export async function auditAtDecision(
  scope: Pick<CaseScope, 'input' | 'view' | 'setDecision'>,
  facts: { shipped: boolean; financeAboveFen: number; patch: string },
): Promise<AfterSaleAuditView | null> {
  const { input, view } = scope;
  if (!patched(facts.patch)) return null;
  const audit = auditView(
    await acts.auditAfterSaleCase({
      caseId: input.caseId,
      shipped: facts.shipped,
      inspection: null,
      financeAboveFen: facts.financeAboveFen,
    }),
  );
  view.audit = audit;
  if (audit.verdict === 'agree' && audit.agreedBy) {
    const actor = ruleActor(audit.agreedBy);
    scope.setDecision({ decision: 'agree', actor: { id: actor, roles: ['customer-service'] } });
    view.decisions.push({ decision: 'agree', actor, at: new Date().toISOString() });
  }
  return audit;
}

/** A hold of the rules on the timeline, with the (first) rule as actor: after the case's own entry. */
export async function recordRuleHold(
  scope: Pick<CaseScope, 'record'>,
  audit: AfterSaleAuditView | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  if (audit?.verdict !== 'hold') return;
  await scope.record('rule-hold', 'open', 'held_by_rule', ruleActor(audit.holds[0]!.ruleId), {
    holds: audit.holds,
    ...detail,
  });
}

/** What the timeline's `decided` entry says of a rule's agreement (nothing for a person's). */
export function ruleAgreement(
  audit: AfterSaleAuditView | null | undefined,
  decided: AfterSaleDecision,
): Record<string, unknown> {
  return audit?.verdict === 'agree' && audit.agreedBy && decided.actor.id === ruleActor(audit.agreedBy)
    ? { rule: audit.agreedBy, why: 'the automatic refund audit agreed' }
    : {};
}

export type ReturnedGoodsVerdict =
  | { go: true }
  | { go: false; refused: Extract<AfterSaleDecision, { decision: 'refuse' }> }
  | { go: false; ended: true };

/**
 * The automatic refund audit once a return came back and was inspected, before the refund (own
 * store) or the platform's goods-received call (which makes the platform refund) goes: with the
 * inspection's result, the goods with the carrier. A rule that agrees (e.g. returned resaleable)
 * is on the timeline as `agreed` by the rule; holds a person already cleared when agreeing the
 * return (the same reasons) do not hold again; a new hold reopens the decision — the refund waits
 * for a person (`decide`, with the roles the holds name), who agrees (all or part) or refuses.
 * `awaitDecision` waits for it (undefined: the platform ended the case meanwhile). No rule
 * matching: the person's agreement of the return stands (the inspection's result is on the
 * timeline's `return_inspected` for dry runs).
 */
export async function auditReturnedGoods(
  scope: CaseScope,
  inspection: ReturnInspection,
  facts: { financeAboveFen: number; status: 'refunding' | 'returning' },
  awaitDecision: () => Promise<AfterSaleDecision | undefined>,
): Promise<ReturnedGoodsVerdict> {
  const { input, view, record } = scope;
  if (!patched(RETURN_RULES_PATCH)) return { go: true };
  const result = inspectionResult(inspection);
  // The holds of the earlier audit were cleared by whoever agreed the return (with their roles).
  const cleared = new Set((view.audit?.holds ?? []).map((hold) => hold.reason));
  const audit = auditView(
    await acts.auditAfterSaleCase({
      caseId: input.caseId,
      shipped: true,
      inspection: result,
      financeAboveFen: facts.financeAboveFen,
    }),
  );
  const holds = audit.holds.filter((hold) => !cleared.has(hold.reason));
  if (audit.verdict === 'agree' && audit.agreedBy) {
    view.audit = audit;
    view.decisions.push({
      decision: 'agree',
      actor: ruleActor(audit.agreedBy),
      at: new Date().toISOString(),
    });
    await record('refund-audit', facts.status, 'agreed', ruleActor(audit.agreedBy), {
      rule: audit.agreedBy,
      inspection: result,
      agreedFen: view.agreedFen ?? input.requestedFen,
      why: 'the automatic refund audit agreed the refund of the goods returned',
    });
    return { go: true };
  }
  if (holds.length === 0) {
    // Nothing decided by the rules: the agreement of the return stands. Holds cleared by whoever
    // agreed it are said, so the timeline shows why the refund did not wait again.
    if (audit.holds.length > 0) {
      await record('refund-audit', facts.status, 'refund_audited', 'system', {
        inspection: result,
        verdict: audit.verdict,
        cleared: audit.holds.map((hold) => hold.reason),
      });
    }
    return { go: true };
  }
  view.audit = { ...audit, holds };
  // The hold is among the case's decisions: a person's agreement now is a new action, not a repeat
  // of the agreement of the return.
  view.decisions.push({
    decision: 'hold',
    actor: ruleActor(holds[0]!.ruleId),
    at: new Date().toISOString(),
    reason: holds.map((hold) => hold.reason).join(', '),
  });
  scope.setDecision(undefined);
  waitFor(view, waiting('case_decision'));
  await record('refund-rule-hold', 'open', 'held_by_rule', ruleActor(holds[0]!.ruleId), {
    holds,
    inspection: result,
  });
  const decided = await awaitDecision();
  if (!decided) return { go: false, ended: true };
  waitFor(view, null);
  if (decided.decision === 'refuse') return { go: false, refused: decided };
  if (decided.decision === 'partial') view.agreedFen = decided.amountFen;
  else view.agreedFen ??= input.requestedFen;
  await record('refund-decided', facts.status, 'agreed', decided.actor.id, { agreedFen: view.agreedFen });
  return { go: true };
}

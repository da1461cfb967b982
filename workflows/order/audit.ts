import { condition } from '@temporalio/workflow';
import { proxyLocalActivitiesInLine } from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import { paymentMismatchHold } from '../../domain/audit/payment-check.js';
import { currentReviewStage } from '../../domain/audit/stages.js';
import { holdKey } from '../../domain/order-projection.js';
import type { OrderEdits, ReviewDecision } from '../../domain/review.js';
import { DECISION_FAILURES } from '../messages.js';
import type { NewHold, OrderRun } from './run.js';
import { waiting } from '../../domain/waiting.js';

// Reads master data only: a local activity, retried in the worker.
const { auditOrder } = proxyLocalActivitiesInLine<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * Decisions accepted together (two reviewers, or a bulk approval beside a single one, validated in
 * one workflow task while the worker was busy) were each checked against the order as it stood
 * before either took effect. Once one took effect the others fail (409) instead of waiting,
 * unanswered, until the order ends — or applying to a review stage they were not checked for.
 */
const STALE_DECISIONS_PATCH = 'order-review-stale-decisions-fail';

export type ReviewOutcome =
  { approved: true; settled?: boolean } | { approved: false; reason: string; actor: string; note: string };

/**
 * Audits the order (rules, SKU mapping, payment amount), then keeps it held until people clear
 * every hold stage by stage (客审 before 财审). Edits re-run the audit; holds nobody touched
 * escalate once their SLA passes.
 */
export async function auditAndReview(run: OrderRun): Promise<ReviewOutcome> {
  await run.gate();
  const first = await runAudit(run);
  const audited = {
    // The moment the rules saw (payment age): the dry run evaluates this order at it.
    at: first.at,
    holds: first.opened.map((h) => h.reason),
    flags: [...run.flags].sort(),
    route: run.route,
  };
  // Nothing to review and nothing to wait for: written with the next stage (audit_passed).
  const straightOn = run.openHolds.length === 0 && !run.locked && !run.interceptReason;
  if (run.combinedWrites && straightOn) run.pass('audited', 'auditing', audited);
  else await run.step('audited', 'auditing', audited);
  return reviewUntilClear(run);
}

/**
 * Keeps the order held until people clear every open hold stage by stage; used after the audit and
 * for holds raised later (e.g. a SKU that cannot be allocated).
 */
export async function reviewUntilClear(run: OrderRun, settled?: () => boolean): Promise<ReviewOutcome> {
  while (run.openHolds.length > 0) {
    if (run.interceptReason) return { approved: true };
    if (settled?.()) {
      // What the holds waited on resolved by itself (a refund refused or withdrawn on the platform).
      const at = new Date().toISOString();
      const open = run.openHolds.map((h) => h.key);
      run.clearHolds(open, 'system', 'resolved', 'resolved on the platform', at);
      await run.note('holds_resolved', { holds: open }, 'platform');
      return { approved: true, settled: true };
    }
    await run.gate();
    const current = currentReviewStage(run.openHolds)!;
    const roles = [...new Set(current.holds.map((h) => h.clearedBy))].join(' or ');
    const unescalated = current.holds.filter((h) => h.escalatedAt === null);
    const slaMs = unescalated.length
      ? Math.min(...unescalated.map((h) => Date.parse(h.openedAt))) + run.policy.holdSlaSeconds * 1000
      : null;
    run.wait(
      waiting('order_review', {
        roles,
        stage: current.stage,
        reasons: current.holds.map((h) => h.reason).join(', '),
      }),
      slaMs === null ? null : { kind: 'hold_sla', at: new Date(slaMs).toISOString() },
    );
    if (run.status !== 'held') {
      await run.step('held', 'held', {
        stage: current.stage,
        holds: current.holds.map((h) => ({ reason: h.reason, clearedBy: h.clearedBy, detail: h.detail })),
      });
    }

    const hasDecision = () =>
      run.decisions.some((d) => !d.processed) ||
      run.interceptReason !== null ||
      run.locked ||
      run.addressRecheck ||
      (settled?.() ?? false);
    const arrived =
      slaMs === null
        ? await condition(hasDecision).then(() => true)
        : await condition(hasDecision, Math.max(0, slaMs - Date.now()));
    run.wait(null);
    if (run.interceptReason) return { approved: true };
    if (settled?.()) continue;
    if (run.addressRecheck) {
      // The buyer changed the address while the order waits for a person: the holds follow it.
      const { opened, dropped } = await runAudit(run);
      await run.note(
        'address_rechecked',
        { opened: opened.map((h) => h.reason), resolved: dropped.map((h) => h.reason) },
        'system',
      );
      continue;
    }
    if (!arrived) {
      await escalate(
        run,
        unescalated.map((h) => h.key),
      );
      continue;
    }
    const pending = run.decisions.find((d) => !d.processed);
    if (!pending) continue; // locked: loop back to the gate
    // Checked against the order as it stands now, before this decision changes it.
    const alongside = run.decisions.filter((d) => !d.processed && d !== pending);
    const outcome = await applyDecision(run, pending.decision, current.stage);
    pending.processed = true;
    const stale = alongside.filter((d) => !d.processed);
    if (stale.length > 0 && run.patch(STALE_DECISIONS_PATCH)) {
      for (const d of stale) {
        d.failure = staleDecisionMessage();
        d.processed = true;
      }
    }
    if (outcome) return outcome;
  }
  return { approved: true };
}

async function applyDecision(
  run: OrderRun,
  decision: ReviewDecision,
  stage: number,
): Promise<ReviewOutcome | null> {
  const actor = decision.actor.name ? `${decision.actor.id} (${decision.actor.name})` : decision.actor.id;
  const at = new Date().toISOString();
  const stageKeys = run.openHolds.filter((h) => h.stage === stage).map((h) => h.key);
  switch (decision.decision) {
    case 'approve': {
      const reasons = run.openHolds.filter((h) => h.stage === stage).map((h) => h.reason);
      run.clearHolds(stageKeys, actor, 'approved', decision.note ?? null, at);
      await run.note('review_approved', { stage, reasons, note: decision.note ?? null }, actor);
      return null;
    }
    case 'reject': {
      run.clearHolds(
        run.openHolds.map((h) => h.key),
        actor,
        'rejected',
        decision.reason,
        at,
      );
      return { approved: false, reason: 'rejected_by_reviewer', actor, note: decision.reason };
    }
    case 'edit': {
      const before = editedValues(run, decision.edits);
      run.edits = {
        ...run.edits,
        ...decision.edits,
        ...(decision.edits.receiver
          ? { receiver: { ...run.edits.receiver, ...decision.edits.receiver } }
          : {}),
      };
      await run.note(
        'order_edited',
        {
          fields: Object.keys(decision.edits),
          edits: decision.edits,
          before,
          after: editedValues(run, decision.edits),
          note: decision.note ?? null,
        },
        actor,
      );
      const { opened, dropped } = await runAudit(run);
      await run.note(
        're_audited',
        { opened: opened.map((h) => h.reason), resolved: dropped.map((h) => h.reason) },
        'system',
      );
      return null;
    }
  }
}

/** The order's current values of the fields `edits` changes, for the timeline's before/after. */
function editedValues(run: OrderRun, edits: OrderEdits): Record<string, unknown> {
  const order = run.order;
  const values: Record<string, unknown> = {};
  if (edits.receiver) {
    values.receiver = Object.fromEntries(
      Object.keys(edits.receiver).map((k) => [k, order.receiver[k as keyof typeof order.receiver] ?? null]),
    );
  }
  if (edits.lines) values.lines = order.lines;
  if (edits.carrierPreference !== undefined) values.carrierPreference = run.edits.carrierPreference ?? null;
  if (edits.sellerMemo !== undefined) values.sellerMemo = order.sellerMemo ?? null;
  return values;
}

async function escalate(run: OrderRun, keys: string[]): Promise<void> {
  const at = new Date().toISOString();
  run.holds = run.holds.map((h) =>
    keys.includes(h.key) && h.escalatedAt === null ? { ...h, escalatedAt: at } : h,
  );
  run.flags.add('hold_overdue');
  await run.note('hold_escalated', { holds: keys, holdSlaSeconds: run.policy.holdSlaSeconds }, 'system');
}

/** Evaluates rules, SKU mapping and the paid amount; opens new holds and closes ones that no longer apply. */
export async function runAudit(run: OrderRun) {
  // The audit sees the latest snapshot: an address change recorded before it needs no second look.
  run.addressRecheck = false;
  const at = new Date().toISOString();
  const tolerance = run.policy.paymentToleranceFen;
  const order = run.order;
  const result = await run.carrying((orderEvents) =>
    auditOrder({
      orderId: run.orderId,
      order,
      now: at,
      paymentToleranceFen: tolerance,
      // The address is screened for the reviewer's carrier when one was chosen (a local activity's
      // input is not part of the recorded history: older runs replay unchanged).
      carrierPreference: run.edits.carrierPreference ?? null,
      // Stages passed on the way here (payment_confirmed), written first.
      ...(orderEvents.length ? { orderEvents } : {}),
    }),
  );
  run.route = result.route;
  for (const flag of result.flags) run.flags.add(flag);
  const candidates: NewHold[] = [...result.holds];
  // Audits recorded before the activity compared paid and due replay with the check done here.
  const mismatch = result.paymentChecked ? null : paymentMismatchHold(order.amounts, tolerance);
  if (mismatch) candidates.push(mismatch);
  const still = new Set(candidates.map((c) => holdKey(c.reason, c.stage)));
  const dropped = run.dropResolvedHolds(still, at);
  const opened = run.openHoldsFrom(candidates, at);
  return { opened, dropped, at };
}

/** The last approval that took effect: its options (packed parcel, split) say how to go on. */
export function lastApproval(run: OrderRun): Extract<ReviewDecision, { decision: 'approve' }> | undefined {
  const approval = [...run.decisions]
    .reverse()
    .find((d) => d.processed && !d.failure && d.decision.decision === 'approve');
  return approval?.decision.decision === 'approve' ? approval.decision : undefined;
}

/** A decision checked against the order before another one took effect (STALE_DECISIONS_PATCH). */
export function staleDecisionMessage(): { type: string; message: string } {
  return {
    type: DECISION_FAILURES.conflict,
    message:
      'another decision on this order took effect first; the order is as that decision left it — decide again if still needed',
  };
}

/** Decisions that arrived but could not take effect (the order moved on first) fail their Update. */
export function conflictingDecisionsMessage(): { type: string; message: string } {
  return {
    type: DECISION_FAILURES.conflict,
    message: 'the order is no longer held: another decision took effect first',
  };
}

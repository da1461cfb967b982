import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import {
  afterSaleApprovalSchema,
  afterSaleDecisionSchema,
  afterSaleRetrySchema,
  type AfterSaleApproval,
  type AfterSaleDecision,
  type AfterSaleRetry,
  type AfterSaleStatus,
} from '../domain/lazy/after-sales.js';
import { hasRole } from '../domain/audit/roles.js';
import { describeZodIssues } from '../domain/lazy/review.js';
import { refuseUnvouchedActor } from './actor-check.js';
import { AFTER_SALE_RULES_PATCH, auditView, rolesToAgree, ruleActor } from './after-sale-rules.js';
import { caseActs as acts, type CaseScope } from './after-sale/case.js';
import { refundLostParcel } from './after-sale/lost-parcel.js';
import { refundCase } from './after-sale/refund.js';
import { exchangeOut, reshipOut, returnAndRefund } from './after-sale/returns.js';
import { runPlatformCase } from './after-sale/platform-case.js';
import {
  AFTER_SALE_FAILURES,
  PLATFORM_CASES_PATCH,
  afterSaleApprovalUpdate,
  afterSaleDecisionUpdate,
  afterSaleRetryUpdate,
  afterSaleStateQuery,
  refundNoticeSignal,
  returnReceivedSignal,
  returnTrackingSignal,
  type AfterSaleStateView,
  type AfterSaleWorkflowInput,
} from './messages.js';
import { waitFor, waiting } from '../domain/waiting.js';
import type { TrackingSnapshot } from '../domain/carriers/tracking.js';

/** Return-and-refund cases run the return path instead of waiting for a person. */
const RETURNS_PATCH = 'after-sale-returns';
/** Exchange cases take the goods back and ship the replacement instead of waiting for a person. */
const EXCHANGE_PATCH = 'after-sale-exchange';
/** Reship cases (补寄) ship the case's lines again once agreed instead of waiting for a person. */
const RESHIP_PATCH = 'after-sale-own-reship';

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * One after-sales case (docs/after-sales.md). Built path: refund only before shipment on an own
 * store or mini-program order. The named lines stop at once through the order's own line-refund
 * path (held, taken out of allocation, stock released); a person agrees (all or part) or refuses;
 * an agreed refund goes back through the payment channel that took the money, once (the refund
 * number is the case and step; a retry reads the channel before sending), and the lines become
 * refunded on the order. A refusal lets the lines ship again. Return-and-refund cases run the
 * return path (`after-sale/returns.ts`: agreed, received, inspected, then refunded); exchanges
 * and reships ship from the warehouse (same file). Other kinds wait for a person.
 * Marketplace cases take the platform path (`after-sale/platform-case.ts`).
 */
export async function afterSaleWorkflow(input: AfterSaleWorkflowInput): Promise<AfterSaleStateView> {
  const view: AfterSaleStateView = {
    caseId: input.caseId,
    orderId: input.orderId,
    kind: input.kind,
    status: 'open',
    waitingFor: null,
    waiting: null,
    requestedFen: input.requestedFen,
    agreedFen: null,
    refundedFen: 0,
    refund: null,
    outcome: null,
    decisions: [],
  };
  let decision: AfterSaleDecision | undefined;
  /**
   * A decision taken after the first (an exchange refused at second review or turned into a
   * refund, while the case waits for it: `view.exchangeChoices`).
   */
  let exchangeDecision: AfterSaleDecision | undefined;
  /** The case waits for a later exchange decision (not the first decision): those go apart. */
  const laterExchangeDecision = () =>
    (view.exchangeChoices?.length ?? 0) > 0 && view.waiting?.code !== 'case_decision';
  /** Requests for evidence taken but not yet on the timeline (they leave the case open). */
  const evidence: Array<Extract<AfterSaleDecision, { decision: 'evidence' }>> = [];
  let evidenceRecorded = 0;
  let notices = 0;
  let received: { warehouse: string; at: string } | undefined;
  /** Scans of the return parcel pushed by its tracking service, not yet taken by the case. */
  const returnScans: TrackingSnapshot[] = [];
  /** Finance's answer to a refund waiting above the shop's approval limit. */
  let approval: AfterSaleApproval | undefined;
  /** People's retries of a stuck step, in the order taken (the step being retried reads them). */
  const retries: AfterSaleRetry[] = [];

  setHandler(afterSaleStateQuery, () => view);
  setHandler(refundNoticeSignal, () => void notices++);
  setHandler(returnReceivedSignal, (receipt) => void (received ??= receipt));
  setHandler(returnTrackingSignal, (snapshot) => void returnScans.push(snapshot));
  setHandler(
    afterSaleDecisionUpdate,
    (input_) => {
      if (input_.decision === 'evidence') evidence.push(input_);
      else if (laterExchangeDecision()) {
        exchangeDecision = input_;
        view.exchangeChoices = null;
      } else decision = input_;
      view.decisions.push({
        decision: input_.decision,
        actor: input_.actor.id,
        at: new Date().toISOString(),
        ...(input_.decision === 'partial' ? { amountFen: input_.amountFen } : {}),
        ...(input_.decision === 'refuse' ? { reason: input_.reason } : {}),
        ...(input_.decision === 'evidence' ? { note: input_.note } : {}),
      });
      return view;
    },
    {
      validator: (input_) => {
        refuseUnvouchedActor(input_?.actor, afterSaleDecisionUpdate);
        const parsed = afterSaleDecisionSchema().safeParse(input_);
        if (!parsed.success) refuse(AFTER_SALE_FAILURES.invalidPayload, describeZodIssues(parsed.error));
        const choices = view.exchangeChoices ?? [];
        if (laterExchangeDecision()) {
          // Once the goods are back, or while the replacement waits for the carrier: only the
          // exchange decisions the case offers now (Douyin 312, 321), once.
          const asked = parsed.data.decision;
          if (exchangeDecision || (asked !== 'refuse' && asked !== 'refund') || !choices.includes(asked)) {
            refuse(
              AFTER_SALE_FAILURES.notOpen,
              `the case is ${view.status}; it takes ${choices.length ? choices.join(' or ') : 'no decision'} now`,
            );
          }
        } else if (view.status !== 'open' || view.waiting?.code !== 'case_decision' || decision) {
          refuse(AFTER_SALE_FAILURES.notOpen, `the case is ${view.status}; it takes no decision now`);
        }
        if (parsed.data.decision === 'refund' && !choices.includes('refund')) {
          refuse(
            AFTER_SALE_FAILURES.notOpen,
            `the case takes no refund instead of ${input.kind === 'exchange' ? 'this exchange' : 'its answer'} now`,
          );
        }
        const { actor } = parsed.data;
        if (
          parsed.data.decision === 'agree' &&
          parsed.data.replacements &&
          input.kind !== 'exchange' &&
          input.kind !== 'reship'
        ) {
          refuse(
            AFTER_SALE_FAILURES.invalidPayload,
            'replacements: only an exchange or a reship names replacement SKUs',
          );
        }
        if (parsed.data.decision === 'partial' && input.kind === 'reship') {
          refuse(
            AFTER_SALE_FAILURES.invalidPayload,
            'decision: a reship moves no money; agree (the goods ship again) or refuse',
          );
        }
        if (parsed.data.decision === 'agree' && view.skuSwap && !parsed.data.replacements) {
          refuse(
            AFTER_SALE_FAILURES.invalidPayload,
            `replacements: the buyer asked for ${view.skuSwap.wanted} instead of ${view.skuSwap.bought}; name the SKU the replacement ships as`,
          );
        }
        if (!hasRole(actor.roles, ['customer-service'])) {
          refuse(
            AFTER_SALE_FAILURES.wrongRole,
            `after-sales cases are decided by customer-service; you have ${actor.roles.join(', ')}`,
          );
        }
        const amount =
          parsed.data.decision === 'partial'
            ? parsed.data.amountFen
            : parsed.data.decision === 'agree'
              ? input.requestedFen
              : 0;
        if (amount > input.requestedFen) {
          refuse(
            AFTER_SALE_FAILURES.tooMuch,
            `amountFen ${amount} is above what the buyer asked (${input.requestedFen})`,
          );
        }
        // A marketplace case asks in its order's currency: the limit converted at the order's rate.
        // A shop with its own approval limit lets customer service agree; finance approves after.
        const limit = view.financeLimit;
        if (
          !view.refundApproval &&
          amount > (limit?.aboveMinor ?? input.financeAboveFen) &&
          !hasRole(actor.roles, ['finance'])
        ) {
          refuse(
            AFTER_SALE_FAILURES.wrongRole,
            limit?.rate
              ? `refunds above ${limit.aboveMinor} (${limit.currency} minor units; ${input.financeAboveFen} fen at ${limit.rate}) need the finance role as well`
              : `refunds above ${input.financeAboveFen} fen need the finance role as well`,
          );
        }
        // A hold from the rules names who must agree (e.g. finance for a large refund); refusing
        // moves no money and stays with customer service.
        if (parsed.data.decision === 'agree' || parsed.data.decision === 'partial') {
          for (const role of rolesToAgree(view.audit)) {
            if (!hasRole(actor.roles, [role])) {
              const hold = view.audit!.holds.find((h) => h.clearedBy === role)!;
              refuse(
                AFTER_SALE_FAILURES.wrongRole,
                `held by rule ${hold.ruleId} (${hold.reason}): agreeing needs the ${role} role`,
              );
            }
          }
        }
        if (parsed.data.decision === 'evidence' && view.decisions.length >= 50) {
          refuse(AFTER_SALE_FAILURES.notOpen, 'the case has taken as many requests as it keeps');
        }
      },
    },
  );

  setHandler(
    afterSaleRetryUpdate,
    (input_) => {
      retries.push(input_);
      // Taken: nothing is stuck any more until the step answers again.
      view.retry = null;
      waitFor(view, null);
      view.decisions.push({
        decision: 'retry',
        actor: input_.actor.id,
        at: new Date().toISOString(),
        ...(input_.note ? { note: input_.note } : {}),
      });
      return view;
    },
    {
      validator: (input_) => {
        refuseUnvouchedActor(input_?.actor, afterSaleRetryUpdate);
        const parsed = afterSaleRetrySchema().safeParse(input_);
        if (!parsed.success) refuse(AFTER_SALE_FAILURES.invalidPayload, describeZodIssues(parsed.error));
        if (!view.retry || view.status !== 'needs_person') {
          refuse(AFTER_SALE_FAILURES.notOpen, `the case is ${view.status}; it has no stuck step to retry`);
        }
        if (!hasRole(parsed.data.actor.roles, ['customer-service', 'finance'])) {
          refuse(
            AFTER_SALE_FAILURES.wrongRole,
            `a stuck refund is retried by customer-service or finance; you have ${parsed.data.actor.roles.join(', ')}`,
          );
        }
      },
    },
  );

  setHandler(
    afterSaleApprovalUpdate,
    (input_) => {
      approval = input_;
      view.decisions.push({
        decision: input_.decision,
        actor: input_.actor.id,
        at: new Date().toISOString(),
        ...(input_.decision === 'reject' ? { reason: input_.reason } : {}),
        ...(input_.decision === 'approve' && input_.note ? { note: input_.note } : {}),
      });
      return view;
    },
    {
      validator: (input_) => {
        refuseUnvouchedActor(input_?.actor, afterSaleApprovalUpdate);
        const parsed = afterSaleApprovalSchema().safeParse(input_);
        if (!parsed.success) refuse(AFTER_SALE_FAILURES.invalidPayload, describeZodIssues(parsed.error));
        if (view.waiting?.code !== 'case_finance_approval' || approval) {
          refuse(
            AFTER_SALE_FAILURES.notOpen,
            `the case is ${view.status}; no refund waits for finance's approval`,
          );
        }
        if (!hasRole(parsed.data.actor.roles, ['finance'])) {
          refuse(
            AFTER_SALE_FAILURES.wrongRole,
            `a refund above the shop's approval limit is approved by finance; you have ${parsed.data.actor.roles.join(', ')}`,
          );
        }
      },
    },
  );

  const record = async (
    step: string,
    status: AfterSaleStatus,
    stage: string,
    actor: string,
    detail: Record<string, unknown> = {},
  ) => {
    view.status = status;
    await acts.recordAfterSaleStep({
      caseId: input.caseId,
      // A case opened again writes its steps apart from the earlier run's (one row per step).
      step: input.reopened ? `${step}@${input.reopened.run}` : step,
      status,
      stage,
      actor,
      detail,
      waitingFor: view.waitingFor,
      agreedFen: view.agreedFen,
      refundedFen: view.refundedFen,
      outcome: view.outcome,
    });
  };
  const needsPerson = async (step: string, why: string, detail: Record<string, unknown> = {}) => {
    waitFor(view, waiting('case_person', { step, why }));
    await record(step, 'needs_person', 'needs_person', 'system', { why, ...detail });
    return view;
  };
  const scope: CaseScope = {
    input,
    view,
    decision: () => decision,
    setDecision: (next) => void (decision = next),
    notices: () => notices,
    retries: () => retries,
    record,
    needsPerson,
    returnScans: () => returnScans,
  };

  // Marketplace cases: the platform moves the money and the case answers it (own-store cases
  // never take this branch, so their recorded histories replay unchanged).
  if (input.platform !== 'own' && input.platformCase && patched(PLATFORM_CASES_PATCH)) {
    return runPlatformCase({
      input,
      view,
      record,
      needsPerson,
      decision: () => decision,
      setDecision: (next) => void (decision = next),
      approval: () => approval,
      exchangeDecision: () => exchangeDecision,
      received: () => received,
      returnScans: () => returnScans,
    });
  }
  await acts.openAfterSaleCase(input);
  const lineIds = input.lines.map((line) => line.lineId);
  // Only cases an order starts for its lost parcel carry `lostParcel` (no case opened before this
  // path existed does), so no recorded history reaches this branch.
  if (input.lostParcel && input.payment) return refundLostParcel(scope, lineIds);
  if (input.kind === 'return_refund' && input.payment && patched(RETURNS_PATCH)) {
    return returnAndRefund(scope, () => received);
  }
  if (input.kind === 'exchange' && patched(EXCHANGE_PATCH)) {
    return exchangeOut(scope, () => received);
  }
  if (input.kind === 'reship' && patched(RESHIP_PATCH)) return reshipOut(scope, RESHIP_PATCH);
  if (input.kind !== 'refund_only' || !input.payment) {
    return needsPerson(
      'unsupported',
      `a person: ${input.kind} cases${input.payment ? '' : ' without a payment channel'} are not automated yet`,
    );
  }

  const stop = await acts.changeOrderLineRefunds({
    orderId: input.orderId,
    lineIds,
    status: 'requested',
    caseId: input.caseId,
  });
  if (stop.handedOver) {
    return needsPerson('after-handover', 'a person: a parcel with these lines is already with the carrier', {
      orderStatus: stop.orderStatus,
    });
  }
  if (patched(AFTER_SALE_RULES_PATCH)) {
    view.audit = auditView(
      await acts.auditAfterSaleCase({
        caseId: input.caseId,
        shipped: false,
        inspection: null,
        financeAboveFen: input.financeAboveFen,
      }),
    );
  }
  const audit = view.audit;
  waitFor(view, audit?.verdict === 'agree' ? null : waiting('case_decision'));
  await record('lines-held', 'open', 'lines_held', 'system', { lineIds, orderStatus: stop.orderStatus });
  if (audit?.verdict === 'agree' && audit.agreedBy) {
    const actor = ruleActor(audit.agreedBy);
    decision = { decision: 'agree', actor: { id: actor, roles: ['customer-service'] } };
    view.decisions.push({ decision: 'agree', actor, at: new Date().toISOString() });
  } else if (audit?.verdict === 'hold') {
    await record('rule-hold', 'open', 'held_by_rule', ruleActor(audit.holds[0]!.ruleId), {
      holds: audit.holds,
    });
  }

  // Requests for evidence go on the timeline as they come; the case waits on for its decision.
  while (decision === undefined) {
    await condition(() => decision !== undefined || evidence.length > 0);
    for (const request of evidence.splice(0)) {
      evidenceRecorded += 1;
      await record(`evidence-${evidenceRecorded}`, 'open', 'evidence_requested', request.actor.id, {
        note: request.note,
      });
    }
  }
  const decided = decision as AfterSaleDecision;
  if (decided.decision === 'evidence') throw new Error('unreachable: evidence is not a decision');
  waitFor(view, null);
  if (decided.decision === 'refuse') {
    view.outcome = 'refused';
    await acts.changeOrderLineRefunds({
      orderId: input.orderId,
      lineIds,
      status: 'refused',
      caseId: input.caseId,
    });
    await record('decided', 'refused', 'refused', decided.actor.id, { reason: decided.reason });
    return view;
  }
  view.agreedFen = decided.decision === 'partial' ? decided.amountFen : input.requestedFen;
  await record('decided', 'refunding', 'agreed', decided.actor.id, {
    agreedFen: view.agreedFen,
    ...(audit?.verdict === 'agree' ? { rule: audit.agreedBy, why: 'the automatic refund audit agreed' } : {}),
  });

  return refundCase(scope, lineIds);
}

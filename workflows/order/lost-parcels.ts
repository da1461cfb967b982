import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  afterLocalActivities,
  proxyLocalActivitiesInLine,
  refuseWhileLocalActivitiesRun,
} from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import { hasRole } from '../../domain/audit/roles.js';
import { lineRefundStatus } from '../../domain/line-refunds.js';
import {
  LOST_PARCEL_ROLES,
  lostParcelDecisionSchema,
  lostParcelCaseId,
  type LostParcelDecision,
  type LostParcelView,
} from '../../domain/lost-parcels.js';
import { describeZodIssues } from '../../domain/lazy/review.js';
import { refuseUnvouchedActor } from '../actor-check.js';
import { DECISION_FAILURES, lostParcelUpdate, type ShipmentProgress } from '../messages.js';
import type { OrderStatus } from '../../domain/order-status.js';
import type { OrderRun, ParcelState, PendingLostDecision } from './run.js';
import { waiting, type Waiting } from '../../domain/waiting.js';

const { writeOffLostParcel, lostParcelLineUnits, raiseOrderAlert } = proxyLocalActivitiesInLine<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
const { startLostParcelRefund } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** A lost parcel waits for a person to reship or refund it (before: the order stayed in exception). */
export const LOST_PARCEL_PATCH = 'order-lost-parcel-decision';
/** A reship sends the units the lost parcel carried (before: its lines whole, even when split). */
const LOST_PARCEL_UNITS_PATCH = 'order-lost-parcel-reships-its-units';
/** An own-store order that names its payment refunds a lost parcel through the channel (before: an alert). */
const LOST_PARCEL_CHANNEL_REFUND_PATCH = 'order-lost-parcel-refunds-through-channel';

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** True when the shipment's news is that the parcel is lost (closed by a person, or declared). */
export function isLostNews(progress: ShipmentProgress): boolean {
  return progress.stage === 'exception' && progress.detail.lost === true;
}

/** A lost parcel no decision has been taken on yet. */
function undecided(parcel: ParcelState): boolean {
  return parcel.lost !== undefined && parcel.lost.decision === null;
}

/** A refunded lost parcel waiting for its lines to be refunded on the order. */
function awaitingRefund(parcel: ParcelState): boolean {
  return parcel.lost?.decision === 'refund' && parcel.lost.refunded !== true;
}

function linesRefunded(run: OrderRun, parcel: ParcelState): boolean {
  const ids = new Set(parcel.lineIds ?? []);
  const lines = run.snapshot.lines.filter((l) => ids.has(l.lineId));
  return lines.length > 0 && lines.every((l) => lineRefundStatus(run.snapshot, l) === 'refunded');
}

/** The parcels that still count for the order's progress: a reshipped or refunded lost parcel does not. */
export function countedParcels(run: OrderRun): ParcelState[] {
  return [...run.parcels.values()].filter((p) => p.lost?.decision !== 'reship' && p.lost?.refunded !== true);
}

/** What a lost parcel waits for, in words; null when no lost parcel waits. */
export function lostWaiting(run: OrderRun): Waiting | null {
  for (const [parcelId, p] of run.parcels) {
    if (undecided(p)) return waiting('order_lost_decision', { parcelId });
    if (awaitingRefund(p)) return waiting('order_lost_refund', { parcelId });
  }
  return null;
}

/** Something about a lost parcel to act on: a decision taken, or its lines refunded. */
export function lostParcelsNeedAttention(run: OrderRun): boolean {
  return (
    run.lostDecisions.some((d) => !d.processed) ||
    [...run.parcels.values()].some((p) => awaitingRefund(p) && linesRefunded(run, p))
  );
}

/** Whether the order ended by refunds alone: every parcel lost and refunded, none delivered. */
export function settledByLostParcels(run: OrderRun): 'delivered' | 'refunded' | null {
  const all = [...run.parcels.values()];
  if (run.awaitingWave.size > 0 || all.length === 0) return null;
  if (all.some((p) => undecided(p) || awaitingRefund(p))) return null;
  const counted = countedParcels(run);
  if (!counted.every((p) => p.stage === 'delivered')) return null;
  if (counted.length > 0) return 'delivered';
  return all.some((p) => p.lost?.refunded) ? 'refunded' : null;
}

/** For the order's last event: its lost parcels and what was decided (nothing when none). */
export function lostParcelsDetail(run: OrderRun): Record<string, unknown> {
  const lost = [...run.parcels.entries()]
    .filter(([, p]) => p.lost)
    .map(([parcelId, p]) => ({ parcelId, decision: p.lost!.decision, refunded: p.lost!.refunded ?? false }));
  return lost.length ? { lostParcels: lost } : {};
}

export function validateLostParcel(run: OrderRun, input: LostParcelDecision): void {
  refuseUnvouchedActor(input?.actor, lostParcelUpdate);
  refuseWhileLocalActivitiesRun(DECISION_FAILURES.busy);
  refuseLostParcelNow(run, input);
}

/** On acceptance and again when the decision takes effect (see refuseReviewNow in handlers.ts). */
function refuseLostParcelNow(run: OrderRun, input: LostParcelDecision): void {
  const parsed = lostParcelDecisionSchema().safeParse(input);
  if (!parsed.success) refuse(DECISION_FAILURES.invalidPayload, describeZodIssues(parsed.error));
  const { parcelId, actor } = parsed.data;
  if (!hasRole(actor.roles, LOST_PARCEL_ROLES)) {
    refuse(
      DECISION_FAILURES.wrongRole,
      `a lost parcel is decided by the ${LOST_PARCEL_ROLES.join(' or ')} role; you have ${actor.roles.join(', ')}`,
    );
  }
  if (run.finished)
    refuse(DECISION_FAILURES.finished, `the order is ${run.status}; it takes no more decisions`);
  const parcel = run.parcels.get(parcelId);
  if (!parcel) refuse(DECISION_FAILURES.unknownParcel, `parcel ${parcelId} does not carry this order`);
  if (!run.lostParcels || !parcel.lost) {
    refuse(DECISION_FAILURES.notHeld, `parcel ${parcelId} is not lost (stage: ${parcel.stage})`);
  }
  const pending = run.lostDecisions.find((d) => !d.processed && d.decision.parcelId === parcelId);
  const taken = parcel.lost.decision ?? pending?.decision.decision;
  if (taken) refuse(DECISION_FAILURES.conflict, `lost parcel ${parcelId} was already decided: ${taken}`);
}

export function installLostParcelHandler(run: OrderRun): void {
  setHandler(
    lostParcelUpdate,
    afterLocalActivities(async (decision) => {
      if (run.handlersWait) refuseLostParcelNow(run, decision);
      const pending: PendingLostDecision = { decision, processed: false };
      run.lostDecisions.push(pending);
      await condition(() => pending.processed);
      if (pending.failure) refuse(pending.failure.type, pending.failure.message);
      return run.view();
    }),
    { validator: (decision) => validateLostParcel(run, decision) },
  );
}

/** The shipment says the parcel is lost: recorded, alerted, and a person is asked to decide. */
export async function noteLostParcel(
  run: OrderRun,
  parcelId: string,
  parcel: ParcelState,
  progress: ShipmentProgress,
): Promise<void> {
  const detail = progress.detail;
  const lost: LostParcelView = {
    declaredBy:
      detail.declaredBy === 'carrier' || detail.declaredBy === 'silence' ? detail.declaredBy : 'person',
    since: typeof detail.since === 'string' ? detail.since : progress.at,
    reason: typeof detail.reason === 'string' ? detail.reason : null,
    decision: null,
    decidedBy: null,
    decidedAt: null,
    note: null,
  };
  parcel.stage = 'exception';
  parcel.lost = lost;
  parcel.carrier = progress.carrier ?? parcel.carrier;
  parcel.trackingNumber = progress.trackingNumber ?? parcel.trackingNumber;
  run.wait(lostWaiting(run));
  await run.step('parcel_lost', 'exception', {
    parcelId,
    declaredBy: lost.declaredBy,
    reason: lost.reason,
    lineIds: parcel.lineIds ?? [],
    carrier: parcel.carrier,
    trackingNumber: parcel.trackingNumber,
  });
  const { platform, platformOrderId, shopId } = run.snapshot;
  await raiseOrderAlert({
    shopId,
    kind: 'parcel_lost',
    message:
      `${platform} order ${platformOrderId}: parcel ${parcelId} (${parcel.carrier ?? '?'} ${parcel.trackingNumber ?? ''}) ` +
      `is lost (${lost.reason ?? 'closed as lost'}): reship or refund it on the order`,
  });
}

function actorOf(decision: LostParcelDecision): string {
  return decision.actor.name ? `${decision.actor.id} (${decision.actor.name})` : decision.actor.id;
}

/**
 * Takes the decisions people made on lost parcels. Reship: the parcel's units are written off
 * through the ledger and its lines go back to allocation and the waves (`reship` is called for
 * that); refund: the shop is asked to refund the lines (an own-store order that names its payment
 * starts an after-sales case that refunds them through the channel), and the order waits until the
 * lines are refunded on it. A refund that landed is recorded.
 */
export async function takeLostParcelDecisions(
  run: OrderRun,
  how: {
    /** `units`: how much of each line the parcel carried (null: its lines whole). */
    reship: (
      parcel: ParcelState,
      units: ReadonlyArray<{ lineId: string; quantity: number }> | null,
    ) => Promise<'allocated' | 'stopped'>;
    /** The order's status from its parcels. */
    status: () => OrderStatus;
  },
): Promise<'continue' | 'stopped'> {
  for (const pending of run.lostDecisions.splice(0)) {
    const { parcelId, decision, reason } = pending.decision;
    const parcel = run.parcels.get(parcelId);
    if (!parcel?.lost || parcel.lost.decision) {
      pending.failure = {
        type: DECISION_FAILURES.conflict,
        message: `lost parcel ${parcelId} was already decided`,
      };
      pending.processed = true;
      continue;
    }
    const actor = actorOf(pending.decision);
    parcel.lost = {
      ...parcel.lost,
      decision,
      decidedBy: actor,
      decidedAt: new Date().toISOString(),
      note: reason,
    };
    if (decision === 'reship') {
      run.reships += 1;
      const { writtenOff } = await writeOffLostParcel({
        key: `${run.orderId}:lost:${parcelId}`,
        orderId: run.orderId,
        parcelId,
        actor,
        reason: `parcel ${parcelId} lost: ${reason}`,
      });
      // Only what the lost parcel carried goes out again: a line split across parcels is not
      // reshipped whole (the units in its other parcels are still on their way).
      const { platform, shopId } = run.snapshot;
      const carried = run.patch(LOST_PARCEL_UNITS_PATCH)
        ? await lostParcelLineUnits({
            orderId: run.orderId,
            parcelId,
            order: { platform, shopId, lines: run.order.lines },
          })
        : [];
      const units = carried.length > 0 ? carried : null;
      run.wait(waiting('order_lost_reship', { parcelId }));
      await run.step(
        'lost_parcel_reship',
        'allocating',
        { parcelId, reason, lineIds: parcel.lineIds ?? [], writtenOff, ...(units ? { units } : {}) },
        actor,
      );
      pending.processed = true;
      if ((await how.reship(parcel, units)) === 'stopped') return 'stopped';
      continue;
    }
    // The parcel is gone for good: nothing of it can be stopped any more.
    run.pastPointOfNoReturn = true;
    run.wait(lostWaiting(run));
    const { platform, platformOrderId, shopId, payment } = run.snapshot;
    // An own-store order that says how it was paid is refunded through that channel by an
    // after-sales case; otherwise the shop is told to refund it (the platform or the store moves it).
    const caseId =
      platform === 'own' && payment && run.patch(LOST_PARCEL_CHANNEL_REFUND_PATCH)
        ? lostParcelCaseId(shopId, parcelId, platformOrderId)
        : null;
    await run.step(
      'lost_parcel_refund',
      how.status(),
      {
        parcelId,
        reason,
        lineIds: parcel.lineIds ?? [],
        ...(caseId && payment ? { caseId, channel: payment.channel } : {}),
      },
      actor,
    );
    pending.processed = true;
    if (caseId && payment) {
      await startLostParcelRefund({
        orderId: run.orderId,
        parcelId,
        order: { platform, shopId, platformOrderId, lines: run.order.lines },
        lineIds: parcel.lineIds ?? [],
        payment,
        reason,
        decidedBy: actor,
        decidedAt: parcel.lost.decidedAt ?? new Date().toISOString(),
      });
      continue;
    }
    await raiseOrderAlert({
      shopId,
      kind: 'lost_parcel_refund',
      message:
        `${platform} order ${platformOrderId}: refund lines ${(parcel.lineIds ?? []).join(', ')} of lost parcel ` +
        `${parcelId} to the buyer (${reason}); the order ends when they are refunded`,
    });
  }
  for (const [parcelId, parcel] of run.parcels) {
    if (!awaitingRefund(parcel) || !linesRefunded(run, parcel)) continue;
    parcel.lost = { ...parcel.lost!, refunded: true };
    run.wait(lostWaiting(run));
    await run.step(
      'lost_parcel_refunded',
      how.status(),
      { parcelId, lineIds: parcel.lineIds ?? [] },
      'platform',
    );
  }
  return 'continue';
}

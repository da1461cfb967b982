import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { currentReviewStage } from '../../domain/audit/stages.js';
import { hasRole, type Role } from '../../domain/audit/roles.js';
import {
  describeZodIssues,
  reviewDecisionSchema,
  SERVICE_ACTION_ROLES,
  serviceActionSchema,
  type ReviewDecision,
  type ServiceAction,
} from '../../domain/lazy/review.js';
import {
  DECISION_FAILURES,
  orderAfterSaleNoteSignal,
  orderSnapshotQuery,
  orderSnapshotSignal,
  parcelsAssignedSignal,
  reviewUpdate,
  serviceUpdate,
  shipmentProgressSignal,
  stateQuery,
  stockReservedSignal,
  type OrderStateView,
} from '../messages.js';
import { refuseUnvouchedActor } from '../actor-check.js';
import { afterLocalActivities, refuseWhileLocalActivitiesRun } from '../local-activities.js';
import { orderWaiting, tellParcelsLock } from './fulfilment.js';
import type { OrderRun, PendingDecision } from './run.js';
import { installLostParcelHandler } from './lost-parcels.js';

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * Update validators are synchronous and pure: they accept a decision only while it can take
 * effect, only from the role the hold names, and only with a valid payload. A refused Update
 * leaves no trace in the order's history.
 */
export function validateReview(run: OrderRun, input: ReviewDecision): void {
  refuseUnvouchedActor(input?.actor, reviewUpdate);
  refuseWhileLocalActivitiesRun(DECISION_FAILURES.busy);
  refuseReviewNow(run, input);
}

/**
 * Whether the decision can take effect on the order as it stands: checked when it is accepted and
 * again when its handler acts, once the order's local activities are done (it may have moved on
 * meanwhile). The actor's assertion is checked on acceptance only: it expires with time.
 */
function refuseReviewNow(run: OrderRun, input: ReviewDecision): void {
  const parsed = reviewDecisionSchema().safeParse(input);
  if (!parsed.success) refuse(DECISION_FAILURES.invalidPayload, describeZodIssues(parsed.error));
  if (run.finished)
    refuse(DECISION_FAILURES.finished, `the order is ${run.status}; it takes no more decisions`);
  const current = currentReviewStage(run.openHolds);
  if (run.status !== 'held' || !current) {
    refuse(DECISION_FAILURES.notHeld, `the order is not held (status: ${run.status})`);
  }
  const roles = [...new Set(current.holds.map((h) => h.clearedBy))] as Role[];
  if (!hasRole(parsed.data.actor.roles, roles)) {
    refuse(
      DECISION_FAILURES.wrongRole,
      `review stage ${current.stage} (${current.holds.map((h) => h.reason).join(', ')}) is cleared by the ${roles.join(' or ')} role; you have ${parsed.data.actor.roles.join(', ')}`,
    );
  }
}

export function validateService(run: OrderRun, input: ServiceAction): void {
  refuseUnvouchedActor(input?.actor, serviceUpdate);
  refuseWhileLocalActivitiesRun(DECISION_FAILURES.busy);
  refuseServiceNow(run, input);
}

/** As `refuseReviewNow`: on acceptance and again when the action takes effect. */
function refuseServiceNow(run: OrderRun, input: ServiceAction): void {
  const parsed = serviceActionSchema().safeParse(input);
  if (!parsed.success) refuse(DECISION_FAILURES.invalidPayload, describeZodIssues(parsed.error));
  const action = parsed.data;
  if (run.finished)
    refuse(DECISION_FAILURES.finished, `the order is ${run.status}; it takes no more changes`);
  if (!hasRole(action.actor.roles, SERVICE_ACTION_ROLES[action.action])) {
    refuse(
      DECISION_FAILURES.wrongRole,
      `${action.action} needs the ${SERVICE_ACTION_ROLES[action.action].join(' or ')} role; you have ${action.actor.roles.join(', ')}`,
    );
  }
  if (action.action === 'lock' && run.locked)
    refuse(DECISION_FAILURES.conflict, 'the order is already locked');
  if (action.action === 'unlock' && !run.locked)
    refuse(DECISION_FAILURES.conflict, 'the order is not locked');
  // Unlocking stays possible afterwards, so a lock that came too late does not linger on the order.
  if (action.action === 'lock' && run.pastPointOfNoReturn) {
    refuse(DECISION_FAILURES.conflict, 'the parcel is already with the carrier; locking cannot stop it');
  }
}

async function applyService(run: OrderRun, action: ServiceAction): Promise<OrderStateView> {
  const actor = action.actor.name ? `${action.actor.id} (${action.actor.name})` : action.actor.id;
  switch (action.action) {
    case 'lock':
      run.locked = true;
      run.lockReason = action.reason;
      await run.note('locked', { reason: action.reason }, actor);
      await holdParcels(run);
      break;
    case 'unlock':
      run.locked = false;
      run.lockReason = null;
      await run.note('unlocked', { note: action.note ?? null }, actor);
      await holdParcels(run);
      break;
    case 'flag':
      run.flags.add(action.flag);
      await run.note('flagged', { flag: action.flag }, actor);
      break;
    case 'unflag':
      run.flags.delete(action.flag);
      await run.note('unflagged', { flag: action.flag }, actor);
      break;
    case 'memo':
      run.internalMemo = action.memo;
      await run.note('memo', { memo: action.memo }, actor);
      break;
  }
  return run.view();
}

/** A lock after the order reached the warehouse travels to its parcels (see tellParcelsLock). */
async function holdParcels(run: OrderRun): Promise<void> {
  if (run.parcels.size === 0) return;
  await tellParcelsLock(run);
  run.wait(orderWaiting(run));
}

export function installOrderHandlers(run: OrderRun): void {
  setHandler(stateQuery, () => run.view());
  // Each handler acts once no local activity is running or waiting (workflows/local-activities.ts,
  // afterLocalActivities): live and on replay alike it then comes after the code that follows a
  // local activity's result, whichever workflow task that result was handed over in.
  setHandler(
    orderSnapshotSignal,
    afterLocalActivities(async (snapshot) => {
      // What the platform says now is visible in the projection at once, whatever the order waits on.
      if (run.receive(snapshot) && run.snapshotsAtOnce) await run.persistSnapshot();
    }),
  );
  // An after-sales case's note (an interception asked of the platform): on the timeline once.
  setHandler(
    orderAfterSaleNoteSignal,
    afterLocalActivities(async (note) => {
      if (run.afterSaleNotes.has(note.key)) return;
      run.afterSaleNotes.add(note.key);
      await run.note(note.stage, { ...note.detail, noteKey: note.key }, note.actor);
    }),
  );
  // After-sales cases read the snapshot to change the lines they name (a query: no history change).
  setHandler(orderSnapshotQuery, () => run.snapshot);
  setHandler(
    stockReservedSignal,
    afterLocalActivities((reserved) => {
      if (run.allocation === null) run.stockReserved = reserved;
    }),
  );
  setHandler(
    parcelsAssignedSignal,
    afterLocalActivities((assigned) => void run.assignments.push(assigned)),
  );
  setHandler(
    shipmentProgressSignal,
    afterLocalActivities((progress) => void run.progress.push(progress)),
  );
  setHandler(
    reviewUpdate,
    afterLocalActivities(async (decision) => {
      if (run.handlersWait) refuseReviewNow(run, decision);
      const pending: PendingDecision = { decision, processed: false };
      run.decisions.push(pending);
      await condition(() => pending.processed);
      if (pending.failure) refuse(pending.failure.type, pending.failure.message);
      return run.view();
    }),
    { validator: (decision) => validateReview(run, decision) },
  );
  setHandler(
    serviceUpdate,
    afterLocalActivities((action) => {
      if (run.handlersWait) refuseServiceNow(run, action);
      return applyService(run, action);
    }),
    { validator: (action) => validateService(run, action) },
  );
  installLostParcelHandler(run);
}

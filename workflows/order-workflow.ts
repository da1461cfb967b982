import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  handlersWaitForLocalActivities,
  proxyLocalActivitiesInLine,
  runLocalActivitiesInLine,
} from './local-activities.js';
import type { Activities } from '../activities/index.js';
import type { OrderStatus } from '../domain/order-status.js';
import { ERP_TIMER_OUTCOMES } from '../domain/payment-window.js';
import { auditAndReview, conflictingDecisionsMessage } from './order/audit.js';
import { fulfil, undoFulfilment } from './order/fulfilment.js';
import { installOrderHandlers } from './order/handlers.js';
import { awaitPayment } from './order/payment.js';
import { OrderRun } from './order/run.js';
import { patchesAskedAtStart } from './patches-at-start.js';
import { watchShipBy } from './order/ship-by.js';
import { followAddressChanges } from './order/address.js';
import { LOST_PARCEL_PATCH, lostParcelsDetail } from './order/lost-parcels.js';
import type { OrderWorkflowInput } from './messages.js';
import { OrderStatusKey, PlatformKey, ShopIdKey } from './search-attributes.js';
import { shippedOnPlatform } from '../domain/platform-history.js';
import { liveRoomReason } from '../domain/live-room.js';
import { waiting } from '../domain/waiting.js';

const { loadOrderPolicy, raiseOrderAlert } = proxyLocalActivitiesInLine<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

// Calls the seller's own store: retried with backoff for up to a day, then recorded as not told.
const { tellOwnStoreCancelled } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
});

/** Own-store orders the ERP cancels are reported to the store (before: not told). */
const OWN_STORE_CANCEL_PATCH = 'own-store-cancel-callback';

/** A payment that arrives as the ERP's own cancellation finishes continues the order (before: dropped). */
const REVIVE_PATCH = 'revive-on-late-payment';

function paidAfterErpCancel(run: OrderRun, outcome: OrderOutcome): boolean {
  return outcome.status === 'cancelled' && ERP_TIMER_OUTCOMES.includes(outcome.outcome) && run.paid;
}

/** Outcomes the store itself reported to us: it needs no callback for them. */
const STORE_REPORTED = new Set(['cancelled_on_platform', 'refund_requested', 'refunded']);

const LINE_REFUNDS_PATCH = 'order-line-refunds';
const SNAPSHOTS_AT_ONCE_PATCH = 'order-snapshot-projected-at-once';
const SHIPPED_ON_PLATFORM_PATCH = 'order-shipped-on-platform-is-history';
const PLATFORM_TYPES_PATCH = 'order-types-from-platforms';
const ADDRESS_CHANGE_PATCH = 'order-follows-address-change';
/** Stages passed straight through are written by the next activity (OrderRun.combinedWrites). */
const COMBINED_WRITES_PATCH = 'order-combined-stage-writes';
/**
 * The changes an order asks about later in its life (OrderRun.patch: a split hold, the wave join
 * key, stale decisions, …) are asked once here, before anything else ran, instead of each with a
 * marker of its own after some local activity. A change made after this one gets a patch of its
 * own asked here beside the others — never OrderRun.patch, which says yes to every order started
 * since, whichever code it then ran.
 */
const ORDER_PATCHES_AT_START = 'order-patches-asked-at-start';
/** One local activity in flight at a time (workflows/local-activities.ts). */
const LOCAL_ACTIVITIES_IN_LINE_PATCH = 'order-local-activities-in-line';
/** A person's note on the timeline waits for the order's capture (OrderRun.notesAfterCapture). */
const NOTES_AFTER_CAPTURE_PATCH = 'order-notes-after-capture';
/**
 * Signal and Update handlers act once no local activity is running or waiting, an Update is refused
 * until then, and it checks again when it acts that it can still take effect
 * (workflows/local-activities.ts, handlersWaitForLocalActivities).
 */
const HANDLERS_AFTER_LOCAL_ACTIVITIES_PATCH = 'order-handlers-after-local-activities';

export interface OrderOutcome {
  orderId: string;
  status: OrderStatus;
  outcome: string;
}

/**
 * The durable life of one platform order. Its id is the order's business key (domain/ids.ts).
 * The whole process runs in one cancellation scope: a platform cancellation or refund request
 * that arrives before the parcel is with the carrier cancels it wherever it is, and the undo
 * steps registered so far run in reverse.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderOutcome> {
  if (patched(LOCAL_ACTIVITIES_IN_LINE_PATCH)) runLocalActivitiesInLine();
  const run = new OrderRun(workflowInfo().workflowId, input.order);
  run.notesAfterCapture = patched(NOTES_AFTER_CAPTURE_PATCH);
  run.handlersWait = patched(HANDLERS_AFTER_LOCAL_ACTIVITIES_PATCH);
  if (run.handlersWait) handlersWaitForLocalActivities();
  // Before any snapshot signal is handled: both change how a snapshot is taken.
  run.lineRefunds = patched(LINE_REFUNDS_PATCH);
  run.snapshotsAtOnce = patched(SNAPSHOTS_AT_ONCE_PATCH);
  run.platformShipStops = patched(SHIPPED_ON_PLATFORM_PATCH);
  run.platformTypes = patched(PLATFORM_TYPES_PATCH);
  run.followsAddress = patched(ADDRESS_CHANGE_PATCH);
  run.lostParcels = patched(LOST_PARCEL_PATCH);
  run.combinedWrites = patched(COMBINED_WRITES_PATCH);
  run.patch = patchesAskedAtStart(ORDER_PATCHES_AT_START);
  installOrderHandlers(run);
  upsertSearchAttributes([
    { key: PlatformKey, value: input.order.platform },
    { key: ShopIdKey, value: input.order.shopId },
    { key: OrderStatusKey, value: 'captured' },
  ]);
  if (input.revival) {
    // The ERP's payment timer ended this order and the platform now says it is paid: carry on
    // from payment, continuing the timeline the earlier run wrote.
    run.continueTimelineAfter(input.revival.lastSeq);
    await run.capture('revived', { previousOutcome: input.revival.previousOutcome });
  } else {
    // A manual order's capture names who entered it (only the activity's input differs: replay-safe).
    await run.capture('captured', {}, input.enteredBy);
  }
  // With combined writes the capture's activity brought the policy back.
  if (!run.combinedWrites) run.policy = await loadOrderPolicy({ shopId: input.order.shopId });
  if (run.platformShipStops && shippedOnPlatform(run.snapshot.status)) {
    // Shipped or finished on the platform before we saw it (go-live look-back, a late poll):
    // recorded for the projection and reports, never audited, allocated or shipped.
    const outcome = await finish(run, 'completed', 'shipped_on_platform', {
      platformStatus: run.snapshot.status,
      history: true,
    });
    await condition(allHandlersFinished);
    return outcome;
  }

  if (run.platformTypes) {
    run.livestreamBecause = liveRoomReason(run.snapshot, run.policy.liveRoom);
    if (run.livestreamBecause)
      await run.note('typed_livestream', { because: run.livestreamBecause }, 'system');
  }

  const scope = new CancellationScope();
  const processing = scope.run(() => processOrder(run));
  const first = await Promise.race([
    processing.then((outcome) => ({ outcome })),
    condition(() => run.interceptReason !== null).then(() => null),
  ]);
  let outcome: OrderOutcome;
  if (first) {
    outcome = first.outcome;
  } else {
    scope.cancel();
    try {
      await processing;
    } catch (err) {
      if (!isCancellation(err)) throw err;
    }
    outcome = await CancellationScope.nonCancellable(() => intercept(run));
  }
  run.failPendingDecisions(conflictingDecisionsMessage());
  await condition(allHandlersFinished);
  if (paidAfterErpCancel(run, outcome) && run.patch(REVIVE_PATCH)) {
    // The buyer paid while the cancellation was being wrapped up (the store being told): the
    // order lives on in a new run rather than dropping the payment.
    return continueAsNew<typeof orderWorkflow>({
      order: run.snapshot,
      revival: { previousOutcome: outcome.outcome, lastSeq: run.lastSeq },
    });
  }
  return outcome;
}

async function processOrder(run: OrderRun): Promise<OrderOutcome> {
  if (run.followsAddress) void followAddressChanges(run);
  const payment = await awaitPayment(run);
  if (!payment.paid) return finish(run, 'cancelled', payment.reason, payment.detail);
  void watchShipBy(run);
  const confirmed = {
    paidFen: run.snapshot.amounts.paidFen,
    paidAt: run.snapshot.paidAt ?? null,
    shipBy: run.shipBy?.at ?? null,
  };
  // Straight on to the audit, which writes it first; a locked order or a forming group waits here,
  // so its event is written before the wait.
  if (run.combinedWrites && !run.locked && !run.groupForming)
    run.pass('payment_confirmed', 'auditing', confirmed);
  else await run.step('payment_confirmed', 'auditing', confirmed);
  if (run.groupForming) await awaitGroup(run);

  const review = await auditAndReview(run);
  if (!review.approved) return finish(run, 'cancelled', review.reason, { note: review.note }, review.actor);
  await run.gate();
  // Stopped while held or locked: the interception takes over, and the order records no step past
  // it (a snapshot written as it arrives no longer delays the next step's write).
  if (run.snapshotsAtOnce && run.interceptReason) await condition(() => false);
  await run.step('audit_passed', 'allocating', { route: run.route, flags: [...run.flags].sort() });

  const fulfilled = await fulfil(run);
  if (fulfilled.kind === 'rejected') {
    const undone = await undoFulfilment(run, fulfilled.review.reason);
    return finish(
      run,
      'cancelled',
      fulfilled.review.reason,
      { note: fulfilled.review.note, ...undone },
      fulfilled.review.actor,
    );
  }
  if (fulfilled.kind === 'intercepted') {
    // The interception path below takes over; this scope is being cancelled.
    await condition(() => false);
  }
  const lost = lostParcelsDetail(run);
  // Every parcel was lost and its lines refunded: the order ends as a refunded one does.
  if (fulfilled.kind === 'refunded') return finish(run, 'cancelled', 'refunded', lost);
  return finish(run, 'completed', 'delivered', lost);
}

/**
 * A group still forming is paid but may not ship: nothing is audited, allocated or reserved until a
 * newer snapshot says the group formed (or the platform lifted its block). A failed group or a
 * cancellation ends the order through the interception.
 */
async function awaitGroup(run: OrderRun): Promise<void> {
  await run.note('group_forming', { platform: run.snapshot.platform }, 'platform');
  run.wait(waiting('order_group_forming', { platform: run.snapshot.platform }));
  await condition(() => !run.groupForming);
  run.wait(null);
  await run.note('group_formed', { modifiedAt: run.snapshot.modifiedAt }, 'platform');
}

/** Stops the order: undo steps in reverse order, open holds closed, the reason on the timeline. */
async function intercept(run: OrderRun): Promise<OrderOutcome> {
  const reason = run.interceptReason ?? 'intercepted';
  const at = new Date().toISOString();
  run.clearHolds(
    run.openHolds.map((h) => h.key),
    'system',
    'intercepted',
    reason,
    at,
  );
  run.wait(null);
  log.info('order intercepted', { reason });
  const stoppedDuring = run.status;
  const undone = await undoFulfilment(run, reason);
  if (reason === 'shipped_on_platform') {
    // The seller shipped it from the platform's back office: nothing of ours may leave as well.
    const { platform, platformOrderId, shopId } = run.snapshot;
    const late = (undone.alreadyWithCarrier as string[] | undefined) ?? [];
    await raiseOrderAlert({
      shopId,
      kind: 'shipped_on_platform',
      message:
        `${platform} order ${platformOrderId} was shipped on the platform while it was ${stoppedDuring} here: ` +
        (late.length
          ? `our parcel ${late.join(', ')} had already left too — two parcels are on their way`
          : 'stopped before a parcel of ours left; its reservation was released and any waybill cancelled'),
    });
    return finish(run, 'completed', reason, {
      platformStatus: run.snapshot.status,
      stoppedDuring,
      ...undone,
    });
  }
  return finish(run, 'cancelled', reason, {
    platformStatus: run.snapshot.status,
    refundStatus: run.snapshot.refundStatus,
    stoppedDuring,
    ...undone,
  });
}

async function finish(
  run: OrderRun,
  status: OrderStatus,
  outcome: string,
  detail: Record<string, unknown> = {},
  actor = 'system',
): Promise<OrderOutcome> {
  run.outcome = outcome;
  run.wait(null);
  await run.step(status, status, { outcome, ...detail }, actor);
  if (
    status === 'cancelled' &&
    run.snapshot.platform === 'own' &&
    !STORE_REPORTED.has(outcome) &&
    run.patch(OWN_STORE_CANCEL_PATCH)
  ) {
    await tellStore(run, outcome);
  }
  return { orderId: run.orderId, status, outcome };
}

/** The ERP owns an own store's payment window, so the store hears from us when we cancel. */
async function tellStore(run: OrderRun, reason: string): Promise<void> {
  try {
    const told = await tellOwnStoreCancelled({
      shopId: run.snapshot.shopId,
      platformOrderId: run.snapshot.platformOrderId,
      reason,
      cancelledAt: new Date().toISOString(),
    });
    if (told.outcome === 'sent')
      await run.note('store_told_cancelled', { deliveryId: told.deliveryId }, 'system');
    else await run.note('store_not_told', { reason: told.reason }, 'system');
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await run.note('store_not_told', { reason: err.cause?.message ?? err.message }, 'system');
  }
}

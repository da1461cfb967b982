import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  afterLocalActivities,
  handlersWaitForLocalActivities,
  proxyLocalActivitiesInLine,
  refuseWhileLocalActivitiesRun,
  runLocalActivitiesInLine,
} from './local-activities.js';
import type { Activities } from '../activities/index.js';
import type { ShipmentPolicy } from '../activities/fulfilment.js';
import type { Waybill } from '../integrations/carriers/types.js';
import { hasRole } from '../domain/audit/roles.js';
import type { CarrierCode } from '../domain/carriers/codes.js';
import type { Capability } from '../domain/carriers/profile.js';
import {
  WAYBILL_REFUSAL_TEXT,
  WAYBILL_REFUSED_FAILURE,
  type WaybillRefusal,
} from '../domain/carriers/refusal.js';
import type { CarrierChosen } from '../domain/carriers/select.js';
import {
  PLATFORM_LOGISTICS_REFUSED_FAILURE,
  type PlatformDelivery,
  type PlatformLogisticsRefusal,
  type PlatformShipment,
} from '../domain/platform-logistics.js';
import { RECEIVER_WITHHELD_FAILURE, type ReceiverWithheld } from '../domain/receiver-withheld.js';
import { UPLOAD_REJECTED_FAILURE, type UploadRejection } from '../domain/upload-rejection.js';
import {
  detectTrackingException,
  latestStatus,
  carrierReportsLost,
  lostParcel,
  type LostParcel,
  type TrackingEvent,
} from '../domain/carriers/tracking.js';
import { actorSchema } from '../domain/lazy/review.js';
import {
  DECISION_FAILURES,
  resolveShipmentUpdate,
  shipmentCancelOrderSignal,
  shipmentHandoverSignal,
  shipmentOrderLockSignal,
  shipmentReceiverChangedSignal,
  shipmentStateQuery,
  shipmentTrackingSignal,
  shipmentWmsEventSignal,
  type CarrierShipmentCarried,
  type PlatformShipmentCarried,
  type ShipmentCarried,
  type ShipmentStage,
  type ShipmentResolution,
  type ShipmentWorkflowInput,
} from './messages.js';
import { refuseUnvouchedActor } from './actor-check.js';
import { historyFull } from './history.js';
import { patchesAskedAtStart } from './patches-at-start.js';
import { ShipmentRun } from './shipment/run.js';
import { waiting } from '../domain/waiting.js';

const activityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
} as const;
// Database reads and writes of this parcel: local activities (no server round trip each).
const {
  loadShipmentPolicy,
  startShipment,
  loadWarehouse,
  chooseCarrier,
  cancelPackTask,
  shipParcel,
  recordTracking,
  recordedParcelEvents,
  syncShipmentAlert,
} = proxyLocalActivitiesInLine<Activities>(activityOptions);
// Calls to carriers and platforms (receiver decryption) and label rendering: ordinary activities.
const {
  waybillReceiverFor,
  issueWaybill,
  cancelWaybill,
  printLabel,
  subscribeTracking,
  shipThroughPlatform,
} = proxyActivities<Activities>(activityOptions);
// Platforms are retried until they accept the tracking number, for as long as it takes.
const { uploadTracking } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
});
// A poll that fails is simply tried again at the next interval.
const { checkTracking, checkPlatformDelivery } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

const RESOLVER_ROLES = ['ops', 'warehouse', 'customer-service'] as const;

/**
 * One parcel from the pick list to the buyer's door (`shipment:{parcelId}`): picked and packed in
 * the warehouse, a carrier chosen by rules, a waybill and label, handover, the tracking number
 * uploaded to every platform order in the parcel, then followed to delivery. Exceptions (no scan,
 * refused, returned, address problem) wait for a person; a cancelled order before handover takes
 * its parcel apart and the other orders go back to the wave.
 */
export async function shipmentWorkflow(input: ShipmentWorkflowInput): Promise<{ stage: ShipmentStage }> {
  if (patched(LOCAL_ACTIVITIES_IN_LINE_PATCH)) runLocalActivitiesInLine();
  // Signals and Updates are taken once no local activity is running or waiting: live and on replay
  // alike after the code that follows a stage's write, whichever workflow task its result came in.
  const handlersWait = patched(HANDLERS_AFTER_LOCAL_ACTIVITIES_PATCH);
  if (handlersWait) handlersWaitForLocalActivities();
  const s = new ShipmentRun(input);
  setHandler(shipmentStateQuery, () => s.view());
  setHandler(
    shipmentWmsEventSignal,
    afterLocalActivities((event) => s.receiveWms(event)),
  );
  setHandler(
    shipmentTrackingSignal,
    afterLocalActivities((snapshot) => void s.tracking.push(snapshot)),
  );
  setHandler(
    shipmentHandoverSignal,
    afterLocalActivities((handover) => void (s.handover ??= handover)),
  );
  setHandler(
    shipmentCancelOrderSignal,
    afterLocalActivities((request) => void s.cancellations.push(request)),
  );
  setHandler(
    shipmentOrderLockSignal,
    afterLocalActivities((lock) => s.receiveLock(lock)),
  );
  setHandler(
    shipmentReceiverChangedSignal,
    afterLocalActivities((change) => void s.readdress.push(change)),
  );
  setHandler(
    resolveShipmentUpdate,
    afterLocalActivities(async (resolution) => {
      // The exception may have been settled while the resolution waited (a scan came in).
      if (handlersWait) refuseResolutionNow(s, resolution);
      s.resolution = { action: resolution.action, actor: resolution.actor.id, note: resolution.note ?? null };
      await condition(() => s.resolution === null);
      return s.view();
    }),
    {
      validator: (resolution) => {
        refuseUnvouchedActor(resolution?.actor, resolveShipmentUpdate);
        refuseWhileLocalActivitiesRun(DECISION_FAILURES.busy);
        refuseResolutionNow(s, resolution);
      },
    },
  );

  const finish = async (stage: ShipmentStage) => {
    s.waiting = null;
    await condition(allHandlersFinished);
    return { stage };
  };
  // The changes a shipment asks about later in its life, asked before anything ran (continued runs
  // included): s.patch answers them without markers of their own (workflows/patches-at-start.ts).
  s.patch = patchesAskedAtStart(SHIPMENT_PATCHES_AT_START);
  // A new shipment starts in one activity (its created event, what the warehouse confirmed before
  // it started, its policy); a continued run, and runs started before, load the policy first.
  const combinedStart = !input.carried && patched(COMBINED_START_PATCH);
  let policy!: ShipmentPolicy;
  if (!combinedStart) policy = await loadShipmentPolicy();
  // Runs recorded before it never continued as new: their replay must not either.
  const bounded = s.patch(CONTINUE_AS_NEW_PATCH);
  const ctl: Continuation = {
    // Never while a person's answer is being applied (its Update waits for the workflow).
    full: () => bounded && s.resolution === null && historyFull(policy.historyLimit),
    handOff: async (carry) => {
      await condition(allHandlersFinished);
      return continueAsNew<typeof shipmentWorkflow>({ ...input, carried: { ...carry, run: s.save() } });
    },
  };
  if (input.carried) return finish(await carryOn(s, policy, input.carried, ctl));
  const first = input.orders[0]!;
  // Address changes are followed (before: a parcel shipped to the address it was formed with).
  const followsAddress = s.patch(ADDRESS_CHANGE_PATCH);
  // Merged orders share a buyer and an address; any promise the platform made binds the parcel.
  const promised = input.orders.find((o) => o.platformCarrier)?.platformCarrier ?? null;
  const created = { orders: s.orderIds, reason: input.parcel.reason, weightG: input.parcel.weightG };
  // A crew may confirm as soon as the pick list shows, before the wave's dispatch started this
  // shipment: those confirmations found no workflow to signal, and are read from the WMS record.
  const recordedFor = { parcelId: input.parcel.id, waveId: input.waveId };
  if (combinedStart) {
    const readsRecorded = s.patch(RECORDED_WMS_PATCH);
    const started = await startShipment({
      created: s.nextEvent('created', 'picking', created),
      ...(readsRecorded ? { recorded: recordedFor } : {}),
    });
    policy = started.policy;
    if (started.recorded) s.receiveRecorded(started.recorded);
  } else {
    await s.record('created', 'picking', created, {}, { notify: false });
    if (s.patch(RECORDED_WMS_PATCH)) s.receiveRecorded(await recordedParcelEvents(recordedFor));
  }

  // Warehouse: picking, then packing. A short pick or a cancelled order takes the parcel apart.
  s.waiting = waiting('shipment_picking');
  await condition(
    () => s.hasWms('parcel_picked', 'parcel_short', 'pack_task_cancelled') || s.cancellations.length > 0,
  );
  if (!s.hasWms('parcel_picked')) return finish(await takeApart(s));
  s.takeWms('parcel_picked');
  await s.record('picked', 'picked', {});

  s.waiting = waiting('shipment_packing');
  await condition(() => s.hasWms('parcel_packed', 'pack_task_cancelled') || s.cancellations.length > 0);
  if (!s.hasWms('parcel_packed')) return finish(await takeApart(s));
  const packed = s.takeWms('parcel_packed')!;
  const dims = {
    weightG: packed.weightG,
    lengthMm: packed.lengthMm,
    widthMm: packed.widthMm,
    heightMm: packed.heightMm,
  };
  await s.record('packed', 'packed', dims, { ...dims, packedAt: new Date().toISOString() });
  // A locked order's parcel waits at the packing bench: no carrier, no waybill until unlocked.
  if (!(await waitWhileLocked(s, 'before a waybill is issued'))) return finish(await takeApart(s));

  // Shopee orders ship through Shopee's own logistics (unless the shop ships them itself): no
  // carrier of ours, Shopee's tracking number and shipping document. Older runs chose a carrier.
  if (first.platform === 'shopee' && s.patch(PLATFORM_LOGISTICS_PATCH)) {
    const via = await throughPlatform(s, dims.weightG);
    if (via.kind === 'lost') return finish(await closeLost(s));
    if (via.kind === 'cancelled') return finish(await takeApart(s));
    if (via.kind === 'shipped') return finish(await platformHandover(s, via.shipment, policy, ctl));
  }

  // Carrier by rules; nobody able to take the parcel is an exception for a person.
  // The choice reads the warehouse's province itself (before: an activity of its own first).
  const origin = s.patch(CHOICE_READS_WAREHOUSE_PATCH)
    ? { warehouse: input.warehouse }
    : { province: (await loadWarehouse({ warehouse: input.warehouse })).province };
  const needs: Capability[] = input.parcel.handling === 'normal' ? [] : [input.parcel.handling];
  if (input.parcel.overLimit) needs.push('bulky');
  // The carrier is chosen for where the parcel goes now (an address changed while it was packed).
  if (followsAddress) s.takeReaddress();
  const to = s.current(first).receiver;
  const request = {
    shopId: first.shopId,
    parcel: { ...dims, needs },
    origin,
    destination: {
      country: to.country,
      province: to.province,
      city: to.city,
    },
    ...(first.buyerRemark ? { buyerRemark: first.buyerRemark } : {}),
    ...(promised ? { platformPreference: promised } : {}),
    ...(input.parcel.urgent ? { urgent: true } : {}),
    ...(first.carrierPreference
      ? { override: { carrier: first.carrierPreference, by: 'reviewer' as const } }
      : {}),
  };
  const items = input.parcel.contents.map((c) => ({ name: c.sku, quantity: c.qty }));
  // Carriers that refused this parcel's waybill, left out of the next choice until a person resumes.
  const refused: CarrierCode[] = [];
  let selection: CarrierChosen;
  let receiver: Awaited<ReturnType<typeof waybillReceiverFor>>;
  let waybill: Waybill;
  for (;;) {
    // A refusal's exception stays what the parcel waits for while the next carrier is looked for.
    if (!s.exception) s.waiting = waiting('shipment_carrier_selection');
    const choice = await chooseCarrier(refused.length ? { ...request, exclude: [...refused] } : request);
    if (!choice.ok) {
      // After a refusal the refusal's exception is already open: no carrier left is the same wait.
      if (!s.exception) await openException(s, 'no_carrier', choice.reason);
      const decision = await awaitResolution(s);
      if (decision === 'lost') return finish(await closeLost(s));
      if (s.cancellations.length > 0) return finish(await takeApart(s));
      refused.length = 0;
      continue;
    }
    selection = choice;
    if (s.exception?.kind === 'waybill_refused') {
      // The next carrier the rules allow takes over: the parcel and its orders leave the exception.
      const from = refused[refused.length - 1]!;
      s.exception = null;
      await s.record(
        'carrier_fallback',
        'packed',
        { from, refused: [...refused], to: choice.carrier, reason: choice.reason },
        { exceptionKind: null, exceptionDetail: null, exceptionAt: null },
      );
    }
    s.carrier = selection.carrier;
    s.carrierReason = selection.reason;
    await s.record(
      'carrier_selected',
      null,
      {
        carrier: selection.carrier,
        reason: selection.reason,
        costFen: selection.costFen,
        basis: selection.basis,
      },
      { carrier: selection.carrier, carrierReason: selection.reason, costFen: selection.costFen },
    );

    // Waybill and label, to the address in force now.
    if (followsAddress) s.takeReaddress();
    const got = await receiverForWaybill(s, selection.carrier, s.current(first));
    if (got.kind === 'lost') return finish(await closeLost(s));
    if (got.kind === 'cancelled') return finish(await takeApart(s));
    if (got.kind === 'resumed') {
      refused.length = 0;
      continue;
    }
    receiver = got.receiver;
    // The decrypted phone: a masked or encrypted one on the order would not match the carrier's.
    s.phoneTail = receiver.label.phone.replace(/\D/g, '').slice(-4) || null;
    try {
      waybill = await issueWaybill({
        shopId: first.shopId,
        shipmentId: input.shipmentId,
        carrier: selection.carrier,
        receiver: receiver.waybill,
        parcel: { ...dims, items },
        orderIds: input.orders.map((o) => o.platformOrderId),
        orderChannel: orderChannel(first.platform),
      });
      break;
    } catch (err) {
      const refusal = businessFailure<WaybillRefusal>(err, WAYBILL_REFUSED_FAILURE);
      // Before the patch a refusal failed the workflow; replaying such a history must do the same.
      if (!refusal || !s.patch(WAYBILL_REFUSAL_PATCH)) throw err;
      refused.push(selection.carrier);
      await openException(
        s,
        'waybill_refused',
        `${selection.carrier} refused the waybill (${WAYBILL_REFUSAL_TEXT[refusal.kind]}): ${refusal.reason}`,
        { refusal: refusal.kind, carrier: selection.carrier, code: refusal.code },
      );
      // A reviewer's carrier or the one the platform promised the buyer binds the parcel: a person
      // decides. Otherwise the next eligible carrier is tried at once.
      const binding =
        selection.basis === 'override' || (selection.basis === 'preference' && promised !== null);
      if (policy.carrierFallback !== false && !binding) continue;
      const decision = await awaitResolution(s);
      if (decision === 'lost') return finish(await closeLost(s));
      if (s.cancellations.length > 0) return finish(await takeApart(s));
      refused.length = 0;
    }
  }
  await label(s, waybill, receiver.label, dims.weightG, 'labelled', {
    carrier: selection.carrier,
    trackingNumber: waybill.trackingNumber,
    reason: selection.reason,
    costFen: selection.costFen,
  });
  if (policy.trackingCallbackUrl) {
    try {
      await subscribeTracking({
        carrier: selection.carrier,
        trackingNumber: waybill.trackingNumber,
        phone: s.phoneTail ?? first.receiver.phone.slice(-4),
        callbackUrl: policy.trackingCallbackUrl,
      });
    } catch (err) {
      log.warn('tracking subscription failed; polling instead', { error: (err as Error).message });
    }
  }

  const chosen = { carrier: selection.carrier, reason: selection.reason, costFen: selection.costFen };
  return finish(await fromHandover(s, policy, { chosen, dims, followsAddress }, waybill, ctl));
}

/** Before it, a Shopee parcel got a carrier of ours and its waybill, like any other. */
const PLATFORM_LOGISTICS_PATCH = 'shipment-shopee-platform-logistics';

type Shipped = Extract<PlatformShipment, { kind: 'shipped' }>;
type ThroughPlatform =
  { kind: 'shipped'; shipment: Shipped } | { kind: 'own_carrier' | 'lost' | 'cancelled' };

/**
 * Arranges the parcel with the platform's logistics and waits for its tracking number. A refusal
 * (the order is not ready to ship, the channel does not serve the address, the shop's authorization)
 * puts the parcel in exception with the platform's words: resume asks again, lost closes it.
 */
async function throughPlatform(s: ShipmentRun, weightG: number): Promise<ThroughPlatform> {
  const first = s.input.orders[0]!;
  for (;;) {
    if (!s.exception) s.waiting = waiting('shipment_platform_arranging', { platform: first.platform });
    try {
      const request = {
        shipmentId: s.id,
        shopId: first.shopId,
        platform: first.platform,
        warehouse: s.input.warehouse,
        orders: s.input.orders
          .filter((o) => s.orderIds.includes(o.orderId))
          .map((o) => ({
            platformOrderId: o.platformOrderId,
            lineIds: o.lineIds,
            wholeOrder: o.orderLineIds.every((id) => o.lineIds.includes(id)),
            receiver: s.current(o).receiver,
          })),
        lines: s.input.parcel.contents.map((c) => ({ skuCode: c.sku, quantity: c.qty })),
        weightG,
      };
      let result = await shipThroughPlatform(request);
      if (result.kind === 'arranged') {
        // Arranged; the tracking number comes a little later (asked until the platform issues it).
        s.waiting = waiting('shipment_platform_tracking', {
          platform: first.platform,
          method: result.method,
        });
        await s.record(
          'platform_shipment_arranged',
          null,
          { method: result.method, ...(result.hint ? { hint: result.hint } : {}) },
          {},
          { notify: false },
        );
        result = await shipThroughPlatform({ ...request, arranged: result.method });
      }
      if (result.kind === 'arranged') throw new Error('the platform answered arranged twice');
      if (result.kind === 'own_carrier') {
        await s.record('platform_logistics_skipped', null, { reason: result.reason }, {}, { notify: false });
        return { kind: 'own_carrier' };
      }
      return { kind: 'shipped', shipment: result };
    } catch (err) {
      const refusal = businessFailure<PlatformLogisticsRefusal>(err, PLATFORM_LOGISTICS_REFUSED_FAILURE);
      if (!refusal) throw err;
      await openException(
        s,
        'platform_logistics_refused',
        `${refusal.platform} logistics refused the parcel of ${refusal.platformOrderId}` +
          `${refusal.code ? ` (${refusal.code})` : ''}: ${refusal.reason}`,
        { platform: refusal.platform, code: refusal.code },
      );
      const decision = await awaitResolution(s);
      if (decision === 'lost') return { kind: 'lost' };
      if (s.cancellations.length > 0) return { kind: 'cancelled' };
    }
  }
}

/**
 * A parcel the platform's logistics carries: labelled with the platform's tracking number (its
 * document is the label), handed over when the warehouse says so, and then followed through the
 * platform's order status until it reports the parcel delivered (followPlatform). The platform
 * already has the number (it issued it): nothing is uploaded. A cancellation before handover takes
 * the parcel apart here, and the arrangement stays with the platform for the seller to cancel there.
 */
async function platformHandover(
  s: ShipmentRun,
  shipped: Shipped,
  policy: ShipmentPolicy,
  ctl: Continuation,
): Promise<ShipmentStage> {
  const input = s.input;
  s.trackingNumber = shipped.trackingNumber;
  s.carrierReason = `${shipped.carrierName} (${shipped.method})`;
  await s.record(
    'labelled',
    'labelled',
    {
      platformLogistics: input.orders[0]!.platform,
      carrierName: shipped.carrierName,
      trackingNumber: shipped.trackingNumber,
      method: shipped.method,
      document: shipped.document,
      ...(shipped.packageNumber ? { packageNumber: shipped.packageNumber } : {}),
    },
    {
      trackingNumber: shipped.trackingNumber,
      carrierReason: s.carrierReason,
      waybill: { provider: input.orders[0]!.platform, carrierName: shipped.carrierName },
      labelledAt: new Date().toISOString(),
    },
  );
  s.waiting = waiting('shipment_handover', { carrier: shipped.carrierName });
  for (;;) {
    await condition(() => s.handedOver || s.locked || s.cancellations.length > 0);
    if (s.cancellations.length > 0 && !s.handedOver) {
      await s.record(
        'platform_shipment_left_arranged',
        null,
        {
          trackingNumber: shipped.trackingNumber,
          reason: 'cancel the arrangement in the platform’s seller centre',
        },
        {},
        { notify: false },
      );
      return takeApart(s);
    }
    if (s.handedOver) break;
    if (!(await waitWhileLocked(s, 'before handover'))) return takeApart(s);
    s.waiting = waiting('shipment_handover', { carrier: shipped.carrierName });
  }
  await shipParcel({
    key: `${input.shipmentId}:ship`,
    parcelId: input.parcel.id,
    waybill: shipped.trackingNumber,
  });
  const shippedAt = new Date().toISOString();
  await s.record(
    'shipped',
    'shipped',
    {
      carrierName: shipped.carrierName,
      trackingNumber: shipped.trackingNumber,
      by: s.handover?.actor ?? null,
    },
    { shippedAt },
  );
  for (const o of input.orders.filter((o) => s.orderIds.includes(o.orderId))) {
    s.uploads.set(o.orderId, { uploadedAt: shippedAt, attempts: 0, skipped: null });
  }
  if (s.patch(PLATFORM_DELIVERY_PATCH)) {
    const follow = { lastStatus: null, resumedReport: null, open: null };
    return followPlatform(s, policy, ctl, { phase: 'platform', shipped, shippedAt, follow });
  }
  // Older runs followed it no further: a cancellation now is too late, as for any parcel that left.
  s.waiting = waiting('shipment_delivery_unfollowed', {
    carrier: shipped.carrierName,
    platform: input.orders[0]!.platform,
  });
  for (;;) {
    await condition(() => s.cancellations.length > 0);
    await answerTooLate(s, { trackingNumber: shipped.trackingNumber });
  }
}

/** Cancellations after handover are too late: each order is told its parcel already left. */
async function answerTooLate(
  s: ShipmentRun,
  parcel: { trackingNumber: string; carrier?: CarrierCode },
): Promise<void> {
  for (const c of s.cancellations.splice(0)) {
    await s.tell([c.orderId], {
      shipmentId: s.id,
      parcelId: s.input.parcel.id,
      stage: 'shipped',
      at: new Date().toISOString(),
      detail: { interceptTooLate: true, reason: c.reason },
      ...parcel,
    });
  }
}

/** Before it, a platform-carried parcel was followed no further than handover: its workflow never ended. */
const PLATFORM_DELIVERY_PATCH = 'shipment-follows-platform-delivery';
/** Runs whose policy predates PLATFORM_DELIVERY_HORIZON_SECONDS: its default, 30 days. */
const DEFAULT_PLATFORM_DELIVERY_HORIZON_SECONDS = 30 * 24 * 3600;

/**
 * After handover a platform-carried parcel is followed through the platform (its order status and
 * the package's logistics status), asked every TRACKING_POLL_SECONDS as carrier tracking is polled:
 * delivered (Shopee TO_CONFIRM_RECEIVE or COMPLETED) is recorded as a carrier's delivery scan would
 * be and tells its orders; a return (TO_RETURN, or an order cancelled after it shipped) waits for
 * a person as a carrier's return does (resume keeps following, lost closes it; delivered settles
 * it). Not reported delivered by the horizon (PLATFORM_DELIVERY_HORIZON_SECONDS after handover,
 * and no person's decision pending), it is closed as delivered, unconfirmed.
 */
async function followPlatform(
  s: ShipmentRun,
  policy: ShipmentPolicy,
  ctl: Continuation,
  from: Omit<PlatformShipmentCarried, 'run'>,
): Promise<ShipmentStage> {
  const { shipped, shippedAt } = from;
  const order = s.input.orders.find((o) => s.orderIds.includes(o.orderId)) ?? s.input.orders[0]!;
  const platform = order.platform;
  const everyMs = policy.trackingPollSeconds * 1000;
  const horizonSeconds = policy.platformDeliveryHorizonSeconds ?? DEFAULT_PLATFORM_DELIVERY_HORIZON_SECONDS;
  const horizonAt = Date.parse(shippedAt) + horizonSeconds * 1000;
  let { lastStatus, resumedReport, open } = from.follow;
  const handOff = () =>
    ctl.handOff({ phase: 'platform', shipped, shippedAt, follow: { lastStatus, resumedReport, open } });
  const following = waiting('shipment_delivery_followed', { carrier: shipped.carrierName, platform });
  const facts = (d: PlatformDelivery) => ({
    platform,
    orderStatus: d.orderStatus,
    ...(d.logisticsStatus ? { logisticsStatus: d.logisticsStatus } : {}),
  });

  /** Asks the platform; a new status short of delivered is recorded (collected: in transit). */
  const ask = async (): Promise<PlatformDelivery | null> => {
    let d: PlatformDelivery | null;
    try {
      d = await checkPlatformDelivery({
        shopId: order.shopId,
        platformOrderId: order.platformOrderId,
        ...(shipped.packageNumber ? { packageNumber: shipped.packageNumber } : {}),
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('platform delivery poll failed; trying again later', {
        error: err.cause?.message ?? err.message,
      });
      return null;
    }
    if (!d) return null;
    const status = d.logisticsStatus ? `${d.orderStatus} / ${d.logisticsStatus}` : d.orderStatus;
    if (status === lastStatus) return d;
    lastStatus = status;
    s.trackingStatus = status;
    if (d.state === 'delivered') return d;
    if (d.state === 'in_transit' && s.stage === 'shipped' && d.orderStatus === 'SHIPPED') {
      // Collected: the platform's first word that the parcel moves, as a carrier's first scan.
      await s.record('in_transit', 'in_transit', facts(d), {
        trackingStatus: status,
        firstScanAt: new Date().toISOString(),
      });
    } else {
      await s.record('platform_status', null, facts(d), { trackingStatus: status }, { notify: false });
    }
    return d;
  };
  const delivered = async (d: PlatformDelivery): Promise<ShipmentStage> => {
    const cleared = s.exception !== null;
    if (cleared) {
      s.exception = null;
      await syncShipmentAlert({ shopId: order.shopId, shipmentId: s.id, message: null });
    }
    await s.record(
      'delivered',
      'delivered',
      { ...facts(d), confirmedByBuyer: d.confirmed },
      {
        trackingStatus: lastStatus,
        deliveredAt: new Date().toISOString(),
        ...(cleared ? { exceptionKind: null, exceptionDetail: null, exceptionAt: null } : {}),
      },
    );
    return 'delivered';
  };

  if (!open) s.waiting = following;
  for (;;) {
    await answerTooLate(s, { trackingNumber: shipped.trackingNumber });
    if (open) {
      // A return waits for a person; the platform is still asked, and delivered settles it.
      const moved = await condition(() => s.resolution !== null || s.cancellations.length > 0, everyMs);
      if (s.cancellations.length > 0) continue;
      if (!moved) {
        const d = await ask();
        if (d?.state === 'delivered') return delivered(d);
        if (ctl.full()) await handOff();
        continue;
      }
      const decision = await awaitResolution(s);
      if (decision === 'lost') return closeLost(s);
      resumedReport = open;
      open = null;
      s.waiting = following;
      continue;
    }
    const wait = Math.max(0, Math.min(everyMs, horizonAt - Date.now()));
    if (await condition(() => s.cancellations.length > 0, wait)) continue;
    const d = await ask();
    if (d?.state === 'delivered') return delivered(d);
    if (d?.state === 'returning') {
      const report = `${d.orderStatus}|${d.logisticsStatus ?? ''}`;
      if (report !== resumedReport) {
        const why =
          d.orderStatus === 'TO_RETURN'
            ? 'the buyer is returning it'
            : 'the delivery failed and the parcel comes back to the seller';
        await openException(
          s,
          'returned',
          `${platform} reports ${order.platformOrderId} ${d.orderStatus}` +
            `${d.logisticsStatus ? ` (${d.logisticsStatus})` : ''}: ${why}; follow it on ${platform}, then resume or mark lost`,
          facts(d),
        );
        open = report;
        continue;
      }
    }
    if (Date.now() >= horizonAt) return closeUnconfirmed(s, platform, horizonSeconds, lastStatus);
    if (ctl.full()) await handOff();
  }
}

/** The horizon passed without the platform reporting the parcel delivered: closed, unconfirmed. */
async function closeUnconfirmed(
  s: ShipmentRun,
  platform: string,
  horizonSeconds: number,
  lastStatus: string | null,
): Promise<ShipmentStage> {
  const span =
    horizonSeconds % 86_400 === 0 ? `${horizonSeconds / 86_400} days` : `${horizonSeconds} seconds`;
  await s.record(
    'delivered',
    'delivered',
    {
      platform,
      unconfirmed: true,
      lastStatus,
      horizonSeconds,
      reason:
        `${platform} had not reported the parcel delivered ${span} after handover ` +
        `(last status: ${lastStatus ?? 'none received'}): closed as delivered, unconfirmed`,
    },
    { trackingStatus: 'delivered_unconfirmed', deliveredAt: new Date().toISOString() },
    { event: 'delivered_unconfirmed' },
  );
  return 'delivered';
}

/** A packed parcel's measures, as the warehouse reported them. */
type ParcelDims = { weightG: number; lengthMm?: number; widthMm?: number; heightMm?: number };

/** Before it, a shipment never continued as new: a parcel polled for weeks grew one long history. */
const CONTINUE_AS_NEW_PATCH = 'shipment-continues-as-new';
/** Reads the confirmations recorded before the shipment started (before: only signals counted). */
const RECORDED_WMS_PATCH = 'shipment-reads-recorded-wms-events';
/** The carrier choice reads the warehouse's province itself. */
const CHOICE_READS_WAREHOUSE_PATCH = 'shipment-choice-reads-warehouse';
/** A new shipment's created event, earlier WMS confirmations and policy in one activity. */
const COMBINED_START_PATCH = 'shipment-combined-start';
/**
 * The changes before this one that a shipment asks about later in its life (the policy of a
 * continued run is loaded first; a Shopee parcel, the carrier choice, refused waybills, refused
 * uploads and receivers, the platform's delivery, lost parcels, resumed reports, polls during an
 * exception, …) are answered by this patch, asked at the start: a marker asked just after a local
 * activity (a stage's write) could land in a later workflow task than the code asking for it when
 * a loaded task was cut short, and the shipment could not be replayed. A change made after this
 * one gets a patch of its own asked at the start beside it — never s.patch, which says yes to every
 * shipment started since, whichever code it then ran.
 */
const SHIPMENT_PATCHES_AT_START = 'shipment-patches-asked-at-start';
/** One local activity in flight at a time (workflows/local-activities.ts). */
const LOCAL_ACTIVITIES_IN_LINE_PATCH = 'shipment-local-activities-in-line';
/**
 * Signal and Update handlers act once no local activity is running or waiting, and a resolution
 * checks again then that the exception is still open (workflows/local-activities.ts,
 * handlersWaitForLocalActivities).
 */
const HANDLERS_AFTER_LOCAL_ACTIVITIES_PATCH = 'shipment-handlers-after-local-activities';

/**
 * Whether a person's resolution can take effect on the shipment as it stands: on acceptance and
 * again when it takes effect (the actor's assertion is checked on acceptance only).
 */
function refuseResolutionNow(s: ShipmentRun, resolution: ShipmentResolution): void {
  const actor = actorSchema().safeParse(resolution?.actor);
  if (!actor.success || !['resume', 'lost'].includes(resolution.action)) {
    throw ApplicationFailure.create({
      type: DECISION_FAILURES.invalidPayload,
      message: 'action must be resume or lost, with an actor',
      nonRetryable: true,
    });
  }
  if (!hasRole(actor.data.roles, [...RESOLVER_ROLES])) {
    throw ApplicationFailure.create({
      type: DECISION_FAILURES.wrongRole,
      message: `resolving a shipment exception needs one of ${RESOLVER_ROLES.join(', ')}`,
      nonRetryable: true,
    });
  }
  if (!s.exception) {
    throw ApplicationFailure.create({
      type: DECISION_FAILURES.notHeld,
      message: `the shipment has no open exception (stage: ${s.stage})`,
      nonRetryable: true,
    });
  }
}

/** What a run hands to the next: all but the run's own state, which handOff adds. */
type Carry = Omit<CarrierShipmentCarried, 'run'> | Omit<PlatformShipmentCarried, 'run'>;

/** How a run hands over to the next once its history is long (see historyFull). */
interface Continuation {
  full: () => boolean;
  handOff: (carry: Carry) => Promise<never>;
}

/** A run continued as new picks the parcel up where the previous run left it. */
async function carryOn(
  s: ShipmentRun,
  policy: ShipmentPolicy,
  carried: ShipmentCarried,
  ctl: Continuation,
): Promise<ShipmentStage> {
  if (carried.phase === 'platform') return followPlatform(s, policy, ctl, carried);
  if (carried.phase === 'handover') {
    const dock = {
      chosen: carried.carrier,
      dims: carried.dims ?? { weightG: 0 },
      followsAddress: !!carried.followsAddress,
    };
    return fromHandover(s, policy, dock, carried.waybill, ctl);
  }
  const shippedAt = carried.shippedAt!;
  // Uploads the previous run had not finished start again (the activity answers "already" if done).
  const uploads = uploadAll(
    s,
    s.input.orders.filter((o) => s.orderIds.includes(o.orderId) && !s.uploads.has(o.orderId)),
    carried.carrier.carrier,
    carried.waybill,
    shippedAt,
  );
  const end = await followTracking(
    s,
    carried.waybill,
    policy,
    shippedAt,
    ctl,
    carried.carrier,
    carried.follow,
  );
  await uploads;
  return end;
}

/** From a labelled parcel at the dock to the end of its journey. */
async function fromHandover(
  s: ShipmentRun,
  policy: ShipmentPolicy,
  dock: { chosen: CarrierShipmentCarried['carrier']; dims: ParcelDims; followsAddress: boolean },
  waybill: Waybill,
  ctl: Continuation,
): Promise<ShipmentStage> {
  const { chosen, dims, followsAddress } = dock;
  const input = s.input;
  const first = input.orders[0]!;
  const items = input.parcel.contents.map((c) => ({ name: c.sku, quantity: c.qty }));
  // Handover: the warehouse confirms it, or the carrier's first scan shows it. Until then a
  // cancelled order can still take the parcel apart (the waybill is cancelled too).
  s.waiting = waiting('shipment_handover');
  const scanned = () => s.tracking.some((t) => t.events.length > 0);
  const readdressed = () => followsAddress && s.readdress.length > 0;
  while (!s.handedOver && !scanned() && s.cancellations.length === 0) {
    if (readdressed()) {
      const again = await reissueWaybill(s, chosen.carrier, waybill, dims, items);
      if (again.kind === 'lost') return closeLost(s);
      if (again.kind === 'cancelled') return takeApart(s);
      waybill = again.waybill;
      s.waiting = waiting('shipment_handover');
      continue;
    }
    if (s.locked) {
      if (!(await waitWhileLocked(s, 'before handover', scanned))) break;
      s.waiting = waiting('shipment_handover');
      continue;
    }
    const moved = await condition(
      () => s.handedOver || s.locked || scanned() || s.cancellations.length > 0 || readdressed(),
      policy.trackingPollSeconds * 1000,
    );
    if (!moved) {
      await poll(s, waybill, policy.noScanSeconds);
      if (ctl.full())
        await ctl.handOff({ phase: 'handover', carrier: chosen, waybill, dims, followsAddress });
    }
  }
  if (!s.handedOver && !scanned()) {
    await cancelWaybill({
      shopId: first.shopId,
      shipmentId: input.shipmentId,
      carrier: chosen.carrier,
      trackingNumber: waybill.trackingNumber,
      ...(s.waybillAttempt > 1 ? { attempt: s.waybillAttempt } : {}),
      ...(waybill.accountId ? { accountId: waybill.accountId } : {}),
    });
    await s.record(
      'waybill_cancelled',
      null,
      { trackingNumber: waybill.trackingNumber },
      {},
      { notify: false },
    );
    return takeApart(s);
  }
  await shipParcel({
    key: `${input.shipmentId}:ship`,
    parcelId: input.parcel.id,
    waybill: waybill.trackingNumber,
  });
  const shippedAt = new Date().toISOString();
  await s.record(
    'shipped',
    'shipped',
    {
      carrier: chosen.carrier,
      trackingNumber: waybill.trackingNumber,
      by: s.handover?.actor ?? 'first carrier scan',
    },
    { shippedAt },
  );

  const uploads = uploadAll(
    s,
    input.orders.filter((o) => s.orderIds.includes(o.orderId)),
    chosen.carrier,
    waybill,
    shippedAt,
  );
  const end = await followTracking(s, waybill, policy, shippedAt, ctl, chosen);
  await uploads;
  return end;
}

/** Every platform order in the parcel gets the tracking number, each retried until accepted. */
async function uploadAll(
  s: ShipmentRun,
  orders: ShipmentWorkflowInput['orders'],
  carrier: CarrierCode,
  waybill: Waybill,
  shippedAt: string,
): Promise<void> {
  const input = s.input;
  const upload = async (o: ShipmentWorkflowInput['orders'][number]) => {
    let result: Awaited<ReturnType<typeof uploadTracking>>;
    try {
      result = await uploadTracking({
        shipmentId: input.shipmentId,
        orderId: o.orderId,
        shopId: o.shopId,
        platformOrderId: o.platformOrderId,
        carrier,
        trackingNumber: waybill.trackingNumber,
        lineIds: o.lineIds,
        shippedAt,
        wholeOrder: o.orderLineIds.every((id) => o.lineIds.includes(id)),
      });
    } catch (err) {
      const rejection = businessFailure<UploadRejection>(err, UPLOAD_REJECTED_FAILURE);
      // Before the patch a refused upload failed the workflow; replaying such a history must too.
      if (!rejection || !s.patch(UPLOAD_REJECTION_PATCH)) throw err;
      await recordUploadRejection(s, o, rejection, carrier, waybill.trackingNumber);
      return;
    }
    s.uploads.set(o.orderId, {
      uploadedAt: result.outcome === 'confirmed' ? new Date().toISOString() : null,
      attempts: 0,
      skipped: result.outcome === 'unsupported' ? (result.reason ?? 'no shipping API') : null,
    });
    if (result.outcome !== 'already') {
      await s.record(
        result.outcome === 'confirmed' ? 'tracking_uploaded' : 'tracking_upload_skipped',
        null,
        {
          orderId: o.orderId,
          platform: o.platform,
          outcome: result.outcome,
          ...(result.reason ? { reason: result.reason } : {}),
        },
        {},
        { notify: false },
      );
    }
    if (result.outcome === 'confirmed') {
      await s.tell([o.orderId], {
        shipmentId: input.shipmentId,
        parcelId: input.parcel.id,
        stage: 'tracking_uploaded',
        at: new Date().toISOString(),
        detail: { outcome: result.outcome, platform: o.platform },
        carrier,
        trackingNumber: waybill.trackingNumber,
      });
    }
  };
  await Promise.all(orders.map(upload));
}

/** Prints the parcel's label for `waybill` and records it on the shipment and its orders. */
async function label(
  s: ShipmentRun,
  waybill: Waybill,
  receiver: Awaited<ReturnType<typeof waybillReceiverFor>>['label'],
  weightG: number,
  stage: string,
  detail: Record<string, unknown>,
  event?: string,
): Promise<void> {
  const input = s.input;
  s.trackingNumber = waybill.trackingNumber;
  await printLabel({
    shipmentId: input.shipmentId,
    shopId: input.orders[0]!.shopId,
    warehouse: input.warehouse,
    waybill,
    receiver,
    lines: input.parcel.contents.map((c) => ({ skuCode: c.sku, quantity: c.qty })),
    orderRefs: input.orders.map((o) => o.platformOrderId),
    weightG,
  });
  await s.record(
    stage,
    'labelled',
    detail,
    {
      trackingNumber: waybill.trackingNumber,
      waybill: {
        provider: waybill.provider,
        originCode: waybill.originCode ?? null,
        destinationCode: waybill.destinationCode ?? null,
        sortCode: waybill.sortCode ?? null,
        ...(waybill.accountId ? { accountId: waybill.accountId } : {}),
      },
      labelledAt: new Date().toISOString(),
    },
    event ? { event } : {},
  );
}

/** Before it, a parcel shipped to the address it was formed with, whatever the buyer changed. */
const ADDRESS_CHANGE_PATCH = 'shipment-follows-address-change';

type Reissued = { kind: 'reissued'; waybill: Waybill } | { kind: 'lost' } | { kind: 'cancelled' };

/**
 * The buyer changed the address after the waybill was issued and before handover: the waybill is
 * cancelled with the carrier, a new one issued to the new receiver and the label printed again. A
 * parcel that also carries other orders, or a carrier that refuses the new waybill, stops for a
 * person (resume issues it again; lost closes the parcel).
 */
async function reissueWaybill(
  s: ShipmentRun,
  carrier: CarrierCode,
  old: Waybill,
  dims: ParcelDims,
  items: Array<{ name: string; quantity: number }>,
): Promise<Reissued> {
  const input = s.input;
  const first = input.orders[0]!;
  const changes = s.takeReaddress();
  const orderIds = changes.map((c) => c.orderId);
  await cancelWaybill({
    shopId: first.shopId,
    shipmentId: input.shipmentId,
    carrier,
    trackingNumber: old.trackingNumber,
    ...(s.waybillAttempt > 1 ? { attempt: s.waybillAttempt } : {}),
    ...(old.accountId ? { accountId: old.accountId } : {}),
  });
  await s.record(
    'waybill_cancelled',
    null,
    {
      trackingNumber: old.trackingNumber,
      reason: 'the buyer changed the delivery address',
      orders: orderIds,
      fingerprints: changes.map((c) => c.fingerprint),
    },
    {},
    { notify: false },
  );
  if (s.orderIds.length > 1) {
    await openException(
      s,
      'address_changed',
      `order ${orderIds.join(', ')} changed its delivery address and the parcel carries other orders too: ` +
        'split it in the warehouse, or resume to send it to the new address',
    );
    const decision = await awaitResolution(s);
    if (decision === 'lost') return { kind: 'lost' };
    if (s.cancellations.length > 0) return { kind: 'cancelled' };
  }
  for (;;) {
    s.waybillAttempt += 1;
    const got = await receiverForWaybill(s, carrier, s.current(first));
    if (got.kind === 'lost') return { kind: 'lost' };
    if (got.kind === 'cancelled') return { kind: 'cancelled' };
    if (got.kind === 'resumed') continue;
    const receiver = got.receiver;
    s.phoneTail = receiver.label.phone.replace(/\D/g, '').slice(-4) || null;
    let waybill: Waybill;
    try {
      waybill = await issueWaybill({
        shopId: first.shopId,
        shipmentId: input.shipmentId,
        carrier,
        receiver: receiver.waybill,
        parcel: { ...dims, items },
        orderIds: input.orders.map((o) => o.platformOrderId),
        orderChannel: orderChannel(first.platform),
        attempt: s.waybillAttempt,
      });
    } catch (err) {
      const refusal = businessFailure<WaybillRefusal>(err, WAYBILL_REFUSED_FAILURE);
      if (!refusal) throw err;
      await openException(
        s,
        'waybill_refused',
        `${carrier} refused the waybill to the new address (${WAYBILL_REFUSAL_TEXT[refusal.kind]}): ${refusal.reason}`,
        { refusal: refusal.kind, carrier, code: refusal.code },
      );
      const decision = await awaitResolution(s);
      if (decision === 'lost') return { kind: 'lost' };
      if (s.cancellations.length > 0) return { kind: 'cancelled' };
      continue;
    }
    await label(
      s,
      waybill,
      receiver.label,
      dims.weightG,
      'relabelled',
      {
        carrier,
        trackingNumber: waybill.trackingNumber,
        previousTrackingNumber: old.trackingNumber,
        reason: 'the buyer changed the delivery address',
      },
      'waybill_reissued',
    );
    return { kind: 'reissued', waybill };
  }
}

/** Before it, a platform refusing a tracking upload for good failed the whole shipment workflow. */
const UPLOAD_REJECTION_PATCH = 'shipment-upload-rejection-is-recorded';

/** What an activity's typed business failure carries (details[0]), when that is what failed. */
function businessFailure<T>(err: unknown, type: string): T | null {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure)) return null;
  if (err.cause.type !== type) return null;
  return (err.cause.details?.[0] as T | undefined) ?? null;
}

/**
 * A platform will not take this order's tracking number (closed or refunded order, unknown company
 * code, partial shipment, data withheld): no more retries. The shipment and the order record it
 * (the activity already raised the shop's alert); the parcel itself keeps going to the buyer.
 */
async function recordUploadRejection(
  s: ShipmentRun,
  o: ShipmentWorkflowInput['orders'][number],
  rejection: UploadRejection,
  carrier: CarrierCode,
  trackingNumber: string,
): Promise<void> {
  const skipped = `rejected (${rejection.kind}): ${rejection.reason}`;
  s.uploads.set(o.orderId, { uploadedAt: null, attempts: 0, skipped });
  const detail = {
    orderId: o.orderId,
    platform: o.platform,
    rejection: rejection.kind,
    reason: rejection.reason,
  };
  await s.record('tracking_upload_rejected', null, detail, {}, { notify: false });
  await s.tell([o.orderId], {
    shipmentId: s.id,
    parcelId: s.input.parcel.id,
    stage: 'shipped',
    event: 'tracking_upload_rejected',
    at: new Date().toISOString(),
    detail,
    carrier,
    trackingNumber,
  });
}

/** Before it, a carrier refusing the waybill failed the whole shipment workflow. */
const WAYBILL_REFUSAL_PATCH = 'shipment-waybill-refusal-is-an-exception';

/** Before it, a platform refusing the shop's authorization for the receiver was retried forever. */
const RECEIVER_WITHHELD_PATCH = 'shipment-receiver-withheld-is-an-exception';

type ReceiverAnswer =
  | { kind: 'ok'; receiver: Awaited<ReturnType<typeof waybillReceiverFor>> }
  | { kind: 'lost' }
  | { kind: 'cancelled' }
  | { kind: 'resumed' };

/**
 * The receiver for the waybill. A platform that refuses the shop's authorization (or the request,
 * for good) stops the parcel in exception for a person, with an alert: once the shop is authorized
 * again, resume asks again; lost closes the parcel.
 */
async function receiverForWaybill(
  s: ShipmentRun,
  carrier: CarrierCode,
  order: ShipmentWorkflowInput['orders'][number],
): Promise<ReceiverAnswer> {
  try {
    return {
      kind: 'ok',
      receiver: await waybillReceiverFor({ carrier, order, warehouse: s.input.warehouse }),
    };
  } catch (err) {
    const withheld = businessFailure<ReceiverWithheld>(err, RECEIVER_WITHHELD_FAILURE);
    if (!withheld || !s.patch(RECEIVER_WITHHELD_PATCH)) throw err;
    const why = withheld.kind === 'unauthorized' ? 'refused the shop’s authorization' : 'refused the request';
    await openException(
      s,
      'receiver_withheld',
      `${withheld.platform} ${why} when asked for the receiver of ${order.platformOrderId} (${withheld.reason}): ` +
        'authorize the shop again, then resume',
      { withheld: withheld.kind, platform: withheld.platform, code: withheld.code },
    );
    const decision = await awaitResolution(s);
    if (decision === 'lost') return { kind: 'lost' };
    if (s.cancellations.length > 0) return { kind: 'cancelled' };
    return { kind: 'resumed' };
  }
}

function orderChannel(platform: string): string {
  return (
    ({ taobao: 'TB', tmall: 'TM', pdd: 'PDD', jd: 'JD', douyin: 'DY' } as Record<string, string>)[platform] ??
    'OTHERS'
  );
}

/**
 * Before handover the parcel can be taken apart: the pack task is cancelled, orders that cancelled
 * leave, orders short of units re-allocate, and the rest go back to the wave with their stock.
 */
async function takeApart(s: ShipmentRun): Promise<ShipmentStage> {
  const short = s.takeWms('parcel_short');
  const cancelledBy = new Map(s.cancellations.map((c) => [c.orderId, c.reason]));
  const reason = short
    ? `units missing at picking: ${short.missing.map((m) => `${m.sku}×${m.qty}`).join(', ')}`
    : cancelledBy.size
      ? `order cancelled: ${[...cancelledBy.entries()].map(([id, why]) => `${id} (${why})`).join('; ')}`
      : 'pack task cancelled in the warehouse';
  if (!s.hasWms('pack_task_cancelled')) {
    await cancelPackTask({ key: `${s.id}:cancel`, parcelId: s.input.parcel.id, reason, actor: 'system' });
  }
  const shortOrders = new Set(short?.missing.map((m) => m.orderId) ?? []);
  await s.record('taken_apart', 'cancelled', { reason }, {}, { notify: false });
  for (const orderId of s.orderIds) {
    const cancelled = cancelledBy.has(orderId);
    await s.tell([orderId], {
      shipmentId: s.id,
      parcelId: s.input.parcel.id,
      stage: 'cancelled',
      at: new Date().toISOString(),
      detail: { reason },
      cancel: { reason: cancelled ? 'order cancelled' : reason, reallocate: shortOrders.has(orderId) },
    });
  }
  return 'cancelled';
}

/**
 * Holds the parcel while any of its orders is locked, on the shipment's timeline. Returns false
 * when an order was cancelled meanwhile (the caller takes the parcel apart), true once unlocked or
 * when `gone` says the parcel left anyway.
 */
async function waitWhileLocked(
  s: ShipmentRun,
  where: string,
  gone: () => boolean = () => false,
): Promise<boolean> {
  if (!s.locked) return true;
  const before = s.waiting;
  s.waiting = waiting('shipment_locked', {
    at: where === 'before a waybill is issued' ? 'waybill' : 'handover',
    locked: s.lockText(),
  });
  await s.record('held_for_lock', null, { where, locked: s.lockText() }, {}, { notify: false });
  await condition(() => !s.locked || s.cancellations.length > 0 || gone());
  if (s.cancellations.length > 0) return false;
  if (s.locked) {
    await s.record('left_while_locked', null, { where, locked: s.lockText() }, {}, { notify: false });
  } else {
    await s.record('lock_released', null, { where }, {}, { notify: false });
  }
  s.waiting = before;
  return true;
}

async function openException(
  s: ShipmentRun,
  kind: string,
  detail: string,
  more: Record<string, unknown> = {},
): Promise<void> {
  const since = new Date().toISOString();
  s.exception = { kind, detail, since };
  s.waiting = waiting('shipment_exception', { kind });
  await s.record(
    'exception',
    'exception',
    { kind, detail, ...more },
    { exceptionKind: kind, exceptionDetail: detail, exceptionAt: since },
  );
  await syncShipmentAlert({
    shopId: s.input.orders[0]!.shopId,
    shipmentId: s.id,
    message: `${kind}: ${detail}`,
  });
}

/** Waits for ops to resume or close the shipment; a delivery scan settles it by itself. */
async function awaitResolution(
  s: ShipmentRun,
  settled: () => boolean = () => false,
  /** Keeps asking the carrier meanwhile, so a parcel that moves again settles without a push. */
  polling?: { everyMs: number; poll: () => Promise<void> },
): Promise<'resume' | 'lost' | 'settled'> {
  const answered = () => s.resolution !== null || settled() || s.cancellations.length > 0;
  if (polling) {
    while (!(await condition(answered, polling.everyMs))) await polling.poll();
  } else {
    await condition(answered);
  }
  if (!s.resolution) {
    s.exception = null;
    await syncShipmentAlert({ shopId: s.input.orders[0]!.shopId, shipmentId: s.id, message: null });
    return 'settled';
  }
  const { action, actor, note } = s.resolution;
  if (action === 'lost') {
    const closes = s.exception;
    s.markedLost = { actor, note, exception: closes && { kind: closes.kind, detail: closes.detail } };
  }
  await s.record(
    action === 'resume' ? 'exception_resolved' : 'marked_lost',
    null,
    { action, note },
    action === 'resume' ? { exceptionKind: null, exceptionDetail: null, exceptionAt: null } : {},
    { notify: false, actor },
  );
  s.exception = null;
  s.resolution = null;
  if (action === 'resume')
    await syncShipmentAlert({ shopId: s.input.orders[0]!.shopId, shipmentId: s.id, message: null });
  return action;
}

/**
 * A person marked the parcel lost (标记丢件): the shipment closes as lost, like one the carrier or
 * silence declared — its exception kind `lost` (off the open exceptions, the shop's parcel alert
 * resolved when no other parcel needs a person), its orders told who declared it and why, so the
 * order asks for 补发 / 退款. Runs before this patch closed with the exception's kind unchanged.
 */
const MARKED_LOST_PATCH = 'shipment-marked-lost-closes-as-lost';

async function closeLost(s: ShipmentRun): Promise<ShipmentStage> {
  if (!s.patch(MARKED_LOST_PATCH)) {
    await s.record('lost', 'exception', { lost: true }, {});
    return 'exception';
  }
  const marked = s.markedLost;
  // The person's words when they gave some, else what the parcel was in exception for.
  const reason = marked?.note ?? marked?.exception?.detail ?? 'marked lost by a person';
  await s.record(
    'lost',
    'exception',
    {
      lost: true,
      declaredBy: 'person',
      reason,
      ...(marked ? { markedBy: marked.actor, after: marked.exception?.kind ?? null } : {}),
    },
    { exceptionKind: 'lost', exceptionDetail: reason, exceptionAt: new Date().toISOString() },
  );
  await syncShipmentAlert({ shopId: s.input.orders[0]!.shopId, shipmentId: s.id, message: null });
  return 'exception';
}

/** Tracking declares a parcel lost (so said the carrier, or silence): closed, its orders told. */
const DECLARES_LOST_PATCH = 'shipment-declares-lost';

async function declareLost(s: ShipmentRun, lost: LostParcel): Promise<ShipmentStage> {
  await s.record(
    'lost',
    'exception',
    { lost: true, declaredBy: lost.declaredBy, since: lost.since, reason: lost.message },
    { exceptionKind: 'lost', exceptionDetail: lost.message, exceptionAt: new Date().toISOString() },
  );
  return 'exception';
}

async function poll(
  s: ShipmentRun,
  waybill: Waybill,
  noScanSeconds: number,
  shippedAt?: string,
): Promise<void> {
  try {
    const check = await checkTracking({
      carrier: waybill.carrier,
      trackingNumber: waybill.trackingNumber,
      noScanHours: noScanSeconds / 3600,
      ...(shippedAt ? { shippedAt } : {}),
      ...(s.phoneTail ? { phone: s.phoneTail } : {}),
    });
    s.tracking.push(check.snapshot);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn('tracking poll failed; trying again later', { error: err.cause?.message ?? err.message });
  }
}

const STAGE_OF: Partial<Record<string, ShipmentStage>> = {
  accepted: 'in_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
};
const RANK: ShipmentStage[] = ['shipped', 'in_transit', 'out_for_delivery', 'delivered'];

/** Before it, resuming a refused, returned or address-problem parcel raised the same report again at once. */
const RESUMED_REPORT_PATCH = 'shipment-resumed-report-stays-resolved';
const POLL_DURING_EXCEPTION_PATCH = 'shipment-polls-during-exception';

function hasNewScan(scans: TrackingEvent[], known: Map<string, TrackingEvent>): boolean {
  return scans.some((e) => !known.has(`${e.at}|${e.description}`));
}

/** Follows the parcel by pushes, or by polling when none come, until it is delivered or written off. */
async function followTracking(
  s: ShipmentRun,
  waybill: Waybill,
  policy: { trackingPollSeconds: number; noScanSeconds: number; lostAfterSeconds?: number },
  shippedAt: string,
  ctl: Continuation,
  chosen: CarrierShipmentCarried['carrier'],
  from?: CarrierShipmentCarried['follow'],
): Promise<ShipmentStage> {
  const events = new Map<string, TrackingEvent>(
    (from?.events ?? []).map((e) => [`${e.at}|${e.description}`, e]),
  );
  let lastActivityMs = from?.lastActivityMs ?? Date.parse(shippedAt);
  // Older runs never declared a parcel lost by themselves: a person closed it.
  const lostAfterSeconds =
    policy.lostAfterSeconds !== undefined && s.patch(DECLARES_LOST_PATCH) ? policy.lostAfterSeconds : null;
  const lost = (): LostParcel | undefined =>
    lostAfterSeconds === null
      ? undefined
      : lostParcel([...events.values()], Date.now(), { lastActivityMs, lostAfterSeconds });
  // The carrier report a person last resumed from: raised again only by a newer report.
  let resumedReport: string | null = from?.resumedReport ?? null;
  // An exception the previous run was waiting on a person for: waited on again, not raised again.
  let carriedOpen = from?.open ?? null;
  const handOff = (open: NonNullable<CarrierShipmentCarried['follow']>['open']) =>
    ctl.handOff({
      phase: 'tracking',
      carrier: chosen,
      waybill,
      shippedAt,
      follow: { events: [...events.values()], lastActivityMs, resumedReport, open },
    });
  if (!carriedOpen) s.waiting = waiting('shipment_delivery');
  for (;;) {
    await answerTooLate(s, { carrier: waybill.carrier, trackingNumber: waybill.trackingNumber });
    for (const snapshot of s.tracking.splice(0)) {
      const fresh = snapshot.events.filter((e) => !events.has(`${e.at}|${e.description}`));
      if (fresh.length === 0) continue;
      for (const e of fresh) events.set(`${e.at}|${e.description}`, e);
      lastActivityMs = Math.max(lastActivityMs, ...fresh.map((e) => Date.parse(e.at)));
      await recordTracking({ shipmentId: s.id, snapshot: { ...snapshot, events: fresh } });
      s.trackingStatus = latestStatus([...events.values()]);
      // Walk the new scans in time order so every stage the parcel passed is recorded, even when
      // a poll brings several at once.
      for (const scan of [...fresh].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
        const next = STAGE_OF[scan.status];
        if (!next || RANK.indexOf(next) <= RANK.indexOf(s.stage)) continue;
        const firstScan = s.stage === 'shipped';
        await s.record(
          next,
          next,
          {
            status: scan.status,
            scan: scan.description,
            ...(scan.location ? { location: scan.location } : {}),
          },
          {
            trackingStatus: scan.status,
            ...(firstScan ? { firstScanAt: scan.at } : {}),
            ...(next === 'delivered' ? { deliveredAt: scan.at } : {}),
          },
        );
        if (next === 'delivered') return 'delivered';
      }
    }

    const gone = carriedOpen ? undefined : lost();
    if (gone) return declareLost(s, gone);
    let raised = carriedOpen;
    carriedOpen = null;
    if (!raised) {
      const exception = detectTrackingException([...events.values()], new Date(), {
        noScanHours: policy.noScanSeconds / 3600,
        shippedAt: new Date(shippedAt),
      });
      // A resolved "no scan" gives the carrier a fresh interval before it is raised again.
      const quietTooLong = Date.now() >= lastActivityMs + policy.noScanSeconds * 1000;
      const report =
        exception && exception.kind !== 'no_scan' ? `${exception.kind}|${exception.since}` : null;
      const alreadyResumed = report !== null && report === resumedReport && s.patch(RESUMED_REPORT_PATCH);
      if (exception && !s.exception && !alreadyResumed && (exception.kind !== 'no_scan' || quietTooLong)) {
        await openException(s, exception.kind, exception.message);
        raised = { kind: exception.kind, report };
      }
    }
    if (raised) {
      const exception = raised;
      const keepPolling = s.patch(POLL_DURING_EXCEPTION_PATCH);
      const decision = await awaitResolution(
        s,
        () =>
          lost()?.declaredBy === 'silence' ||
          s.tracking.some(
            (t) =>
              latestStatus(t.events) === 'delivered' ||
              // The carrier now says it lost the parcel: declared lost below.
              (lostAfterSeconds !== null && carrierReportsLost(t.events) !== undefined) ||
              // A parcel without scans that is scanned again is moving: no person is needed.
              (keepPolling && exception.kind === 'no_scan' && hasNewScan(t.events, events)),
          ),
        keepPolling
          ? {
              everyMs: policy.trackingPollSeconds * 1000,
              poll: async () => {
                await poll(s, waybill, policy.noScanSeconds, shippedAt);
                if (ctl.full()) await handOff(exception);
              },
            }
          : undefined,
      );
      if (decision === 'lost') return closeLost(s);
      if (decision === 'settled' && !s.tracking.some((t) => hasNewScan(t.events, events))) {
        // Silent past the lost threshold while it waited: lost, not resumed.
        const silent = lost();
        if (silent?.declaredBy === 'silence') return declareLost(s, silent);
      }
      lastActivityMs = Date.now();
      resumedReport = exception.report;
      s.waiting = waiting('shipment_delivery');
      continue;
    }

    const noScanAt = lastActivityMs + policy.noScanSeconds * 1000;
    const lostAt = lostAfterSeconds === null ? Infinity : lastActivityMs + lostAfterSeconds * 1000;
    const wait = Math.max(
      0,
      Math.min(policy.trackingPollSeconds * 1000, noScanAt - Date.now(), lostAt - Date.now()),
    );
    const pushed = await condition(() => s.tracking.length > 0 || s.cancellations.length > 0, wait);
    if (!pushed && Date.now() < noScanAt) await poll(s, waybill, policy.noScanSeconds, shippedAt);
    if (ctl.full()) await handOff(null);
  }
}

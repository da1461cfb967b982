import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { proxyLocalActivitiesInLine } from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import type { ShipmentEventInput, ShipmentPatch } from '../../activities/fulfilment.js';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';
import type { WmsEvent } from '../../domain/wms/adapter.js';
import { eventFence } from '../event-fence.js';
import { askedWhereTheyStand, type LaterPatches } from '../patches-at-start.js';
import { waitingFromText, waitingText, type Waiting } from '../../domain/waiting.js';
import {
  shipmentProgressSignal,
  type ShipmentOrderLock,
  type ShipmentReceiverChange,
  type ShipmentProgress,
  type ShipmentRunSaved,
  type ShipmentStage,
  type ShipmentStateView,
  type ShipmentWorkflowInput,
} from '../messages.js';

const { recordShipmentEvent } = proxyLocalActivitiesInLine<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * One parcel's state inside its shipment workflow. Every stage is written to the shipment's own
 * timeline and row, and told to each order it carries (the order writes its own timeline).
 */
export class ShipmentRun {
  stage: ShipmentStage = 'picking';
  carrier: CarrierCode | null = null;
  carrierReason: string | null = null;
  trackingNumber: string | null = null;
  trackingStatus: string | null = null;
  exception: { kind: string; detail: string; since: string } | null = null;
  waiting: Waiting | null = null;
  /** Orders still in the parcel (an order cancelled before handover leaves it). */
  orderIds: string[];
  readonly uploads = new Map<
    string,
    { uploadedAt: string | null; attempts: number; skipped: string | null }
  >();

  // Inputs arriving by signal.
  readonly wmsEvents: WmsEvent[] = [];
  readonly seenEventKeys = new Set<string>();
  readonly tracking: TrackingSnapshot[] = [];
  readonly cancellations: { orderId: string; reason: string }[] = [];
  handover: { actor: string; at: string } | null = null;
  /** Last four digits of the receiver's phone: SF (and Kuaidi100 for SF) show routes only with it. */
  phoneTail: string | null = null;
  /** Orders of this parcel that customer service locked, with the reason they gave. */
  readonly locks = new Map<string, string | null>();
  resolution: { action: 'resume' | 'lost'; actor: string; note: string | null } | null = null;
  /**
   * A person's 标记丢件, kept from the resolution to the shipment's close (`closeLost`, which follows
   * at once: never carried across continue-as-new): who, their note, and the exception it closes.
   */
  markedLost: {
    actor: string;
    note: string | null;
    exception: { kind: string; detail: string } | null;
  } | null = null;
  /** Address changes of the parcel's orders not yet acted on, and the receivers now in force. */
  readonly readdress: ShipmentReceiverChange[] = [];
  readonly receivers = new Map<string, ShipmentReceiverChange>();
  /** Waybills issued for this parcel so far (a reissue after an address change is the next). */
  waybillAttempt = 1;
  /**
   * Whether a change made before SHIPMENT_PATCHES_AT_START (shipment-workflow.ts) applies to this
   * run: asked at its start, without a marker where the change is (workflows/patches-at-start.ts);
   * runs recorded before keep asking each where they did.
   */
  patch: LaterPatches = askedWhereTheyStand;

  private seq = 0;
  private readonly timeline: { stage: string; at: string; detail: Record<string, unknown> }[] = [];

  constructor(readonly input: ShipmentWorkflowInput) {
    this.orderIds = input.orders.map((o) => o.orderId);
    if (input.carried) this.restore(input.carried.run);
  }

  /** Everything a new run needs to carry on where this one stopped (continue-as-new). */
  save(): ShipmentRunSaved {
    return {
      stage: this.stage,
      carrier: this.carrier,
      carrierReason: this.carrierReason,
      trackingNumber: this.trackingNumber,
      trackingStatus: this.trackingStatus,
      exception: this.exception,
      waitingFor: waitingText(this.waiting),
      waiting: this.waiting,
      orderIds: [...this.orderIds],
      uploads: [...this.uploads.entries()],
      wmsEvents: [...this.wmsEvents],
      seenEventKeys: [...this.seenEventKeys],
      tracking: [...this.tracking],
      cancellations: [...this.cancellations],
      handover: this.handover,
      phoneTail: this.phoneTail,
      locks: [...this.locks.entries()],
      seq: this.seq,
      timeline: [...this.timeline],
      readdress: [...this.readdress],
      receivers: [...this.receivers.entries()],
      waybillAttempt: this.waybillAttempt,
    };
  }

  private restore(saved: ShipmentRunSaved): void {
    this.stage = saved.stage;
    this.carrier = saved.carrier;
    this.carrierReason = saved.carrierReason;
    this.trackingNumber = saved.trackingNumber;
    this.trackingStatus = saved.trackingStatus;
    this.exception = saved.exception;
    this.waiting = saved.waiting ?? waitingFromText(saved.waitingFor);
    this.orderIds = [...saved.orderIds];
    for (const [orderId, upload] of saved.uploads) this.uploads.set(orderId, upload);
    this.wmsEvents.push(...saved.wmsEvents);
    for (const key of saved.seenEventKeys) this.seenEventKeys.add(key);
    this.tracking.push(...saved.tracking);
    this.cancellations.push(...saved.cancellations);
    this.handover = saved.handover;
    this.phoneTail = saved.phoneTail;
    for (const [orderId, reason] of saved.locks) this.locks.set(orderId, reason);
    this.seq = saved.seq;
    this.timeline.push(...saved.timeline);
    this.readdress.push(...(saved.readdress ?? []));
    for (const [orderId, change] of saved.receivers ?? []) this.receivers.set(orderId, change);
    this.waybillAttempt = saved.waybillAttempt ?? 1;
  }

  get id(): string {
    return this.input.shipmentId;
  }

  receiveWms(event: WmsEvent): void {
    if (this.seenEventKeys.has(event.eventKey)) return;
    this.seenEventKeys.add(event.eventKey);
    this.wmsEvents.push(event);
  }

  /**
   * Confirmations the warehouse recorded before this shipment started (read from the WMS record):
   * each counts once, however many ways it arrives. A handover (an external WMS's shipping
   * confirmation) is the handover signal's.
   */
  receiveRecorded(events: WmsEvent[]): void {
    for (const event of events) {
      if (event.type === 'parcel_handed_over') this.handover ??= { actor: event.actor, at: event.at };
      else this.receiveWms(event);
    }
  }

  takeWms<T extends WmsEvent['type']>(type: T): Extract<WmsEvent, { type: T }> | undefined {
    const index = this.wmsEvents.findIndex((e) => e.type === type);
    if (index < 0) return undefined;
    return this.wmsEvents.splice(index, 1)[0] as Extract<WmsEvent, { type: T }>;
  }

  receiveLock(lock: ShipmentOrderLock): void {
    if (!this.orderIds.includes(lock.orderId)) return;
    if (lock.locked) this.locks.set(lock.orderId, lock.reason);
    else this.locks.delete(lock.orderId);
  }

  get locked(): boolean {
    return this.locks.size > 0;
  }

  /** Handed over by the warehouse, and no order in it is locked (a locked parcel stays on the dock). */
  get handedOver(): boolean {
    return this.handover !== null && !this.locked;
  }

  lockText(): string {
    return [...this.locks.entries()].map(([id, why]) => `${id} (${why ?? 'no reason given'})`).join('; ');
  }

  /** The order as the parcel ships it now: with the receiver of its latest address change. */
  current(order: ShipmentWorkflowInput['orders'][number]): ShipmentWorkflowInput['orders'][number] {
    const change = this.receivers.get(order.orderId);
    return change ? { ...order, receiver: change.receiver } : order;
  }

  /** Takes the address changes that arrived; returns them (the receivers now in force are kept). */
  takeReaddress(): ShipmentReceiverChange[] {
    const changes = this.readdress.splice(0).filter((c) => this.orderIds.includes(c.orderId));
    for (const c of changes) this.receivers.set(c.orderId, c);
    return changes;
  }

  hasWms(...types: WmsEvent['type'][]): boolean {
    return this.wmsEvents.some((e) => types.includes(e.type));
  }

  /** Records a stage on the shipment and tells the orders (all, or the ones named). */
  async record(
    stage: string,
    next: ShipmentStage | null,
    detail: Record<string, unknown>,
    patch: ShipmentPatch = {},
    options: {
      notify?: string[] | false;
      actor?: string;
      cancel?: ShipmentProgress['cancel'];
      /** The orders' timeline event, when not the stage's own. */
      event?: string;
    } = {},
  ): Promise<void> {
    const event = this.nextEvent(stage, next, detail, patch, options.actor);
    await recordShipmentEvent(event);
    const { at } = event;
    const input = this.input;
    if (options.notify === false || !next) return;
    const progress: ShipmentProgress = {
      shipmentId: input.shipmentId,
      parcelId: input.parcel.id,
      stage: next,
      at,
      detail,
      ...(this.carrier ? { carrier: this.carrier } : {}),
      ...(this.trackingNumber ? { trackingNumber: this.trackingNumber } : {}),
      ...(options.cancel ? { cancel: options.cancel } : {}),
      ...(options.event ? { event: options.event } : {}),
    };
    await this.tell(options.notify ?? this.orderIds, progress);
  }

  /**
   * The next timeline event, numbered, timed and shown now; the caller writes it (`record`, or an
   * activity that writes it with its own work: the start's).
   */
  nextEvent(
    stage: string,
    next: ShipmentStage | null,
    detail: Record<string, unknown>,
    patch: ShipmentPatch = {},
    actor = 'system',
  ): ShipmentEventInput {
    if (next) this.stage = next;
    this.seq += 1;
    const at = new Date().toISOString();
    this.timeline.push({ stage, at, detail });
    const input = this.input;
    return {
      shipment: {
        id: input.shipmentId,
        waveId: input.waveId,
        warehouse: input.warehouse,
        handling: input.parcel.handling,
        urgent: input.parcel.urgent,
        orders: input.orders.map((o) => ({ orderId: o.orderId, lineIds: o.lineIds })),
      },
      seq: this.seq,
      fence: eventFence(),
      stage,
      actor,
      detail,
      at,
      patch: { ...(next ? { stage: next } : {}), ...patch },
    };
  }

  /** Signals orders; an order that already closed is simply not told. */
  async tell(orderIds: string[], progress: ShipmentProgress): Promise<void> {
    await Promise.all(
      orderIds.map(async (orderId) => {
        try {
          await getExternalWorkflowHandle(orderId).signal(shipmentProgressSignal, progress);
        } catch {
          // The order finished (cancelled or completed); nothing is waiting for this news.
        }
      }),
    );
  }

  view(): ShipmentStateView {
    return {
      shipmentId: this.id,
      warehouse: this.input.warehouse,
      waveId: this.input.waveId,
      stage: this.stage,
      orderIds: this.orderIds,
      carrier: this.carrier,
      carrierReason: this.carrierReason,
      trackingNumber: this.trackingNumber,
      trackingStatus: this.trackingStatus,
      exception: this.exception,
      lockedOrders: [...this.locks.entries()].map(([orderId, reason]) => ({ orderId, reason })),
      waitingFor: waitingText(this.waiting),
      waiting: this.waiting,
      uploads: [...this.uploads.entries()].map(([orderId, u]) => ({ orderId, ...u })),
      timeline: [...this.timeline],
    };
  }
}

import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import { proxyLocalActivitiesInLine } from '../local-activities.js';
import type { Activities } from '../../activities/index.js';
import { currentReviewStage } from '../../domain/audit/stages.js';
import { isPaidStatus, type NormalizedOrder } from '../../domain/lazy/order.js';
import type { OrderPolicy } from '../../domain/order-policy.js';
import { holdKey, type HoldRecord, type OrderProjection } from '../../domain/order-projection.js';
import type { OrderStatus } from '../../domain/order-status.js';
import { compareSnapshots } from '../../domain/order-snapshot.js';
import { everyLineRefunded, linesNotShipping, shippingPart } from '../../domain/line-refunds.js';
import { shippedOnPlatform } from '../../domain/platform-history.js';
import { receiverFingerprint } from '../../domain/receiver-fingerprint.js';
import type { OrderEdits, ReviewDecision } from '../../domain/review.js';
import type { LostParcelDecision, LostParcelView } from '../../domain/lost-parcels.js';
import type {
  Deadline,
  OrderStateView,
  ParcelsAssigned,
  RouteView,
  ShipmentProgress,
  ShipmentStage,
  StockReserved,
  TimelineEntry,
} from '../messages.js';
import type { WarehouseShare } from '../../activities/stock/index.js';
import { eventFence } from '../event-fence.js';
import { askedWhereTheyStand, type LaterPatches } from '../patches-at-start.js';
import { OrderStatusKey } from '../search-attributes.js';
import { waiting, waitingText, type Waiting } from '../../domain/waiting.js';

// Projection writes are short database calls: local activities save two server round trips each.
const { recordOrderSnapshot, recordOrderEvent, recordOrderEvents, captureOrder } =
  proxyLocalActivitiesInLine<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
  });

/** One timeline event as the projection's activities take it. */
export type OrderEvent = Parameters<Activities['recordOrderEvent']>[0];

/** Shipment stages at which the parcel is with the carrier. */
export const SHIPPED_STAGES: ReadonlySet<ShipmentStage> = new Set([
  'shipped',
  'tracking_uploaded',
  'in_transit',
  'out_for_delivery',
  'delivered',
]);

export interface NewHold {
  reason: string;
  stage: number;
  clearedBy: string;
  ruleId?: string | null;
  message?: string | null;
  detail: string;
  /** Distinguishes holds that may recur (one per allocation attempt) from audit holds. */
  keySuffix?: string;
}

export interface ParcelState {
  shipmentId: string;
  /** The receiver fingerprint the parcel ships to (orders following address changes only). */
  receiverKey?: string;
  warehouse: string;
  stage: ShipmentStage;
  mergedWith: string[];
  carrier: string | null;
  trackingNumber: string | null;
  /** The order's lines this parcel carries (from its assignment). */
  lineIds?: string[];
  /** Set when the parcel was lost: how, and what a person decided (order/lost-parcels.ts). */
  lost?: LostParcelView;
}

export interface PendingLostDecision {
  decision: LostParcelDecision;
  processed: boolean;
  failure?: { type: string; message: string };
}

export interface PendingDecision {
  decision: ReviewDecision;
  processed: boolean;
  /** Set when the decision could not take effect; its Update fails with this. */
  failure?: { type: string; message: string };
}

/**
 * One order's in-memory state inside its workflow. Every stage goes through `step`, which writes
 * the timeline event and the whole projection in one activity, keyed by the event's sequence and
 * fenced by the workflow task that emitted it (a lost task's write never shadows a real event).
 */
export class OrderRun {
  snapshot: NormalizedOrder;
  status: OrderStatus = 'captured';
  policy!: OrderPolicy;
  outcome: string | null = null;
  /** Set when the platform cancels or the buyer asks for a refund while we can still stop. */
  interceptReason: string | null = null;
  /** Once the parcel is with the carrier, a cancellation no longer stops the order. */
  pastPointOfNoReturn = false;
  /**
   * Refunds are decided per line (domain/line-refunds.ts): a refund request holds its line, only a
   * cancellation or every line refunded ends the order. False in histories recorded before.
   */
  lineRefunds = false;
  /** A newer platform snapshot reaches the projection when it arrives, not at the next step. */
  snapshotsAtOnce = false;
  /**
   * An order the platform reports shipped that we did not ship is history: never fulfilled when it
   * arrives so, stopped when it becomes so while waiting here (docs/order-semantics.md).
   */
  platformShipStops = false;
  /**
   * Order types come from the platforms (docs/order-semantics.md): a group-buy whose group is still
   * forming waits before anything is allocated, a failed group ends the order, and a shop's
   * live-room rule makes an order a livestream order. False in histories recorded before.
   */
  platformTypes = false;
  /** Why the shop's live-room rule made this order a livestream order (null: it did not). */
  livestreamBecause: string | null = null;
  /**
   * A newer snapshot with a different receiver is followed: checked again before handover (its
   * waybill reissued), alerted after (docs/order-semantics.md). False in histories recorded before.
   */
  followsAddress = false;
  /**
   * A stage the order passes straight through is written by the activity that follows it (the
   * capture with the policy, `payment_confirmed` by the audit, `audited` with `audit_passed`,
   * `allocated` by the wave join) instead of an activity of its own. False in histories recorded
   * before.
   */
  combinedWrites = false;
  /**
   * Signal and Update handlers act once no local activity is running or waiting, and Updates check
   * again then that they can take effect (order-workflow.ts). False in histories recorded before.
   */
  handlersWait = false;
  /**
   * Whether a change made before ORDER_PATCHES_AT_START (order-workflow.ts) applies to this order
   * (only those: a later change is asked at the start with a patch of its own). Asked at the order's
   * start, it needs no marker where the change is (workflows/patches-at-start.ts says why); orders
   * recorded before keep their markers where they are.
   */
  patch: LaterPatches = askedWhereTheyStand;
  /** Receiver changes not yet looked at (fingerprints only: receivers are never written out). */
  readonly addressChanges: Array<{ from: string; to: string }> = [];
  /** An address change was recorded before handover: the address and blacklist checks run again. */
  addressRecheck = false;
  /** The receiver the order's waves were given when it joined them (its parcels start with it). */
  wavedReceiver = '';
  /** The lines left out (refund requested or done) when the order was last allocated. */
  allocatedWithout = '';
  /**
   * A lost parcel comes to a person to reship or refund (order/lost-parcels.ts); before, the order
   * stayed in exception. False in histories recorded before.
   */
  lostParcels = false;
  readonly lostDecisions: PendingLostDecision[] = [];
  /** Lost parcels reshipped so far (each reship is its own allocation). */
  reships = 0;

  holds: HoldRecord[] = [];
  /** Hold keys a person already cleared: re-audits never raise them again. */
  readonly clearedKeys = new Set<string>();
  /** Keys of the after-sales notes already on the timeline (orderAfterSaleNoteSignal). */
  readonly afterSaleNotes = new Set<string>();
  flags = new Set<string>();
  locked = false;
  lockReason: string | null = null;
  route: RouteView | null = null;
  shipBy: { at: string; atRisk: boolean } | null = null;
  internalMemo: string | null = null;
  edits: OrderEdits = {};
  readonly decisions: PendingDecision[] = [];

  // Fulfilment.
  allocation: { allocationId: string; shares: WarehouseShare[] } | null = null;
  /** Set once allocation was attempted: from then on an undo must release stock. */
  stockTouched = false;
  stockReserved: StockReserved | null = null;
  readonly assignments: ParcelsAssigned[] = [];
  readonly progress: ShipmentProgress[] = [];
  /**
   * Shipment news taken from `progress` and being recorded one by one: still news of ours, so a
   * platform "shipped" that lands meanwhile (our own tracking upload reflected back) is not taken
   * for a shipment from the platform's back office.
   */
  progressInFlight: readonly ShipmentProgress[] = [];
  /** Warehouses whose wave has this order but has not formed its parcels yet. */
  readonly awaitingWave = new Set<string>();
  /**
   * Times the order joined waves in this run: numbers each join (its key in wave_candidates), so a
   * join run again by a retried workflow task is the same join, not a second membership.
   */
  waveJoins = 0;
  readonly parcels = new Map<string, ParcelState>();
  /** Times units went missing after part of the order had shipped (each gets its own hold). */
  shortfalls = 0;
  /**
   * What allocation does when the order needs several parcels (docs/order-semantics.md): `hold`
   * asks a person where the shop does not split on its own; `split` and `together` are the person's
   * answer, kept until the order is allocated.
   */
  splitChoice: 'hold' | 'split' | 'together' = 'hold';

  private seq = 0;
  private dirty = false;
  /** The order's capture (or revival) is written: its row exists for events to reference. */
  private captured = false;
  /**
   * An Update or signal that arrived with the workflow's start (a lock sent while no worker ran)
   * is handled as soon as its handler is set, before the capture. Its timeline event needs the
   * order's row, and with local activities in line (workflows/local-activities.ts) its write would
   * go first and retry forever on the missing row while the capture waits behind it. With this on,
   * such a note waits for the capture and is numbered after it.
   */
  notesAfterCapture = false;
  /** Events of stages passed since the last write: the next activity writes them first. */
  private carried: OrderEvent[] = [];
  private waiting: Waiting | null = null;
  private deadline: Deadline | null = null;
  private readonly timeline: TimelineEntry[] = [];

  constructor(
    readonly orderId: string,
    snapshot: NormalizedOrder,
  ) {
    this.snapshot = snapshot;
  }

  /** The platform's snapshot with reviewer edits on top: what fulfilment works from. */
  get order(): NormalizedOrder {
    const { receiver, lines, sellerMemo } = this.edits;
    return {
      ...this.snapshot,
      ...(this.livestreamBecause ? { type: 'livestream' as const } : {}),
      ...(receiver ? { receiver: { ...this.snapshot.receiver, ...receiver } } : {}),
      ...(lines ? { lines } : {}),
      ...(sellerMemo !== undefined ? { sellerMemo } : {}),
    };
  }

  get paid(): boolean {
    return isPaidStatus(this.snapshot.status);
  }

  get cancelledOnPlatform(): boolean {
    return this.snapshot.status === 'cancelled';
  }

  get openHolds(): HoldRecord[] {
    return this.holds.filter((h) => h.clearedAt === null);
  }

  get reviewStage(): number | null {
    return currentReviewStage(this.openHolds)?.stage ?? null;
  }

  get finished(): boolean {
    return this.status === 'completed' || this.status === 'cancelled';
  }

  /** Takes a platform snapshot; true when it was newer than the one held. */
  receive(snapshot: NormalizedOrder): boolean {
    if (compareSnapshots(this.snapshot, snapshot) !== 'newer') return false;
    const before = this.snapshot.receiver;
    this.snapshot = snapshot;
    this.dirty = true;
    if (this.followsAddress && !this.finished) {
      const from = receiverFingerprint(before);
      const to = receiverFingerprint(snapshot.receiver);
      if (from !== to) {
        this.addressChanges.push({ from, to });
        // The buyer's own new address supersedes a reviewer's fix of the old one.
        if (this.edits.receiver) {
          const { receiver: _superseded, ...rest } = this.edits;
          this.edits = rest;
        }
      }
    }
    if (this.pastPointOfNoReturn || this.finished) return true;
    if (this.platformTypes && snapshot.groupStatus === 'failed') this.interceptReason ??= 'group_failed';
    else if (snapshot.status === 'cancelled') this.interceptReason ??= 'cancelled_on_platform';
    else if (this.platformShipStops && shippedOnPlatform(snapshot.status) && !this.shippedByUs) {
      this.interceptReason ??= 'shipped_on_platform';
    } else if (this.lineRefunds) {
      if (everyLineRefunded(snapshot)) this.interceptReason ??= 'refunded';
    } else if (snapshot.refundStatus === 'requested' || snapshot.refundStatus === 'refunded') {
      this.interceptReason ??= 'refund_requested';
    }
    return true;
  }

  /** A group-buy the platform will not let ship yet (PDD 拼团中, TOP PAID_FORBID_CONSIGN). */
  get groupForming(): boolean {
    return this.platformTypes && this.snapshot.groupStatus === 'forming';
  }

  /** One of our parcels left (or its shipment says so, not yet followed): the platform's "shipped" is ours. */
  get shippedByUs(): boolean {
    return (
      this.pastPointOfNoReturn ||
      this.progress.some((p) => SHIPPED_STAGES.has(p.stage)) ||
      this.progressInFlight.some((p) => SHIPPED_STAGES.has(p.stage))
    );
  }

  /** The fingerprint of the receiver the order ships to now. */
  get receiverKey(): string {
    return receiverFingerprint(this.order.receiver);
  }

  /** Lines that must not ship now (refund requested or done), as one comparable key. */
  get withoutKey(): string {
    return this.lineRefunds ? linesNotShipping(this.snapshot).sort().join(',') : '';
  }

  /** What fulfilment allocates and ships: the order without lines whose refund holds them. */
  get shippable(): NormalizedOrder {
    return this.lineRefunds ? shippingPart(this.order, this.snapshot) : this.order;
  }

  /** The refund state of a line changed since allocation, and nothing has left yet. */
  get linesChanged(): boolean {
    return (
      this.lineRefunds &&
      this.stockTouched &&
      !this.pastPointOfNoReturn &&
      this.withoutKey !== this.allocatedWithout
    );
  }

  /** `enteredBy`: the person who entered a manual order (its actor), else the platform. */
  async capture(stage = 'captured', detail: Record<string, unknown> = {}, enteredBy?: string): Promise<void> {
    const event = this.nextEvent(
      stage,
      'captured',
      { modifiedAt: this.snapshot.modifiedAt, ...detail, ...(enteredBy ? { manual: true } : {}) },
      enteredBy ?? 'platform',
    );
    this.dirty = false;
    if (this.combinedWrites) {
      // The policy the order runs under comes back from the same activity.
      this.policy = await captureOrder({ orderId: this.orderId, order: this.snapshot, event });
    } else {
      await recordOrderSnapshot({ orderId: this.orderId, order: this.snapshot, event });
    }
    this.captured = true;
  }

  /** A revived order's run numbers its events after the ones its earlier run wrote. */
  continueTimelineAfter(seq: number): void {
    this.seq = seq;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Stores the latest platform snapshot when one arrived since the last write. */
  async persistSnapshot(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await recordOrderSnapshot({ orderId: this.orderId, order: this.snapshot });
  }

  async step(
    stage: string,
    status: OrderStatus,
    detail: Record<string, unknown> = {},
    actor = 'system',
  ): Promise<void> {
    const changes = status !== this.status;
    // With stages carried, the status goes to the search attributes after their write, as it did
    // after the carried stage's own write: the order's next command never follows an activity's
    // result in the same activation where it used to wait for a write of its own (a handler's
    // Update completing in between replays in the order it ran).
    const afterWrite = this.carried.length > 0;
    if (changes && !afterWrite) upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
    await this.persistSnapshot();
    await this.write(this.nextEvent(stage, status, detail, actor));
    if (changes && afterWrite) upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
  }

  /** Records an event without changing status (decisions, flags, memos). */
  async note(stage: string, detail: Record<string, unknown>, actor: string): Promise<void> {
    if (this.notesAfterCapture && !this.captured) await condition(() => this.captured);
    await this.write(this.nextEvent(stage, this.status, detail, actor));
  }

  /**
   * A stage the order passes straight on from (combinedWrites only): its event is numbered, timed
   * and shown now, and written first by the next activity that takes the carried events
   * (`carrying`), or by the next write of the order's own.
   */
  pass(stage: string, status: OrderStatus, detail: Record<string, unknown> = {}, actor = 'system'): void {
    if (status !== this.status) upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
    this.carried.push(this.nextEvent(stage, status, detail, actor));
  }

  /**
   * Runs an activity that writes the carried events first. If it fails or is cancelled the events
   * are carried on to the next write (writing one twice is harmless: events are keyed by sequence).
   */
  async carrying<T>(activity: (events: OrderEvent[]) => Promise<T>): Promise<T> {
    const events = this.carried;
    this.carried = [];
    try {
      return await activity(events);
    } catch (err) {
      this.carried = [...events, ...this.carried];
      throw err;
    }
  }

  /** Writes the carried events, if any, in one activity. */
  async flushCarried(): Promise<void> {
    if (this.carried.length > 0) await this.carrying((events) => recordOrderEvents({ events }));
  }

  private async write(event: OrderEvent): Promise<void> {
    await this.carrying(async (carried) => {
      if (carried.length > 0) await recordOrderEvents({ events: [...carried, event] });
      else await recordOrderEvent(event);
    });
  }

  wait(what: Waiting | null, deadline: Deadline | null = null): void {
    this.waiting = what;
    this.deadline = deadline;
  }

  /** A locked order goes no further until customer service unlocks it. */
  async gate(): Promise<void> {
    if (!this.locked) return;
    const before = { waiting: this.waiting, deadline: this.deadline };
    this.wait(waiting('order_locked', { reason: this.lockReason }));
    await condition(() => !this.locked || this.interceptReason !== null);
    this.wait(before.waiting, before.deadline);
  }

  /** Opens holds not already open or cleared by a person; returns the ones that are new. */
  openHoldsFrom(candidates: NewHold[], at: string): HoldRecord[] {
    const opened: HoldRecord[] = [];
    for (const c of candidates) {
      const key = holdKey(c.reason, c.stage) + (c.keySuffix ? `#${c.keySuffix}` : '');
      if (this.clearedKeys.has(key) || this.holds.some((h) => h.key === key && h.clearedAt === null))
        continue;
      const record: HoldRecord = {
        key,
        reason: c.reason,
        stage: c.stage,
        clearedBy: c.clearedBy,
        ruleId: c.ruleId ?? null,
        message: c.message ?? null,
        detail: c.detail,
        openedAt: at,
        escalatedAt: null,
        clearedAt: null,
        clearedByActor: null,
        decision: null,
        note: null,
      };
      this.holds = [...this.holds.filter((h) => h.key !== key), record];
      opened.push(record);
    }
    return opened;
  }

  /** Closes open holds that no longer apply after a re-audit (e.g. the address was fixed). */
  dropResolvedHolds(stillApplying: Set<string>, at: string): HoldRecord[] {
    const dropped: HoldRecord[] = [];
    this.holds = this.holds.map((h) => {
      if (h.clearedAt !== null || stillApplying.has(h.key) || h.ruleId === null) return h;
      const closed = { ...h, clearedAt: at, decision: 'resolved', clearedByActor: 'system' };
      dropped.push(closed);
      return closed;
    });
    return dropped;
  }

  /** Fails every decision still queued: the order moved on before they could take effect. */
  failPendingDecisions(failure: { type: string; message: string }): void {
    for (const d of [...this.decisions, ...this.lostDecisions]) {
      if (d.processed) continue;
      d.failure = failure;
      d.processed = true;
    }
  }

  clearHolds(keys: string[], actor: string, decision: string, note: string | null, at: string): void {
    this.holds = this.holds.map((h) =>
      keys.includes(h.key) && h.clearedAt === null
        ? { ...h, clearedAt: at, clearedByActor: actor, decision, note }
        : h,
    );
    for (const key of keys) this.clearedKeys.add(key);
  }

  projection(): OrderProjection {
    const open = this.openHolds;
    return {
      flags: [...this.flags].sort(),
      locked: this.locked,
      routeGroup: this.route?.group ?? null,
      priority: this.route?.priority ?? 0,
      heldSince: open.length ? open.map((h) => h.openedAt).sort()[0]! : null,
      shipByAt: this.shipBy?.at ?? null,
      shipByAtRisk: this.shipBy?.atRisk ?? false,
      internalMemo: this.internalMemo,
      carrierPreference: this.edits.carrierPreference ?? null,
      effectiveReceiver: this.edits.receiver ? this.order.receiver : null,
      outcome: this.outcome,
      holds: this.holds,
    };
  }

  view(): OrderStateView {
    return {
      orderId: this.orderId,
      platform: this.snapshot.platform,
      shopId: this.snapshot.shopId,
      platformOrderId: this.snapshot.platformOrderId,
      status: this.status,
      platformStatus: this.snapshot.status,
      refundStatus: this.snapshot.refundStatus,
      waitingFor: waitingText(this.waiting),
      waiting: this.waiting,
      nextDeadline: this.deadline,
      outcome: this.outcome,
      holds: this.openHolds,
      reviewStage: this.reviewStage,
      flags: [...this.flags].sort(),
      locked: this.locked,
      route: this.route,
      shipBy: this.shipBy,
      carrierPreference: this.edits.carrierPreference ?? null,
      edited: {
        receiver: this.edits.receiver !== undefined,
        lines: this.edits.lines !== undefined,
        sellerMemo: this.edits.sellerMemo !== undefined,
      },
      parcels: [...this.parcels.entries()].map(([parcelId, p]) => ({ parcelId, ...p })),
      awaitingWave: [...this.awaitingWave],
      timeline: [...this.timeline],
    };
  }

  private nextEvent(stage: string, status: OrderStatus, detail: Record<string, unknown>, actor = 'system') {
    this.seq += 1;
    const at = new Date().toISOString();
    this.status = status;
    this.timeline.push({ seq: this.seq, stage, status, at, actor });
    return {
      orderId: this.orderId,
      seq: this.seq,
      fence: eventFence(),
      stage,
      status,
      actor,
      detail,
      at,
      projection: this.projection(),
    };
  }
}

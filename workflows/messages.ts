import type { LostParcelDecision, LostParcelView } from '../domain/lost-parcels.js';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { ACTOR_NOT_VERIFIED } from '../domain/actor-assertion.js';
import type {
  AfterSaleDecision,
  AfterSaleKind,
  AfterSaleRetry,
  AfterSaleApproval,
  AfterSaleStatus,
  CaseLine,
} from '../domain/after-sales.js';
import type { ReturnWaybill } from '../domain/after-sale-returns.js';
import type { PlatformCase } from '../integrations/platforms/after-sales.js';
import type { CarrierCode } from '../domain/carriers/codes.js';
import type { TrackingEvent, TrackingSnapshot } from '../domain/carriers/tracking.js';
import type { Waybill } from '../integrations/carriers/types.js';
import type { WarehouseShare } from '../domain/allocation/order-lines.js';
import type { NormalizedOrder, Receiver, RefundStatus } from '../domain/order.js';
import type { HoldRecord } from '../domain/order-projection.js';
import type { PlatformShipment } from '../domain/platform-logistics.js';
import type { OrderStatus } from '../domain/order-status.js';
import type { Parcel, ParcelContent, ReadyOrder } from '../domain/parcels/types.js';
import type { Actor, ReviewDecision, ServiceAction } from '../domain/review.js';
import type { WmsEvent } from '../domain/wms/adapter.js';
import type { Waiting } from '../domain/waiting.js';

/**
 * Every message an order workflow understands. The API imports this module, so names and payload
 * types are shared by sender and receiver. Signals carry facts that just arrived; Updates carry
 * decisions whose sender needs an answer; queries read.
 */

/** How a client starts an order: signal-with-start with its first snapshot. */
export interface OrderWorkflowInput {
  order: NormalizedOrder;
  /**
   * Set when a finished order starts again: the ERP's own payment timer ended it and the platform
   * now reports it paid. The new run continues the timeline after `lastSeq`.
   */
  revival?: { previousOutcome: string; lastSeq: number };
  /**
   * Set when a person (or an integration's key) entered the order by hand through `POST /orders`:
   * the signed-in user, recorded as the actor of its `captured` event. Absent for platform orders.
   */
  enteredBy?: string;
}

/** A newer (or older, or duplicate) snapshot of the order from its platform. */
export const orderSnapshotSignal = defineSignal<[NormalizedOrder]>('orderSnapshot');

/**
 * An after-sales case's note on the order's timeline (e.g. a parcel interception asked of the
 * platform), under the case as actor. Taken once per `key`: a retried activity writes one event.
 */
export interface OrderAfterSaleNote {
  key: string;
  stage: string;
  actor: string;
  detail: Record<string, unknown>;
}
export const orderAfterSaleNoteSignal = defineSignal<[OrderAfterSaleNote]>('afterSaleNote');

/** A reviewer's decision on a held order. Answers with the order's state after it took effect. */
export const reviewUpdate = defineUpdate<OrderStateView, [ReviewDecision]>('review');

/** Customer service: lock, unlock, flag, unflag, memo. Answers with the order's new state. */
export const serviceUpdate = defineUpdate<OrderStateView, [ServiceAction]>('service');

/** A person's decision on a lost parcel: reship its lines or refund them. Answers with the new state. */
export const lostParcelUpdate = defineUpdate<OrderStateView, [LostParcelDecision]>('lostParcel');

export interface Deadline {
  kind: string;
  at: string;
}

export interface TimelineEntry {
  seq: number;
  stage: string;
  status: OrderStatus;
  at: string;
  actor: string;
}

/** A hold as the order's state shows it: the record the projection stores. */
export type HoldView = HoldRecord;

export interface RouteView {
  group: string;
  priority: number;
  reason: string;
}

export interface OrderStateView {
  orderId: string;
  platform: string;
  shopId: string;
  platformOrderId: string;
  status: OrderStatus;
  platformStatus: string;
  refundStatus: string;
  /** What the order is waiting for right now, in words an operator understands; null when it is moving. */
  waitingFor: string | null;
  /** The same as a code with its particulars (domain/waiting.ts); absent from workers before codes. */
  waiting?: Waiting | null;
  nextDeadline: Deadline | null;
  /** Why the order ended, when it did. */
  outcome: string | null;
  /** Open holds (all stages) and the stage under review now. */
  holds: HoldView[];
  reviewStage: number | null;
  flags: string[];
  locked: boolean;
  route: RouteView | null;
  shipBy: { at: string; atRisk: boolean } | null;
  /** What reviewers changed: the carrier they asked for, and which parts of the order they edited. */
  carrierPreference: CarrierCode | null;
  edited: { receiver: boolean; lines: boolean; sellerMemo: boolean };
  /** The parcels carrying the order and where each is. */
  parcels: {
    parcelId: string;
    shipmentId: string;
    warehouse: string;
    stage: ShipmentStage;
    mergedWith: string[];
    carrier: string | null;
    trackingNumber: string | null;
    /** The order's lines this parcel carries. */
    lineIds?: string[];
    /** Set when the parcel was lost: how, and what a person decided. */
    lost?: LostParcelView;
  }[];
  /** Warehouses whose wave holds the order but has not formed its parcels yet. */
  awaitingWave: string[];
  timeline: TimelineEntry[];
}

export const stateQuery = defineQuery<OrderStateView>('state');

/** Failure types of Update validators; the API maps each to an HTTP status. */
export const DECISION_FAILURES = {
  invalidPayload: 'InvalidDecision',
  notHeld: 'OrderNotHeld',
  wrongRole: 'WrongRole',
  finished: 'OrderFinished',
  conflict: 'DecisionConflict',
  /** The parcel named does not carry the order. */
  unknownParcel: 'UnknownParcel',
  /** The actor has no valid assertion from the API (domain/actor-assertion.ts). */
  actorNotVerified: ACTOR_NOT_VERIFIED,
  /**
   * Not now: a local activity's result is still on its way to the workflow (its last workflow task
   * was cut short). Nothing was recorded; the same Update sent again a moment later is taken
   * (workflows/local-activities.ts, refuseWhileLocalActivitiesRun; the API retries it itself).
   */
  busy: 'WorkflowBusy',
} as const;

// ---------------------------------------------------------------------------------------------
// Fulfilment: order ⇄ wave ⇄ shipment

/** Stock arrived and was reserved for an order that waited for it (oldest first). */
export interface StockReserved {
  allocationId: string;
  plan: 'single' | 'split';
  shares: WarehouseShare[];
  reason: string;
  waitedSince: string;
}
export const stockReservedSignal = defineSignal<[StockReserved]>('stockReserved');

export interface ParcelAssignment {
  parcelId: string;
  shipmentId: string;
  /** This order's lines (and quantities) in the parcel. */
  contents: ParcelContent[];
  /** Other orders merged into the same parcel. */
  mergedWith: string[];
  reason: string;
}

/** The wave formed this order's parcels at one warehouse. */
export interface ParcelsAssigned {
  warehouse: string;
  waveId: string;
  allocationId: string;
  parcels: ParcelAssignment[];
}
export const parcelsAssignedSignal = defineSignal<[ParcelsAssigned]>('parcelsAssigned');

export const SHIPMENT_STAGES = [
  'picking',
  'picked',
  'packed',
  'labelled',
  'shipped',
  'tracking_uploaded',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'cancelled',
] as const;
export type ShipmentStage = (typeof SHIPMENT_STAGES)[number];

/** What a shipment tells each order it carries; the order writes it to its own timeline. */
export interface ShipmentProgress {
  shipmentId: string;
  parcelId: string;
  stage: ShipmentStage;
  at: string;
  detail: Record<string, unknown>;
  carrier?: CarrierCode;
  trackingNumber?: string;
  /** For `cancelled`: whether the order should wave its stock again, or re-allocate (units short). */
  cancel?: { reason: string; reallocate: boolean };
  /**
   * News that is not a new stage (the platform refused the tracking upload): the order records this
   * event on its timeline instead of the stage's.
   */
  event?: string;
}
export const shipmentProgressSignal = defineSignal<[ShipmentProgress]>('shipmentProgress');

/** An order's share at one warehouse, ready to ship, with what its shipment will need to know. */
export interface WaveEntry {
  ready: ReadyOrder;
  ref: Omit<ShipmentOrderRef, 'lineIds'>;
}
/**
 * What a wave keeps of an order in its history: a reference to the order's candidate row (the
 * whole entry waits in the database, db/queries/waves.ts), so waves of thousands of orders stay small.
 */
export interface WaveCandidate {
  orderId: string;
  joinKey: string;
  urgent: boolean;
  readyAt: string;
}
export const waveCandidateSignal = defineSignal<[WaveCandidate]>('candidateReady');
export const waveOrderWithdrawnSignal = defineSignal<[{ orderId: string; reason: string }]>('orderWithdrawn');
/** A person asks the warehouse's wave to form now, without waiting out its window (立即生成波次). */
export const waveFlushSignal = defineSignal<[{ actor: string }]>('flushNow');

export interface WaveStateView {
  warehouse: string;
  pending: { orderId: string; urgent: boolean; readyAt: string }[];
  nextFlushAt: string | null;
  wavesFormed: number;
  lastWaveId: string | null;
}
export const waveStateQuery = defineQuery<WaveStateView>('state');

/** One order a shipment carries, with what the shipment needs to know about it. */
export interface ShipmentOrderRef {
  orderId: string;
  platform: string;
  shopId: string;
  platformOrderId: string;
  type: string;
  receiver: Receiver;
  buyerRemark?: string;
  carrierPreference?: CarrierCode | null;
  /** The carrier the platform promised the buyer (PDD 顺丰包邮, Taobao EMS, JD 京配). */
  platformCarrier?: { carrier: CarrierCode; source: string } | null;
  paidAt?: string | null;
  /** Platform line ids this parcel ships for the order (split shipments upload per line). */
  lineIds: string[];
  /** Every line id of the order: a parcel carrying all of them ships the whole order. */
  orderLineIds: string[];
}

export interface ShipmentWorkflowInput {
  shipmentId: string;
  waveId: string;
  warehouse: string;
  parcel: Parcel;
  orders: ShipmentOrderRef[];
  /** Set when a run continued as new: where the parcel had got to (workflows/shipment-workflow.ts). */
  carried?: ShipmentCarried;
}

/** A shipment run's state, carried whole into the next run. */
export interface ShipmentRunSaved {
  stage: ShipmentStage;
  carrier: CarrierCode | null;
  carrierReason: string | null;
  trackingNumber: string | null;
  trackingStatus: string | null;
  exception: { kind: string; detail: string; since: string } | null;
  waitingFor: string | null;
  /** Absent from runs continued before waiting codes: their words are kept (`legacy`). */
  waiting?: Waiting | null;
  orderIds: string[];
  uploads: [string, { uploadedAt: string | null; attempts: number; skipped: string | null }][];
  wmsEvents: WmsEvent[];
  seenEventKeys: string[];
  tracking: TrackingSnapshot[];
  cancellations: { orderId: string; reason: string }[];
  handover: { actor: string; at: string } | null;
  phoneTail: string | null;
  locks: [string, string | null][];
  seq: number;
  timeline: { stage: string; at: string; detail: Record<string, unknown> }[];
  /** Address changes not yet acted on, the receivers in force, and the waybills issued so far. */
  readdress?: ShipmentReceiverChange[];
  receivers?: [string, ShipmentReceiverChange][];
  waybillAttempt?: number;
}

/**
 * Where a shipment continued as new: waiting for handover with its waybill, or following the
 * parcel after it shipped (the scans seen so far, and an exception a person has not answered yet).
 */
export type ShipmentCarried = CarrierShipmentCarried | PlatformShipmentCarried;

/** A parcel of our carrier's: at the dock with its waybill, or followed by its scans. */
export interface CarrierShipmentCarried {
  phase: 'handover' | 'tracking';
  run: ShipmentRunSaved;
  carrier: { carrier: CarrierCode; reason: string; costFen: number };
  waybill: Waybill;
  /** At the dock: the packed measures (a reissued waybill needs them) and whether address changes are followed. */
  dims?: { weightG: number; lengthMm?: number; widthMm?: number; heightMm?: number };
  followsAddress?: boolean;
  shippedAt?: string;
  follow?: {
    events: TrackingEvent[];
    lastActivityMs: number;
    resumedReport: string | null;
    /** A carrier-reported exception waiting for a person when the run ended. */
    open: { kind: string; report: string | null } | null;
  };
}

/** A parcel the platform's logistics carries, followed through the platform after handover. */
export interface PlatformShipmentCarried {
  phase: 'platform';
  run: ShipmentRunSaved;
  shipped: Extract<PlatformShipment, { kind: 'shipped' }>;
  shippedAt: string;
  follow: {
    /** The platform's last answer (`SHIPPED / LOGISTICS_PICKUP_DONE`), if any came. */
    lastStatus: string | null;
    /** The return report a person last resumed from: raised again only by a different one. */
    resumedReport: string | null;
    /** A return waiting for a person when the run ended. */
    open: string | null;
  };
}

export const shipmentWmsEventSignal = defineSignal<[WmsEvent]>('wmsEvent');
export const shipmentTrackingSignal = defineSignal<[TrackingSnapshot]>('tracking');
export const shipmentHandoverSignal = defineSignal<[{ actor: string; at: string }]>('handover');
export const shipmentCancelOrderSignal = defineSignal<[{ orderId: string; reason: string }]>('cancelOrder');
/**
 * Customer service locked or unlocked an order the parcel carries. While any of its orders is
 * locked the parcel gets no waybill and is not handed over; the carrier's first scan still counts
 * (the parcel has physically left).
 */
export interface ShipmentOrderLock {
  orderId: string;
  locked: boolean;
  reason: string | null;
}
export const shipmentOrderLockSignal = defineSignal<[ShipmentOrderLock]>('orderLock');
/**
 * The buyer changed an order's delivery address on the platform before handover: a waybill already
 * issued is cancelled and issued again to `receiver` (as the platform gives it; decrypted only for
 * the waybill), and the label printed again. A parcel carrying other orders too stops for a person.
 */
export interface ShipmentReceiverChange {
  orderId: string;
  receiver: Receiver;
  /** The receiver's fingerprint (domain/receiver-fingerprint.ts), for the shipment's timeline. */
  fingerprint: string;
}
export const shipmentReceiverChangedSignal = defineSignal<[ShipmentReceiverChange]>('receiverChanged');

export interface ShipmentResolution {
  /** resume: keep following the parcel; lost: close it as lost (orders are told). */
  action: 'resume' | 'lost';
  actor: Actor;
  note?: string;
}
export const resolveShipmentUpdate = defineUpdate<ShipmentStateView, [ShipmentResolution]>('resolveShipment');

export interface ShipmentStateView {
  shipmentId: string;
  warehouse: string;
  waveId: string;
  stage: ShipmentStage;
  orderIds: string[];
  carrier: CarrierCode | null;
  carrierReason: string | null;
  trackingNumber: string | null;
  trackingStatus: string | null;
  exception: { kind: string; detail: string; since: string } | null;
  /** Orders in the parcel that customer service locked: the parcel waits for them. */
  lockedOrders: { orderId: string; reason: string | null }[];
  waitingFor: string | null;
  waiting?: Waiting | null;
  uploads: { orderId: string; uploadedAt: string | null; attempts: number; skipped: string | null }[];
  timeline: { stage: string; at: string; detail: Record<string, unknown> }[];
}
export const shipmentStateQuery = defineQuery<ShipmentStateView>('state');

/** Stock was received: orders waiting for these SKUs may now be served (oldest first). */
export const stockArrivedSignal = defineSignal<[{ skus: string[]; receiptKey: string }]>('stockArrived');

/** The wave of one warehouse (`wave:{warehouse}`), started by the first order that joins it. */
export interface WaveWorkflowInput {
  warehouse: string;
  /** Waves formed so far (carried across continue-as-new, part of each wave's id). */
  seq: number;
  pending: WaveCandidate[];
}

// The shop sync (`shop-sync:{shopId}`): commands from webhooks, shop changes and message channels.

export interface FetchRequest {
  platformOrderId: string;
  /** What a refund push said, for platforms whose orders do not show refunds. */
  refund?: { status: RefundStatus; modifiedAt?: string; lineIds?: string[] };
  /** The platform's after-sales cases the push named: each is read and handed to its case workflow. */
  caseIds?: string[];
}

/** The request kept for an order, carrying every after-sales case either request named. */
export function keepCaseIds(
  kept: FetchRequest,
  earlier: FetchRequest | undefined,
  request: FetchRequest,
): FetchRequest {
  const caseIds = [...new Set([...(earlier?.caseIds ?? []), ...(request.caseIds ?? [])])];
  return caseIds.length ? { ...kept, caseIds } : kept;
}

export type ShopSyncCommand =
  /** Fetch these orders now (a webhook said they changed). */
  | { kind: 'fetch'; orders: FetchRequest[] }
  /** Settings or credentials changed: reload them, resume a paused sync, poll now. */
  | { kind: 'wake' }
  /** Sync disabled: finish the pending fetches and stop. */
  | { kind: 'stop' };

export const shopSyncSignal = defineSignal<[ShopSyncCommand]>('shopSync');

export interface SyncRoundView {
  startedAt: string;
  finishedAt: string | null;
  windows: number;
  pages: number;
  listed: number;
  submitted: number;
  unchanged: number;
  parked: number;
  refunds: number;
}

export interface ShopSyncState {
  shopId: string;
  platform: string | null;
  activity: 'starting' | 'polling' | 'fetching' | 'waiting' | 'retrying' | 'paused' | 'stopping';
  /** Orders modified before this are captured (the next poll starts `overlap` earlier). */
  cursor: string | null;
  refundCursor: string | null;
  pollIntervalSeconds: number | null;
  nextPollAt: string | null;
  pendingFetches: number;
  lastRound: SyncRoundView | null;
  consecutiveFailures: number;
  lastError: { message: string; type: string | null; at: string } | null;
  paused: { kind: string; message: string; since: string } | null;
  totals: { polls: number; submitted: number; fetched: number };
  pollsThisRun: number;
  /** Amazon: the returns report (docs/platforms/amazon-returns.md); absent elsewhere. */
  returns?: ShopSyncReturnsState;
}

/** Where an Amazon shop's returns report pass stands, carried across continue-as-new. */
export interface ShopSyncReturnsState {
  /** Returns requested before this were read (the next report starts `overlap` earlier). */
  cursor: string | null;
  /** A report asked for and not yet ready: read again each round. */
  pending: { reportId: string; from: string; to: string; requestedAt: string } | null;
  /** When the next report is asked for. */
  nextAt: string | null;
  lastRead: {
    reportId: string;
    status: string;
    rows: number;
    opened: number;
    known: number;
    /** Known returns whose rows changed: their cases were told (absent in runs before it). */
    updated?: number;
    unmatched: number;
    at: string;
  } | null;
}

export const shopSyncStateQuery = defineQuery<ShopSyncState>('state');

export interface ShopSyncInput {
  shopId: string;
  cursor?: string | null;
  refundCursor?: string | null;
  pending?: FetchRequest[];
  paused?: ShopSyncState['paused'];
  totals?: ShopSyncState['totals'];
  lastRound?: SyncRoundView | null;
  /** Failed calls in a row when the previous run handed over (the alert threshold counts on). */
  consecutiveFailures?: number;
  returns?: ShopSyncReturnsState;
}

// The TMC message channel of one TOP app (`tmc:{appKey}`).

export interface MessageChannelInput {
  appKey: string;
  /** Length of one consuming activity. */
  runSeconds: number;
  totals?: MessageChannelTotals;
  failures?: number;
}

export interface MessageChannelTotals {
  runs: number;
  consumes: number;
  received: number;
  handedOver: number;
  confirmed: number;
  unrouted: number;
  ignored: number;
}

export interface MessageChannelState {
  channel: 'tmc';
  appKey: string;
  totals: MessageChannelTotals;
  /** Consecutive failed consumes or hand-overs at the end of the last run. */
  failures: number;
  lastError: string | null;
  lastRunEndedAt: string | null;
}

export const messageChannelStateQuery = defineQuery<MessageChannelState>('state');

// Stock sync of one shop (`stock-sync:{shopId}`, docs/stock-sync.md).

export type StockSyncCommand =
  /** Listings or rules changed: run a pass now rather than at the next interval. */
  | { kind: 'wake' }
  /** Read every listing back from the platform now and correct drift. */
  | { kind: 'reconcile' }
  | { kind: 'stop' };

export const stockSyncSignal = defineSignal<[StockSyncCommand]>('stockSync');

export interface StockSyncTotals {
  passes: number;
  /** Ledger marks taken: what would have been a call each without coalescing. */
  marks: number;
  calls: number;
  refused: number;
  reconciliations: number;
  drifted: number;
}

export interface StockSyncState {
  shopId: string;
  activity: 'syncing' | 'reconciling' | 'waiting' | 'retrying' | 'stopped';
  lastPassAt: string | null;
  lastReconcileAt: string | null;
  lastError: { message: string; at: string } | null;
  totals: StockSyncTotals;
}

export const stockSyncStateQuery = defineQuery<StockSyncState>('state');

export interface StockSyncInput {
  shopId: string;
  /** How often the workflow looks for ledger changes (the coalescing window). */
  intervalSeconds: number;
  /** How often it reads every listing back from the platform. */
  reconcileSeconds: number;
  /** Passes before continuing as new. */
  passesPerRun?: number;
  /** WORKFLOW_HISTORY_LIMIT: events before continuing as new, whatever the pass count. */
  historyLimit?: number;
  lastReconcileAt?: string | null;
  totals?: StockSyncTotals;
  /** A reconcile asked for (signal) that the previous run had not started. */
  reconcileNow?: boolean;
}

// After-sales cases (`aftersale:{platform}:{shopId}:{platformCaseId}`, docs/after-sales.md).

export interface AfterSaleWorkflowInput {
  caseId: string;
  platform: string;
  shopId: string;
  platformCaseId: string;
  orderId: string;
  kind: AfterSaleKind;
  reason: string;
  lines: CaseLine[];
  requestedFen: number;
  /** The channel the buyer paid through (own store, mini-program): the refund goes back that way. */
  payment?: { channel: 'alipay' | 'wechatpay'; outTradeNo: string };
  openedAt: string;
  /** Agreed amounts above this need the finance role as well. */
  financeAboveFen: number;
  /** A return's waybill the buyer already has (their own courier): the case follows it. */
  returnWaybill?: ReturnWaybill;
  /** A marketplace's case as its platform had it when captured (the platform moves the money). */
  platformCase?: PlatformCase;
  /**
   * An own-store order's share of a lost parcel, refunded on the order by a person (customer service
   * or ops, `lostParcel` Update): that decision is the agreement, so the case refunds at once.
   */
  lostParcel?: { parcelId: string; decidedBy: string; decidedAt: string; reason: string };
  /** How long before the platform's seller deadline an undecided case escalates to a person. */
  escalateBeforeSeconds?: number;
  /** How often a return parcel is read by tracking until it is delivered (TRACKING_POLL_SECONDS). */
  trackingPollSeconds?: number;
  /**
   * A marketplace case opened again by the buyer after its workflow ended (a newer request on the
   * same platform case): this run's number (2 for the first reopening; its timeline steps carry it,
   * `decided@2`), how the case had ended, and the platform's status word then.
   */
  reopened?: { run: number; after: string; platformStatus: string | null };
}

/**
 * Agreed amounts above `aboveMinor` (in the case's currency, its minor unit) need the finance role
 * as well: `AFTER_SALE_FINANCE_ABOVE_FEN` (`aboveFen`, CNY) at the rate recorded on the order
 * (`rate`, CNY per unit; null for a CNY order).
 */
export interface FinanceLimit {
  aboveMinor: number;
  currency: string;
  rate: string | null;
  aboveFen: number;
}

/** A refund above the shop's approval limit: finance approves it before the platform is told. */
export interface RefundApprovalView {
  limit: FinanceLimit;
  /** The refund that needed approval (minor units of `limit.currency`), once one was agreed. */
  amountMinor: number | null;
  state: 'not_needed' | 'waiting' | 'approved' | 'rejected';
  by: string | null;
  at: string | null;
  reason?: string;
}

export interface AfterSaleStateView {
  caseId: string;
  orderId: string;
  kind: AfterSaleKind;
  status: AfterSaleStatus;
  /** What the case waits for now, in words; null when it is moving or done. */
  waitingFor: string | null;
  /** The same as a code with its particulars (domain/waiting.ts). */
  waiting?: Waiting | null;
  requestedFen: number;
  agreedFen: number | null;
  refundedFen: number;
  refund: { refundNo: string; state: string; amountFen: number } | null;
  outcome: string | null;
  decisions: Array<{
    decision: string;
    actor: string;
    at: string;
    amountFen?: number;
    reason?: string;
    note?: string;
  }>;
  /**
   * Marketplace cases: the finance limit in the order's currency; absent where the case asks in CNY
   * fen (own-store cases) or was opened before the limit was converted.
   */
  financeLimit?: FinanceLimit;
  /**
   * Marketplace cases of a shop with a refund approval limit (`refundApprovalAboveFen`): the limit in
   * the order's currency, and the refund waiting for finance (or approved, rejected) once one above
   * it was agreed. Absent: the shop sets no limit, or the case was opened before this existed.
   */
  refundApproval?: RefundApprovalView | null;
  /** The automatic refund audit's verdict (docs/after-sales.md); absent on cases opened before it. */
  audit?: AfterSaleAuditView | null;
  /** The parcel coming back (return and exchange cases), once the return was agreed. */
  returnParcel?: ReturnParcelState | null;
  /** Exchange cases: the replacement order and, once it shipped, its parcel's tracking number. */
  exchange?: { orderId: string; carrier: string | null; trackingNo: string | null } | null;
  /** A marketplace's case: where the platform says it stands, its deadlines, and its last answer to us. */
  platform?: {
    status: string;
    sellerDeadline: string | null;
    buyerDeadline: string | null;
    escalatedAt: string | null;
    lastAnswer: { action: 'agree' | 'refuse'; outcome: string; code?: string; message?: string } | null;
  };
  /** Lines already with the carrier: what the platform answered the shop's interception (absent: none asked). */
  intercept?: { outcome: string; code?: string; message?: string };
  /**
   * A stuck step a person may send again (Update `retry`): which one, and how it would go — the
   * same refund number read back first (`same`), or a new one because the channel ended the last
   * (`new`). Absent or null: nothing to retry.
   */
  retry?: { step: 'refund'; refundNo: string | null; number: 'same' | 'new'; retries: number } | null;
  /**
   * A platform exchange for another SKU, in the platform's words (Tmall `bought_sku` →
   * `exchange_sku`): agreeing names the replacement SKU (`replacements`).
   */
  skuSwap?: { bought: string; wanted: string } | null;
  /**
   * The exchange decisions the case takes now besides the usual (docs/after-sales.md "Douyin
   * exchange decisions"): `refuse` at second review once the goods are back (Douyin 312), `refund`
   * to turn the exchange into a refund (321). Absent or empty: none.
   */
  exchangeChoices?: Array<'refuse' | 'refund'> | null;
}

export interface ReturnParcelState {
  source: 'buyer' | 'sf' | 'cainiao' | null;
  carrierCode: string | null;
  trackingNo: string | null;
  status: string;
  /** Where tracking last saw it (a TrackingStatus), once it was scanned. */
  tracking?: string;
  /**
   * How the case follows it (cases agreed after pushes existed): `push` when the tracking service
   * pushes its scans here (besides a poll every TRACKING_POLL_SECONDS), `poll` otherwise, `none`
   * when no tracking service can follow it (the case waits for the warehouse's receipt).
   */
  followedBy?: 'push' | 'poll' | 'none';
  /** When its latest scan was (the carrier's time), once it was scanned. */
  scannedAt?: string;
  /**
   * Why the parcel is with a person now: no new scan for RETURN_NO_SCAN_SECONDS (`stalled`),
   * reported delivered RETURN_UNRECEIVED_SECONDS ago without the warehouse's receipt
   * (`unreceived`), or — a parcel no tracking service follows — sent back RETURN_UNTRACKED_SECONDS
   * ago and not at the warehouse (`overdue`, `since` when it was sent); null once it moves again.
   * The warehouse's receipt ends the wait either way.
   */
  attention?: { kind: 'stalled' | 'unreceived' | 'overdue'; since: string } | null;
}

export interface AfterSaleAuditView {
  verdict: 'agree' | 'hold' | 'person';
  /** The agree rule that decided the case. */
  agreedBy: string | null;
  holds: Array<{ ruleId: string; reason: string; clearedBy: 'customer-service' | 'finance'; detail: string }>;
}

/** Why a decision on a case is refused (the API maps them to 422, 409, 403). */
export const AFTER_SALE_FAILURES = {
  invalidPayload: DECISION_FAILURES.invalidPayload,
  notOpen: 'CaseNotOpen',
  wrongRole: DECISION_FAILURES.wrongRole,
  tooMuch: 'AmountAboveRequest',
} as const;

export const afterSaleStateQuery = defineQuery<AfterSaleStateView>('state');
export const afterSaleDecisionUpdate = defineUpdate<AfterSaleStateView, [AfterSaleDecision]>('decide');
/** A person sends the case's stuck step again (`view.retry` says which); answers with the case's state. */
export const afterSaleRetryUpdate = defineUpdate<AfterSaleStateView, [AfterSaleRetry]>('retry');
/** Finance approves (or rejects) a refund waiting above the shop's approval limit; answers with the case's state. */
export const afterSaleApprovalUpdate = defineUpdate<AfterSaleStateView, [AfterSaleApproval]>('approveRefund');
/** The warehouse received the case's return parcel (`POST /wms/returns/receipts`); the receipt is stored. */
export const returnReceivedSignal = defineSignal<[{ warehouse: string; at: string }]>('returnReceived');
/**
 * A tracking service pushed scans of the case's return parcel (`/webhooks/tracking/*`, matched by
 * carrier and tracking number): the case takes the scans it has not seen.
 */
export const returnTrackingSignal = defineSignal<[TrackingSnapshot]>('returnTracking');
/** A payment channel's verified notification about one of the case's refunds (a hint: the case reads the refund back). */
export const refundNoticeSignal = defineSignal<[{ refundNo: string; state: string }]>('refundNotice');
/**
 * What a marketplace said about a case since it was captured (a push, or the poll's incremental
 * list, read back with the platform's detail call). Repeats and older news change nothing.
 */
export const platformCaseSignal = defineSignal<[PlatformCase]>('platformCase');
/** The patch that takes marketplace cases down the platform path (docs/after-sales.md). */
export const PLATFORM_CASES_PATCH = 'after-sale-platform-cases';
/** The order's latest platform snapshot (after-sales cases change its lines' refund states from it). */
export const orderSnapshotQuery = defineQuery<NormalizedOrder>('snapshot');

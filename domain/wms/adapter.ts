import type { Handling, Parcel, ParcelContent, ParcelReceiver } from '../parcels/types.js';
import type { PickLine } from './pick-list.js';

/** The warehouse management systems a warehouse can be run by. */
export const WMS_KINDS = ['built_in', 'qimen'] as const;
export type WmsKind = (typeof WMS_KINDS)[number];

/**
 * What the order system asks of a warehouse management system, chosen per warehouse. The built-in
 * one keeps everything in Postgres (services/wms/built-in.ts); an external one (Qimen,
 * services/wms/qimen/) is told the same things over its own protocol, and its reports come back as
 * the same `WmsEvent`s, so the wave and shipment workflows never know which one ran the warehouse.
 */
export interface WmsAdapter {
  readonly kind: WmsKind;
  /**
   * Hands the wave's parcels to the warehouse: the built-in WMS writes a pick list in walking order
   * and one pack task per parcel; an external one gets one delivery order per parcel. Idempotent by
   * `waveId`.
   */
  createWave(input: CreateWaveInput): Promise<WaveCreated>;
  /** Stops work on a parcel (order cancelled or intercepted, or the parcel is short). */
  cancelTask(input: CancelTaskInput): Promise<ConfirmationResult>;
  /** The carrier has the parcel: its units leave the stock. Idempotent by key. */
  markShipped(input: MarkShippedInput): Promise<ShippedResult>;
  /** What the warehouse has confirmed so far: pick progress and each parcel's state. */
  loadWave(waveId: string): Promise<WaveView | undefined>;
  /**
   * Confirmations typed in on our own handhelds (`/wms/pick-confirmations`, `/wms/pack-confirmations`).
   * Absent for a WMS that reports by itself: its reports arrive through its own callback.
   */
  readonly handheld?: {
    confirmPick(input: PickConfirmation): Promise<ConfirmationResult>;
    confirmPack(input: PackConfirmation): Promise<ConfirmationResult>;
  };
}

/** What an external WMS needs to know about one order in the wave (who receives it, where from). */
export interface WaveOrderRef {
  orderId: string;
  platform: string;
  shopId: string;
  platformOrderId: string;
  receiver: ParcelReceiver;
  buyerRemark?: string;
  paidAt?: string | null;
}

export interface CreateWaveInput {
  waveId: string;
  warehouse: string;
  parcels: Parcel[];
  /** The orders the parcels carry; an external WMS prints their receivers. */
  orders?: WaveOrderRef[];
  actor?: string;
}

export interface WaveView {
  waveId: string;
  warehouse: string;
  wms: WmsKind;
  status: string;
  createdAt: Date;
  /** Empty for an external WMS: it keeps its own pick lists. */
  pickList: (PickLine & { picked: number; short: number; damaged: number; cancelled: number })[];
  packTasks: PackTask[];
}

export type PackTaskStatus = 'picking' | 'ready' | 'packed' | 'shipped' | 'exception' | 'cancelled';

export interface PackTask {
  parcelId: string;
  waveId: string;
  warehouse: string;
  handling: Handling;
  urgent: boolean;
  orderIds: string[];
  estimatedWeightG: number;
  status: PackTaskStatus;
  contents: ParcelContent[];
}

export interface WaveCreated {
  waveId: string;
  warehouse: string;
  pickList: PickLine[];
  packTasks: PackTask[];
  /** False when the wave already existed (a retried call). */
  created: boolean;
}

export const PICK_OUTCOMES = ['picked', 'short_picked', 'damaged'] as const;
export type PickOutcome = (typeof PICK_OUTCOMES)[number];

export interface PickConfirmation {
  /** Idempotency key: the same confirmation sent twice is recorded once. */
  key: string;
  waveId: string;
  /** The pick line's position on the list (`seq`). */
  line: number;
  outcome: PickOutcome;
  qty: number;
  actor: string;
  note?: string;
}

export interface PackConfirmation {
  key: string;
  parcelId: string;
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  actor: string;
}

export interface CancelTaskInput {
  key: string;
  parcelId: string;
  reason: string;
  actor: string;
}

export interface MarkShippedInput {
  key: string;
  parcelId: string;
  actor: string;
  waybill?: string;
}

export interface ShippedResult {
  replayed: boolean;
  shipped: { allocationId: string; sku: string; qty: number }[];
}

export interface ConfirmationResult {
  /** True when this key had been recorded before; the stored events are returned again. */
  replayed: boolean;
  events: WmsEvent[];
}

interface EventBase {
  /** Unique per event: receivers that see an event twice (a replayed confirmation) ignore the repeat. */
  eventKey: string;
  warehouse: string;
  waveId: string;
}

/** Every unit of the parcel is picked: it can be packed. */
export interface ParcelPickedEvent extends EventBase {
  type: 'parcel_picked';
  parcelId: string;
  orderIds: string[];
}

/**
 * Units for an order could not be picked (missing from the bin, or damaged). They have been written
 * off the stock; a replenishment request is open. The order must be re-allocated or held.
 */
export interface PickExceptionEvent extends EventBase {
  type: 'pick_exception';
  kind: 'short_picked' | 'damaged';
  exceptionId: number;
  parcelId: string;
  orderId: string;
  allocationId: string;
  sku: string;
  bin: string | null;
  qty: number;
  replenishmentRequestId: number;
}

/** Picking for the parcel is finished but some units are missing: it cannot ship as formed. */
export interface ParcelShortEvent extends EventBase {
  type: 'parcel_short';
  parcelId: string;
  orderIds: string[];
  missing: { orderId: string; allocationId: string; sku: string; qty: number }[];
}

export interface ParcelPackedEvent extends EventBase {
  type: 'parcel_packed';
  parcelId: string;
  orderIds: string[];
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  actor: string;
}

/**
 * The warehouse says the carrier took the parcel (an external WMS's shipping confirmation). The API
 * delivers it as the shipment's handover signal, the same one `POST /wms/handovers` sends.
 */
export interface ParcelHandedOverEvent extends EventBase {
  type: 'parcel_handed_over';
  parcelId: string;
  orderIds: string[];
  trackingNumber: string;
  actor: string;
  at: string;
}

export interface WavePickedEvent extends EventBase {
  type: 'wave_picked';
}

export interface PackTaskCancelledEvent extends EventBase {
  type: 'pack_task_cancelled';
  parcelId: string;
  orderIds: string[];
  reason: string;
}

export type WmsEvent =
  | ParcelPickedEvent
  | PickExceptionEvent
  | ParcelShortEvent
  | ParcelPackedEvent
  | WavePickedEvent
  | PackTaskCancelledEvent
  | ParcelHandedOverEvent;

export type WmsEventType = WmsEvent['type'];

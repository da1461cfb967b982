import type { Handling, Parcel, ParcelContent } from '../parcels/types.js';
import type { PickLine } from './pick-list.js';

/**
 * What the order system asks of a warehouse management system. The built-in one keeps everything
 * in Postgres (activities/wms/built-in.ts); a seller with their own WMS supplies another
 * implementation and the workflows do not change.
 */
export interface WmsAdapter {
  /** Creates the wave's pick list and one pack task per parcel. Idempotent by `waveId`. */
  createWave(input: CreateWaveInput): Promise<WaveCreated>;
  confirmPick(input: PickConfirmation): Promise<ConfirmationResult>;
  confirmPack(input: PackConfirmation): Promise<ConfirmationResult>;
  /** Stops work on a parcel (order cancelled or intercepted); the units not yet shipped go back. */
  cancelTask(input: CancelTaskInput): Promise<ConfirmationResult>;
}

export interface CreateWaveInput {
  waveId: string;
  warehouse: string;
  parcels: Parcel[];
  actor?: string;
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
  | PackTaskCancelledEvent;

export type WmsEventType = WmsEvent['type'];

import type { OrderType, RefundStatus } from '../order.js';

/** One order line (or part of it) waiting in a warehouse to be packed. */
export interface ParcelItem {
  lineId: string;
  sku: string;
  qty: number;
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  flags: readonly string[];
}

export interface ParcelReceiver {
  name: string;
  phone: string;
  country?: string;
  province: string;
  city?: string;
  district?: string;
  town?: string;
  detail: string;
  protected?: boolean;
  addressHandle?: string;
}

/** An order's share of one warehouse, ready to ship. Split orders appear once per warehouse. */
export interface ReadyOrder {
  orderId: string;
  allocationId: string;
  platform: string;
  shopId: string;
  buyerId: string;
  receiver: ParcelReceiver;
  type: OrderType;
  refundStatus: RefundStatus;
  held: boolean;
  locked: boolean;
  /** Livestream and flagged orders: picked first and never kept waiting for a merge. */
  urgent: boolean;
  /** When it became ready to ship (ISO date-time). */
  readyAt: string;
  warehouse: string;
  lines: readonly ParcelItem[];
}

export interface MergePolicy {
  /** Merge at all. */
  enabled: boolean;
  /** Merge orders of the same buyer across the seller's shops on the same platform. */
  crossShop: boolean;
  /** Orders ready further apart than this do not merge; unset: the wave's window decides. */
  windowSeconds?: number;
  mergeHeld: boolean;
  mergeLocked: boolean;
  mergeRefunding: boolean;
  mergePresale: boolean;
  /** Pack fragile items apart from others. */
  separateFragile: boolean;
}

export const DEFAULT_MERGE_POLICY: MergePolicy = {
  enabled: true,
  crossShop: false,
  mergeHeld: false,
  mergeLocked: false,
  mergeRefunding: false,
  mergePresale: false,
  separateFragile: false,
};

export interface CarrierLimits {
  maxWeightG?: number;
  maxVolumeCm3?: number;
}

export type Handling = 'cold_chain' | 'fragile' | 'normal';

export interface ParcelContent {
  orderId: string;
  allocationId: string;
  lineId: string;
  sku: string;
  qty: number;
}

export interface Parcel {
  id: string;
  warehouse: string;
  handling: Handling;
  urgent: boolean;
  mergeKey: string;
  orderIds: string[];
  contents: ParcelContent[];
  weightG: number;
  volumeCm3: number;
  /** A single unit heavier or bulkier than the carrier allows: it ships alone and needs another carrier. */
  overLimit: boolean;
  /** Why this parcel is shaped as it is, for the timeline. */
  reason: string;
}

import type { NormalizedOrder } from '../order.js';
import type { ParcelItem, ReadyOrder } from './types.js';

export interface ReadyOrderInput {
  orderId: string;
  order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'buyer' | 'receiver' | 'type' | 'refundStatus'>;
  allocationId: string;
  /** The allocation's warehouse shares (`AllocateOrderResult.shares`). */
  shares: readonly { warehouse: string; lines: readonly ParcelItem[] }[];
  held?: boolean;
  locked?: boolean;
  urgent?: boolean;
  readyAt: string;
}

/** An allocated order as the waves of its warehouses see it: one ready order per warehouse share. */
export function readyOrdersFor(input: ReadyOrderInput): ReadyOrder[] {
  return input.shares.map((share) => ({
    orderId: input.orderId,
    allocationId: input.allocationId,
    platform: input.order.platform,
    shopId: input.order.shopId,
    buyerId: input.order.buyer.id,
    receiver: input.order.receiver,
    type: input.order.type,
    refundStatus: input.order.refundStatus,
    held: input.held ?? false,
    locked: input.locked ?? false,
    urgent: input.urgent ?? input.order.type === 'livestream',
    readyAt: input.readyAt,
    warehouse: share.warehouse,
    lines: share.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      qty: l.qty,
      weightG: l.weightG,
      lengthMm: l.lengthMm,
      widthMm: l.widthMm,
      heightMm: l.heightMm,
      flags: l.flags,
    })),
  }));
}

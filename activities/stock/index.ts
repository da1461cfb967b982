import type { Db } from '../../db/connect.js';
import { resolveOrderLines } from '../../db/queries/catalog.js';
import {
  ordersWaitingForStock,
  releaseStock,
  returnRestock,
  settleResumedWaits,
  type ReleaseInput,
  type ReturnRestockInput,
} from '../../db/queries/stock.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { Context } from '@temporalio/activity';
import {
  allocateOrder,
  allocateWaitingOrders,
  allocateWaitingPage,
  type AllocateOrderInput,
  type WaitingPageCursor,
} from './allocate.js';
import { asActivity } from './failures.js';

export type {
  AllocateOrderInput,
  AllocateOrderResult,
  ResumedOrder,
  StockWaitRequest,
  WaitingPageCursor,
  WaitingPageResult,
  WarehouseShare,
} from './allocate.js';

export interface StockActivityDeps {
  db: Db;
}

/**
 * Stock activities for the order workflow. Every write is idempotent by a key the workflow derives
 * from its id and step, because activities retry.
 */
export function createStockActivities({ db }: StockActivityDeps) {
  return {
    /** Maps order lines to internal SKUs and expands bundles; unmapped lines are reported, not thrown. */
    async resolveOrderLines(input: { order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'lines'> }) {
      return asActivity(() => resolveOrderLines(db, input.order));
    },

    /** Plans and reserves; out of stock joins the wait queue and requests replenishment. */
    async allocateOrder(input: AllocateOrderInput) {
      return asActivity(() => allocateOrder(db, input));
    },

    /**
     * Releases what an order (or one allocation) holds, at any stage before shipping; units already
     * shipped are listed so the caller can follow the parcel's return.
     */
    async releaseOrderStock(input: ReleaseInput) {
      return asActivity(async () => (await releaseStock(db, input)).outcome);
    },

    /** After a receipt: reserve for waiting orders, oldest first; signal each resumed order's workflow. */
    async allocateWaitingOrders(input: { skus?: string[]; actor?: string; limit?: number }) {
      return asActivity(() => allocateWaitingOrders(db, input, (at) => Context.current().heartbeat(at)));
    },

    /**
     * One page of a receipt's pass over the stock-wait queue (keyset by queue position), heartbeating
     * per order; a retried page finds the reservations it already made (see allocateWaitingPage).
     */
    async allocateWaitingPage(input: {
      skus: string[];
      actor?: string;
      pageSize: number;
      cursor: WaitingPageCursor;
    }) {
      return asActivity(() => allocateWaitingPage(db, input, (at) => Context.current().heartbeat(at)));
    },

    /** A receipt's last page told its orders: their queue entries go. */
    async settleStockWaits(input: { entries: { orderId: string; seq: number }[] }) {
      return asActivity(() => settleResumedWaits(db, input.entries));
    },

    /** The waiting queue itself, oldest first, for callers that prefer to signal and let orders re-plan. */
    async ordersWaitingForStock(input: { skus: string[]; limit?: number }) {
      const rows = await ordersWaitingForStock(db, input.skus, input.limit);
      return rows.map((r) => ({ ...r, waitingSince: r.waitingSince.toISOString() }));
    },

    /** Shelves returned or intercepted units again. */
    async returnRestock(input: ReturnRestockInput) {
      return asActivity(async () => (await returnRestock(db, input)).outcome);
    },
  };
}

export type StockActivities = ReturnType<typeof createStockActivities>;

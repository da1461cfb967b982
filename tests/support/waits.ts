import type { Client } from '@temporalio/client';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import {
  shipmentStateQuery,
  stateQuery,
  type OrderStateView,
  type ShipmentStateView,
} from '../../workflows/messages.js';

/**
 * How long a test waits for something the system will do by itself. Minutes: the suite must pass on
 * a machine busy with other test files, a dev stack and a benchmark; a wait that holds only on a
 * quiet machine is a timing, not a condition. (vitest.config.ts gives `expect.poll` the same.)
 */
export const PATIENCE_MS = 180_000;

export async function waitForOrderStatus(db: Db, orderId: string, status: string, timeout = PATIENCE_MS) {
  await expect
    .poll(
      async () =>
        (await db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst())?.status,
      { timeout, interval: 100 },
    )
    .toBe(status);
}

export async function waitForState(
  client: Client,
  orderId: string,
  predicate: (state: OrderStateView) => boolean,
  timeout = PATIENCE_MS,
): Promise<OrderStateView> {
  let last: OrderStateView | undefined;
  await expect
    .poll(
      async () => {
        try {
          last = await client.workflow.getHandle(orderId).query(stateQuery);
          return predicate(last);
        } catch {
          return false;
        }
      },
      { timeout, interval: 100 },
    )
    .toBe(true);
  return last!;
}

/** Waits until the parcel's shipment (`shipment:{parcelId}`) answers a state that `predicate` accepts. */
export async function waitForShipmentState(
  client: Client,
  parcelId: string,
  predicate: (state: ShipmentStateView) => boolean,
): Promise<ShipmentStateView> {
  let last: ShipmentStateView | undefined;
  await expect
    .poll(async () => {
      last = await client.workflow.getHandle(`shipment:${parcelId}`).query(shipmentStateQuery);
      return predicate(last);
    })
    .toBe(true);
  return last!;
}

/** The stages on the order's timeline, in order. */
export async function timelineStages(db: Db, orderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('order_events')
    .select('stage')
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  return rows.map((e) => e.stage);
}

/** Waits until the order's timeline has recorded `stage`. */
export async function waitForStage(db: Db, orderId: string, stage: string, timeout = PATIENCE_MS) {
  await expect.poll(() => timelineStages(db, orderId), { timeout, interval: 100 }).toContain(stage);
}

import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { appendOrderEvent, upsertOrderSnapshot, type OrderEventInput } from '../db/queries/orders.js';
import { findShop } from '../db/queries/shops.js';
import type { NormalizedOrder } from '../domain/order.js';
import { ApplicationFailure } from '@temporalio/common';

export interface OrderProjectionDeps {
  db: Db;
  config: Pick<Config, 'UNPAID_CANCEL_SECONDS'>;
}

export interface OrderPolicy {
  unpaidCancelSeconds: number;
}

/**
 * The queryable projection of every order: the `orders` row, its lines and the timeline.
 * Each write is keyed by the order id and the workflow's event sequence, so a retried activity
 * writes nothing twice.
 */
export function createOrderProjectionActivities({ db, config }: OrderProjectionDeps) {
  return {
    async recordOrderSnapshot(input: { orderId: string; order: NormalizedOrder; event?: OrderEventInput }) {
      return db.transaction().execute(async (trx) => {
        const changed = await upsertOrderSnapshot(
          trx,
          input.orderId,
          input.order,
          input.event?.status ?? 'captured',
        );
        if (input.event) await appendOrderEvent(trx, input.event);
        return changed;
      });
    },

    async recordOrderEvent(event: OrderEventInput): Promise<boolean> {
      return appendOrderEvent(db, event);
    },

    async loadOrderPolicy(input: { shopId: string }): Promise<OrderPolicy> {
      const shop = await findShop(db, input.shopId);
      if (!shop) {
        throw ApplicationFailure.create({
          type: 'UnknownShop',
          message: `shop ${input.shopId} does not exist`,
          nonRetryable: true,
        });
      }
      const settings = shop.settings as { unpaidCancelSeconds?: unknown };
      const unpaid = Number(settings.unpaidCancelSeconds);
      return {
        unpaidCancelSeconds: Number.isFinite(unpaid) && unpaid > 0 ? unpaid : config.UNPAID_CANCEL_SECONDS,
      };
    },
  };
}

export type OrderProjectionActivities = ReturnType<typeof createOrderProjectionActivities>;

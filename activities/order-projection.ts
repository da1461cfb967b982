import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { raiseAlert } from '../db/queries/alerts.js';
import {
  appendOrderEvent,
  appendOrderEvents,
  upsertOrderSnapshot,
  type OrderEventInput,
} from '../db/queries/orders.js';
import { findShop } from '../db/queries/shops.js';
import { dataKeyring, type DataKeysConfig } from '../db/crypto/data-keys.js';
import type { NormalizedOrder } from '../domain/order.js';
import { resolveOrderPolicy, type OrderPolicy } from '../domain/order-policy.js';

export interface OrderProjectionDeps {
  db: Db;
  config: DataKeysConfig &
    Pick<
      Config,
      | 'UNPAID_CANCEL_SECONDS'
      | 'UNPAID_REMINDER_SECONDS'
      | 'PRESALE_DEPOSIT_SECONDS'
      | 'PRESALE_BALANCE_SECONDS'
      | 'PAYMENT_TOLERANCE_FEN'
      | 'HOLD_SLA_SECONDS'
      | 'SHIP_BY_SECONDS'
      | 'SHIP_BY_WARNING_SECONDS'
    >;
}

/**
 * The queryable projection of every order: the `orders` row, its lines, holds and timeline.
 * Each write is keyed by the order id and the workflow's event sequence, so a retried activity
 * writes nothing twice and an older write never overwrites a newer one.
 */
export function createOrderProjectionActivities({ db, config }: OrderProjectionDeps) {
  const ring = dataKeyring(config);
  const defaults: OrderPolicy = {
    unpaidCancelSeconds: config.UNPAID_CANCEL_SECONDS,
    unpaidReminderSeconds: config.UNPAID_REMINDER_SECONDS ?? null,
    presaleDepositSeconds: config.PRESALE_DEPOSIT_SECONDS,
    presaleBalanceSeconds: config.PRESALE_BALANCE_SECONDS,
    paymentToleranceFen: config.PAYMENT_TOLERANCE_FEN,
    holdSlaSeconds: config.HOLD_SLA_SECONDS,
    shipBySeconds: config.SHIP_BY_SECONDS,
    shipByWarningSeconds: config.SHIP_BY_WARNING_SECONDS,
    liveRoom: null,
    urgentCarrier: null,
  };
  async function loadPolicy(shopId: string): Promise<OrderPolicy> {
    const shop = await findShop(db, shopId);
    if (!shop) {
      throw ApplicationFailure.create({
        type: 'UnknownShop',
        message: `shop ${shopId} does not exist`,
        nonRetryable: true,
      });
    }
    return resolveOrderPolicy(defaults, shop.settings).policy;
  }

  return {
    async recordOrderSnapshot(input: { orderId: string; order: NormalizedOrder; event?: OrderEventInput }) {
      return db.transaction().execute(async (trx) => {
        const changed = await upsertOrderSnapshot(
          trx,
          ring,
          input.orderId,
          input.order,
          input.event?.status ?? 'captured',
        );
        if (input.event) await appendOrderEvent(trx, ring, input.event);
        return changed;
      });
    },

    /** An order the shop must look at (shipped from the platform's back office while waiting here). */
    async raiseOrderAlert(input: {
      shopId: string;
      kind: 'shipped_on_platform' | 'address_changed_after_handover' | 'parcel_lost' | 'lost_parcel_refund';
      message: string;
    }) {
      await raiseAlert(db, input);
    },

    async recordOrderEvent(event: OrderEventInput): Promise<boolean> {
      return db.transaction().execute((trx) => appendOrderEvent(trx, ring, event));
    },

    /** A stage's events at once (order-combined-stage-writes): one transaction, one activity. */
    async recordOrderEvents(input: { events: OrderEventInput[] }): Promise<void> {
      await appendOrderEvents(db, ring, input.events);
    },

    async loadOrderPolicy(input: { shopId: string }): Promise<OrderPolicy> {
      return loadPolicy(input.shopId);
    },

    /**
     * The capture's snapshot and event, and the shop's policy the order runs under, in one
     * activity (order-combined-stage-writes): before, two in a row with nothing decided between.
     */
    async captureOrder(input: {
      orderId: string;
      order: NormalizedOrder;
      event: OrderEventInput;
    }): Promise<OrderPolicy> {
      await db.transaction().execute(async (trx) => {
        await upsertOrderSnapshot(trx, ring, input.orderId, input.order, input.event.status);
        await appendOrderEvent(trx, ring, input.event);
      });
      return loadPolicy(input.order.shopId);
    },
  };
}

export type OrderProjectionActivities = ReturnType<typeof createOrderProjectionActivities>;

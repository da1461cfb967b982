import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { raiseAlert } from '../db/queries/alerts.js';
import { sendCancellationCallback } from '../integrations/platforms/own/index.js';
import { ownStoreCallbackTarget } from './capture/shop-adapters.js';

export interface OrderPaymentDeps {
  db: Db;
  config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'>;
}

/**
 * The two things the payment phase tells the outside world: ops, when a marketplace order stays
 * unpaid past the shop's reminder (the platform, not us, will close it), and a seller's own store,
 * when the ERP cancels one of its orders.
 */
export function createOrderPaymentActivities(deps: OrderPaymentDeps) {
  return {
    async remindUnpaid(input: {
      orderId: string;
      shopId: string;
      platformOrderId: string;
      /** What is late: the payment, a presale deposit or balance. */
      phase: 'payment' | 'deposit' | 'balance';
      since: string;
    }): Promise<void> {
      await raiseAlert(deps.db, {
        shopId: input.shopId,
        kind: 'unpaid_overdue',
        message: `order ${input.orderId} (${input.platformOrderId}): ${input.phase} still outstanding since ${input.since}; the platform closes it if the buyer never pays`,
      });
    },

    /** Retried by Temporal until the store answers 2xx; a store with no callback URL is recorded as such. */
    async tellOwnStoreCancelled(input: {
      shopId: string;
      platformOrderId: string;
      reason: string;
      cancelledAt: string;
    }): Promise<{ outcome: 'sent'; deliveryId: string } | { outcome: 'unsupported'; reason: string }> {
      const target = await ownStoreCallbackTarget(deps, input.shopId);
      if ('unsupported' in target) return { outcome: 'unsupported', reason: target.unsupported };
      const { deliveryId } = await sendCancellationCallback(target, input);
      return { outcome: 'sent', deliveryId };
    },
  };
}

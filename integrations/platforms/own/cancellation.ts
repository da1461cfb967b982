import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CallbackEnvelopeSchema,
  postOwnStoreCallback,
  signedCallback,
  type OwnStoreCallbackTarget,
} from './fulfilment.js';

export const CANCELLATION_EVENT = 'order.cancelled';

/**
 * The ERP telling a seller's own store that it cancelled one of its orders (the buyer did not pay
 * within the shop's unpaid-cancel time, or a reviewer rejected it). For own stores the ERP owns the
 * payment window, so the store hears it from us. Public API (docs/own-store-push.md).
 */
export const CancellationCallbackSchema = CallbackEnvelopeSchema.extend({
  event: z.literal(CANCELLATION_EVENT),
  /** Why: `unpaid_timeout`, `presale_deposit_unpaid`, `presale_balance_unpaid`, `rejected_by_reviewer`, … */
  reason: z.string().min(1).max(64),
  cancelledAt: z.iso.datetime({ offset: true }),
});
export type CancellationCallback = z.infer<typeof CancellationCallbackSchema>;

export interface OwnStoreCancellation {
  platformOrderId: string;
  reason: string;
  cancelledAt: string;
}

/** One id per shop and order: an order is cancelled once, and every retry carries the same id. */
export function cancellationDeliveryId(shopId: string, platformOrderId: string): string {
  const key = `${shopId}\n${platformOrderId}\ncancelled`;
  return `can_${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}`;
}

export function renderCancellationCallback(
  secret: string,
  shopId: string,
  cancellation: OwnStoreCancellation,
): { deliveryId: string; headers: Record<string, string>; body: string } {
  const deliveryId = cancellationDeliveryId(shopId, cancellation.platformOrderId);
  const callback: CancellationCallback = {
    event: CANCELLATION_EVENT,
    deliveryId,
    shopId,
    platformOrderId: cancellation.platformOrderId,
    reason: cancellation.reason,
    cancelledAt: cancellation.cancelledAt,
  };
  return signedCallback(secret, deliveryId, CANCELLATION_EVENT, callback);
}

/** Tells the store its order was cancelled; throws like the fulfilment callback so the caller retries. */
export async function sendCancellationCallback(
  target: OwnStoreCallbackTarget,
  cancellation: OwnStoreCancellation,
): Promise<{ deliveryId: string }> {
  const rendered = renderCancellationCallback(target.webhookSecret, target.shopId, cancellation);
  await postOwnStoreCallback(target, rendered, 'cancellation');
  return { deliveryId: rendered.deliveryId };
}

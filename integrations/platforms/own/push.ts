import { randomUUID } from 'node:crypto';
import type { OrderPush } from '../../../domain/order.js';
import { signOwnPush } from './sign.js';

export const OWN_SIGNATURE_HEADER = 'X-Erp-Hmac-Sha256';
export const OWN_DELIVERY_HEADER = 'X-Erp-Delivery-Id';

/**
 * A ready-to-send own-store push: the JSON body and its headers. Resend the same delivery id when
 * retrying the same push, so the ERP can tell a retry from a new push.
 */
export function renderOwnPush(
  secret: string,
  push: OrderPush,
  deliveryId: string = randomUUID(),
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(push);
  return {
    headers: {
      'Content-Type': 'application/json',
      [OWN_SIGNATURE_HEADER]: signOwnPush(secret, body),
      [OWN_DELIVERY_HEADER]: deliveryId,
    },
    body,
  };
}

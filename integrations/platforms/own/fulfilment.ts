import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CarrierCodeSchema } from '../../../domain/carriers/codes.js';
import { carrierProfile } from '../../../domain/carriers/registry.js';
import { PlatformOrderIdSchema, ShopIdSchema } from '../../../domain/ids.js';
import { RequestRejectedError } from '../errors.js';
import { httpCall } from '../http.js';
import type { ShipmentConfirmation } from '../types.js';
import { OWN_DELIVERY_HEADER, OWN_SIGNATURE_HEADER } from './push.js';
import { signOwnPush } from './sign.js';

/** Names the kind of callback, so a store can route several on one URL. */
export const OWN_EVENT_HEADER = 'X-Erp-Event';
export const FULFILMENT_EVENT = 'order.shipped';

/**
 * The body of a fulfilment callback: the ERP telling a seller's own store that (part of) an order
 * left the warehouse, with the carrier and tracking number to show the buyer. Public API
 * (docs/own-store-push.md; JSON Schema at `GET /schemas/fulfilment-callback.json`).
 */
/** What every callback to an own store carries: which delivery, shop and order it is about. */
export const CallbackEnvelopeSchema = z.object({
  /** The same on every retry of this callback; also sent as `X-Erp-Delivery-Id`. */
  deliveryId: z.string().min(1).max(64),
  shopId: ShopIdSchema,
  /** The store's own order number, as it pushed it. */
  platformOrderId: PlatformOrderIdSchema,
});

export const FulfilmentCallbackSchema = CallbackEnvelopeSchema.extend({
  event: z.literal(FULFILMENT_EVENT),
  carrier: z.object({
    /** The ERP's carrier code (SF, ZTO, JD, EMS, …). */
    code: CarrierCodeSchema,
    nameZh: z.string(),
    nameEn: z.string(),
  }),
  trackingNumber: z.string().min(1).max(64),
  shippedAt: z.iso.datetime({ offset: true }),
  /** True when this parcel carries the whole order; otherwise `lineIds` names the lines in it. */
  wholeOrder: z.boolean(),
  lineIds: z.array(z.string()).optional(),
});
export type FulfilmentCallback = z.infer<typeof FulfilmentCallbackSchema>;

/**
 * One id per shop, order and tracking number, so every retry of the same callback carries the same
 * id and the store can recognise it.
 */
export function fulfilmentDeliveryId(shopId: string, confirmation: ShipmentConfirmation): string {
  const key = `${shopId}\n${confirmation.platformOrderId}\n${confirmation.trackingNumber}`;
  return `ful_${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The callback as sent: the JSON body (deterministic for a given shipment, so a retry sends the
 * same bytes) and its headers, signed like the store's pushes to us.
 */
export function renderFulfilmentCallback(
  secret: string,
  shopId: string,
  confirmation: ShipmentConfirmation,
): { deliveryId: string; headers: Record<string, string>; body: string } {
  const deliveryId = fulfilmentDeliveryId(shopId, confirmation);
  const profile = carrierProfile(confirmation.carrier);
  const callback: FulfilmentCallback = {
    event: FULFILMENT_EVENT,
    deliveryId,
    shopId,
    platformOrderId: confirmation.platformOrderId,
    carrier: { code: confirmation.carrier, nameZh: profile.nameZh, nameEn: profile.nameEn },
    trackingNumber: confirmation.trackingNumber,
    shippedAt: confirmation.shippedAt.toISOString(),
    wholeOrder: !confirmation.lineIds,
    ...(confirmation.lineIds ? { lineIds: confirmation.lineIds } : {}),
  };
  return signedCallback(secret, deliveryId, FULFILMENT_EVENT, callback);
}

/** A callback's bytes and headers, signed like the store's pushes to us. */
export function signedCallback(
  secret: string,
  deliveryId: string,
  event: string,
  callback: unknown,
): { deliveryId: string; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(callback);
  return {
    deliveryId,
    headers: {
      'Content-Type': 'application/json',
      [OWN_SIGNATURE_HEADER]: signOwnPush(secret, body),
      [OWN_DELIVERY_HEADER]: deliveryId,
      [OWN_EVENT_HEADER]: event,
    },
    body,
  };
}

export interface OwnStoreCallbackTarget {
  shopId: string;
  /** The store's fulfilment callback URL (the shop's `baseUrl`). */
  url: string;
  /** The shop's webhook secret: the same key signs both directions. */
  webhookSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Ship confirmation for a seller's own store: a signed POST to its callback URL. A 2xx means the
 * store has it. 429 and 5xx (and timeouts) are retryable platform errors; any other answer is a
 * refusal naming the status. Either way the caller's activity retries with its backoff, sending the
 * same delivery id each time, so a store that stored a callback but failed to answer sees a repeat
 * it can ignore.
 */
export function createOwnStoreShipper(target: OwnStoreCallbackTarget) {
  return {
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const rendered = renderFulfilmentCallback(target.webhookSecret, target.shopId, confirmation);
      await postOwnStoreCallback(target, rendered, 'fulfilment');
    },
  };
}

/** Posts one signed callback to the store; anything but a 2xx is an error the caller retries. */
export async function postOwnStoreCallback(
  target: OwnStoreCallbackTarget,
  rendered: { headers: Record<string, string>; body: string },
  what: string,
): Promise<void> {
  const result = await httpCall({
    platform: 'own',
    url: target.url,
    method: 'POST',
    headers: rendered.headers,
    body: rendered.body,
    ...(target.fetch ? { fetch: target.fetch } : {}),
    ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}),
  });
  if (result.status < 200 || result.status >= 300) {
    throw new RequestRejectedError(
      `own store ${target.shopId} answered its ${what} callback with ${result.status}: ${result.text.slice(0, 200)}`,
      'own',
      String(result.status),
    );
  }
}

import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { checkedWindow } from '../window.js';
import { ebayCarrierCode } from './carriers.js';
import { createEbayClient } from './client.js';
import { ebayOrderId, normalizeEbayOrder } from './normalize.js';
import { EbayFulfillmentListSchema, EbayOrderPageSchema, EbayOrderSchema, type EbayOrder } from './wire.js';

/**
 * `getOrders` (§10): `filter=lastmodifieddate:[from..to]`, `limit`/`offset` paging (the largest
 * `limit`, 200, is UNCONFIRMED), orders of the last 90 days by default. No window limit is
 * published; we read at most 7 days per call so a catch-up stays in pages of a reasonable count.
 */
export const EBAY_LIMITS: PlatformLimits = {
  maxWindowSeconds: 7 * 24 * 3600,
  maxPageSize: 200,
  maxLookbackDays: 90,
};

/**
 * Offset paging over a list that changes while it is read loses an order when one read earlier
 * leaves the window: the next page starts this many places before the end of the previous one, and
 * orders read twice are taken in once.
 */
const PAGE_OVERLAP = 20;
const ORDER_PATH = '/sell/fulfillment/v1/order';

/**
 * eBay adapter (Sell Fulfillment API, OAuth user token). `ctx.credentials`: appKey/appSecret = the
 * app's client id and secret (token refresh), accessToken/refreshToken of the seller;
 * `extra.carrierCodes`, `extra.scopes`, `extra.tokenUrl`, `extra.marketplaceId`;
 * `ctx.platformShopId` is the seller's eBay user id.
 */
export function createEbayAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createEbayClient(ctx);
  const shop = { shopId: ctx.shopId };

  const read = (raw: unknown): EbayOrder => {
    const parsed = EbayOrderSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `ebay order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'ebay',
      'unexpected_response',
    );
  };
  const fetchOrder = async (orderId: string) =>
    read(
      (await client.call('GET', `${ORDER_PATH}/${encodeURIComponent(ebayOrderId(orderId))}`, z.unknown()))
        .data,
    );

  return {
    platform: 'ebay',
    limits: EBAY_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('ebay', window, EBAY_LIMITS.maxWindowSeconds);
      const offset = Number(window.cursor ?? 0);
      const limit = EBAY_LIMITS.maxPageSize;
      // eBay's range is inclusive at both ends; ours ends before `to`.
      const range = `[${new Date(fromMs).toISOString()}..${new Date(toMs - 1).toISOString()}]`;
      const query = new URLSearchParams({
        filter: `lastmodifieddate:${range}`,
        limit: String(limit),
        offset: String(offset),
      });
      const { data } = await client.call('GET', `${ORDER_PATH}?${query}`, EbayOrderPageSchema);
      const orders = data.orders.map(read);
      return {
        orders: orders.map((o) => normalizeEbayOrder(o, shop)),
        nextCursor: orders.length < limit ? null : String(offset + limit - PAGE_OVERLAP),
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeEbayOrder(await fetchOrder(platformOrderId), shop);
    },

    /**
     * `createShippingFulfillment` (§10, UNCONFIRMED body): the parcel's line items with their
     * quantities, the carrier code and the tracking number. A fulfillment that already carries this
     * number is success (a retried activity); a cancelled order is refused before any call.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const carrier = ebayCarrierCode(confirmation.carrier, ctx.credentials.extra?.carrierCodes);
      if (!carrier) {
        throw new RequestRejectedError(
          `ebay has no carrier code for carrier ${confirmation.carrier}: set credentials.extra.carrierCodes`,
          'ebay',
          'unsupported_carrier',
        );
      }
      const id = encodeURIComponent(ebayOrderId(confirmation.platformOrderId));
      const { data: done } = await client.call(
        'GET',
        `${ORDER_PATH}/${id}/shipping_fulfillment`,
        EbayFulfillmentListSchema,
      );
      if (done.fulfillments.some((f) => f.shipmentTrackingNumber === confirmation.trackingNumber)) return;
      const order = await fetchOrder(confirmation.platformOrderId);
      if (order.cancelStatus?.cancelState === 'CANCELED') {
        throw new RequestRejectedError(
          `ebay order ${confirmation.platformOrderId} is cancelled`,
          'ebay',
          'order_cancelled',
        );
      }
      const lines = order.lineItems.filter(
        (l) => !confirmation.lineIds || confirmation.lineIds.includes(l.lineItemId),
      );
      if (lines.length === 0) {
        throw new RequestRejectedError(
          `ebay order ${confirmation.platformOrderId} has none of the lines ${confirmation.lineIds?.join(',')}`,
          'ebay',
          'nothing_to_ship',
        );
      }
      await client.call('POST', `${ORDER_PATH}/${id}/shipping_fulfillment`, z.unknown(), {
        lineItems: lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity })),
        shippedDate: confirmation.shippedAt.toISOString(),
        shippingCarrierCode: carrier,
        trackingNumber: confirmation.trackingNumber,
      });
    },

    // Refunds show on the order (`orderPaymentStatus`, line `refunds[]`), which every poll reads;
    // eBay's return and cancellation APIs are not in our facts, so there is no separate sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // eBay sends the ship-to address in plain text; nothing to decrypt.
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

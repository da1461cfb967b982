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
import { walmartCarrierName } from './carriers.js';
import { createWalmartClient } from './client.js';
import { lineStatus, normalizeWalmartOrder } from './normalize.js';
import {
  WalmartOrderEnvelopeSchema,
  WalmartOrderListSchema,
  WalmartOrderSchema,
  type WalmartOrder,
} from './wire.js';

/**
 * `GET /v3/orders` (§11): `lastModifiedStartDate`/`EndDate`, only the last 180 days, at most 10,000
 * orders per query window, `limit` (the sample's 100), then `meta.nextCursor` (UNCONFIRMED) until
 * there is none. No window limit is published; we read at most 7 days per call.
 */
export const WALMART_LIMITS: PlatformLimits = {
  maxWindowSeconds: 7 * 24 * 3600,
  maxPageSize: 100,
  maxLookbackDays: 180,
};

const ORDERS = '/v3/orders';

/**
 * Walmart Marketplace adapter (US). `ctx.credentials`: appKey/appSecret = the client id and secret
 * (the token is fetched with them and kept in the adapter); optionally `accessToken` with
 * `accessTokenExpiresAt`, `extra.carrierNames`, `extra.currency` (default USD);
 * `ctx.platformShopId` is the seller id.
 */
export function createWalmartAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createWalmartClient(ctx);
  const shop = { shopId: ctx.shopId, currency: ctx.credentials.extra?.currency ?? 'USD' };
  const read = (raw: unknown): WalmartOrder => {
    const parsed = WalmartOrderSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `walmart order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'walmart',
      'unexpected_response',
    );
  };
  const path = (po: string, action = '') => `${ORDERS}/${encodeURIComponent(po)}${action}`;
  const fetchOrder = async (po: string) =>
    read((await client.call('GET', path(po), WalmartOrderEnvelopeSchema)).order);

  return {
    platform: 'walmart',
    limits: WALMART_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      let query = window.cursor;
      if (!query) {
        const { fromMs, toMs } = checkedWindow('walmart', window, WALMART_LIMITS.maxWindowSeconds);
        query = `?${new URLSearchParams({
          lastModifiedStartDate: new Date(fromMs).toISOString(),
          // Walmart's end is inclusive; ours is not.
          lastModifiedEndDate: new Date(toMs - 1).toISOString(),
          limit: String(WALMART_LIMITS.maxPageSize),
          productInfo: 'false',
          shipNodeType: 'SellerFulfilled',
        })}`;
      }
      const { list } = await client.call('GET', `${ORDERS}${query}`, WalmartOrderListSchema);
      const orders = (list.elements?.order ?? []).map(read);
      const next = list.meta?.nextCursor;
      return {
        orders: orders.map((o) => normalizeWalmartOrder(o, shop)),
        nextCursor: next && orders.length > 0 ? next : null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeWalmartOrder(await fetchOrder(platformOrderId), shop);
    },

    /**
     * Acknowledge first (§11: required before shipping), then `POST /v3/orders/{po}/shipping` with
     * the parcel's order lines, each with `trackingInfo` (ship time in ms, `carrierName`, the
     * order's `methodCode`, tracking number). Lines that already carry this number count as done
     * (a retried activity); cancelled lines are left out.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const carrierName = walmartCarrierName(confirmation.carrier, ctx.credentials.extra?.carrierNames);
      if (!carrierName) {
        throw new RequestRejectedError(
          `walmart has no carrier name for carrier ${confirmation.carrier}: set credentials.extra.carrierNames`,
          'walmart',
          'unsupported_carrier',
        );
      }
      const po = confirmation.platformOrderId;
      const order = await fetchOrder(po);
      const lines = order.orderLines.filter(
        (l) =>
          lineStatus(l) !== 'Cancelled' &&
          (!confirmation.lineIds || confirmation.lineIds.includes(l.lineNumber)),
      );
      const carries = (l: (typeof lines)[number]) =>
        l.orderLineStatuses.some((s) => s.trackingInfo?.trackingNumber === confirmation.trackingNumber);
      const todo = lines.filter((l) => !carries(l));
      if (lines.length > 0 && todo.length === 0) return;
      if (todo.length === 0) {
        throw new RequestRejectedError(
          `walmart order ${po} has no line left to ship`,
          'walmart',
          'nothing_to_ship',
        );
      }
      if (todo.some((l) => lineStatus(l) === 'Created')) {
        await client.call('POST', path(po, '/acknowledge'), WalmartOrderEnvelopeSchema);
      }
      await client.call('POST', path(po, '/shipping'), WalmartOrderEnvelopeSchema, {
        orderLines: todo.map((l) => ({
          lineNumber: l.lineNumber,
          trackingInfo: {
            shipDateTime: String(confirmation.shippedAt.getTime()),
            carrierName,
            methodCode: order.shippingInfo?.methodCode || 'Standard',
            trackingNumber: confirmation.trackingNumber,
          },
        })),
      });
    },

    // Cancellations and refunds show on the order lines, which every poll reads; Walmart's refund
    // and returns APIs are not in our facts, so there is no separate sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // Walmart sends the ship-to address in plain text; nothing to decrypt.
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

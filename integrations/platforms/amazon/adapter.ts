import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { RateLimitedError, RequestRejectedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  RefundInfo,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { amazonCarrier } from './carriers.js';
import { createAmazonClient } from './client.js';
import { amazonReceiver, normalizeAmazonOrder, normalizeAmazonRefund } from './normalize.js';
import {
  FinancialEventsResponseSchema,
  GetOrderAddressResponseSchema,
  GetOrderItemsResponseSchema,
  GetOrderResponseSchema,
  GetOrdersResponseSchema,
  RestrictedDataTokenSchema,
  type AmazonOrder,
  type AmazonOrderItem,
} from './wire.js';

/**
 * SP-API has no maximum LastUpdated span; 30 days bounds one catch-up window. Windows must end at
 * least two minutes in the past: Amazon refuses a later LastUpdatedBefore / PostedBefore.
 */
export const AMAZON_LIMITS: PlatformLimits = { maxWindowSeconds: 30 * 86_400, maxPageSize: 100 };
const LATEST_END_MS = 2 * 60_000;
/** getOrderItems runs at 0.5 rps after a burst of 30: one page of orders waits for its items. */
const ITEM_RETRIES = 6;
const ITEM_MAX_WAIT_MS = 10_000;

export interface AmazonAdapter extends PlatformAdapter {
  /** Refunds posted for one order (Finances `listFinancialEventsByOrderId`). */
  listOrderRefunds(platformOrderId: string): Promise<RefundInfo[]>;
}

/**
 * Amazon SP-API adapter (Orders v0, Finances v0, Tokens). `ctx.credentials`: appKey/appSecret =
 * the LWA client id/secret, refreshToken = the seller's LWA refresh token (accessToken optional);
 * `extra.marketplaceId` (required) and `extra.lwaUrl` (default https://api.amazon.com).
 * Amazon has no HTTP push (its notifications go to SQS/EventBridge), so orders arrive by polling.
 */
export function createAmazonAdapter(ctx: AdapterContext): AmazonAdapter {
  const client = createAmazonClient(ctx);
  const marketplaceId = ctx.credentials.extra?.marketplaceId;
  if (!marketplaceId)
    throw new RequestRejectedError('amazon shop has no extra.marketplaceId', 'amazon', 'config');
  const now = () => ctx.now?.() ?? new Date();

  async function paced<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (
          !(err instanceof RateLimitedError) ||
          attempt >= ITEM_RETRIES ||
          err.retryAfterMs > ITEM_MAX_WAIT_MS
        )
          throw err;
        await sleep(err.retryAfterMs);
      }
    }
  }

  async function itemsOf(orderId: string): Promise<AmazonOrderItem[]> {
    const items: AmazonOrderItem[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await paced(() =>
        client.request(
          {
            path: `/orders/v0/orders/${encodeURIComponent(orderId)}/orderItems`,
            query: { NextToken: token },
          },
          GetOrderItemsResponseSchema,
        ),
      );
      items.push(...page.payload.OrderItems);
      nextToken = page.payload.NextToken ?? undefined;
    } while (nextToken);
    return items;
  }

  const normalize = async (order: AmazonOrder) =>
    normalizeAmazonOrder(order, await itemsOf(order.AmazonOrderId), ctx.shopId);

  async function getOrder(platformOrderId: string): Promise<NormalizedOrder> {
    const { payload } = await client.request(
      { path: `/orders/v0/orders/${encodeURIComponent(platformOrderId)}` },
      GetOrderResponseSchema,
    );
    return normalize(payload);
  }

  function range(window: ListWindow): { after: string; before: string } {
    const span = window.to.getTime() - window.from.getTime();
    if (span <= 0) throw new RequestRejectedError('amazon list window is empty', 'amazon', 'bad_window');
    if (span > AMAZON_LIMITS.maxWindowSeconds * 1000) {
      throw new RequestRejectedError(
        `amazon list window of ${span / 1000} s exceeds ${AMAZON_LIMITS.maxWindowSeconds} s`,
        'amazon',
        'window_too_long',
      );
    }
    if (window.to.getTime() > now().getTime() - LATEST_END_MS) {
      throw new RequestRejectedError(
        'amazon list windows must end at least 2 minutes ago',
        'amazon',
        'window_too_recent',
      );
    }
    // Both bounds are inclusive and Amazon times are whole seconds: end one second before `to`.
    const before = new Date(Math.ceil(window.to.getTime() / 1000) * 1000 - 1000);
    const after = new Date(Math.ceil(window.from.getTime() / 1000) * 1000);
    return { after: isoSeconds(after), before: isoSeconds(before) };
  }

  return {
    platform: 'amazon',
    limits: AMAZON_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { after, before } = range(window);
      const { payload } = await client.request(
        {
          path: '/orders/v0/orders',
          query: window.cursor
            ? { MarketplaceIds: marketplaceId, NextToken: window.cursor }
            : {
                MarketplaceIds: marketplaceId,
                LastUpdatedAfter: after,
                LastUpdatedBefore: before,
                MaxResultsPerPage: String(AMAZON_LIMITS.maxPageSize),
              },
        },
        GetOrdersResponseSchema,
      );
      const orders: NormalizedOrder[] = [];
      for (const order of payload.Orders) orders.push(await normalize(order));
      return { orders, nextCursor: payload.NextToken ?? null };
    },

    getOrder,

    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const id = confirmation.platformOrderId;
      const items = await itemsOf(id);
      const shipped = items.filter(
        (i) => !confirmation.lineIds?.length || confirmation.lineIds.includes(i.OrderItemId),
      );
      try {
        await client.request(
          {
            method: 'POST',
            path: `/orders/v0/orders/${encodeURIComponent(id)}/shipmentConfirmation`,
            body: {
              marketplaceId,
              packageDetail: {
                packageReferenceId: confirmation.trackingNumber,
                ...amazonCarrier(confirmation.carrier, ctx.carrierCodes),
                shippingMethod: 'Standard',
                trackingNumber: confirmation.trackingNumber,
                shipDate: confirmation.shippedAt.toISOString(),
                orderItems: shipped.map((i) => ({ orderItemId: i.OrderItemId, quantity: i.QuantityOrdered })),
              },
            },
          },
          z.unknown(),
        );
      } catch (err) {
        if (!(err instanceof RequestRejectedError)) throw err;
        // Amazon refuses to confirm an order twice. Orders do not show tracking numbers, so a
        // retried confirmation counts as done when the items we meant to ship are shipped.
        const current = await itemsOf(id);
        const done = shipped.every(
          (s) => current.find((c) => c.OrderItemId === s.OrderItemId)?.QuantityShipped === s.QuantityOrdered,
        );
        if (!done) throw err;
      }
    },

    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const { after, before } = range(window);
      const { payload } = await client.request(
        {
          path: '/finances/v0/financialEvents',
          query: window.cursor
            ? { NextToken: window.cursor }
            : {
                PostedAfter: after,
                PostedBefore: before,
                MaxResultsPerPage: String(AMAZON_LIMITS.maxPageSize),
              },
        },
        FinancialEventsResponseSchema,
      );
      return {
        refunds: payload.FinancialEvents.RefundEventList.map(normalizeAmazonRefund),
        nextCursor: payload.NextToken ?? null,
      };
    },

    async listOrderRefunds(platformOrderId: string): Promise<RefundInfo[]> {
      const refunds: RefundInfo[] = [];
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const { payload } = await client.request(
          {
            path: `/finances/v0/orders/${encodeURIComponent(platformOrderId)}/financialEvents`,
            query: { NextToken: token },
          },
          FinancialEventsResponseSchema,
        );
        refunds.push(...payload.FinancialEvents.RefundEventList.map(normalizeAmazonRefund));
        nextToken = payload.NextToken ?? undefined;
      } while (nextToken);
      return refunds;
    },

    /** The full address needs a Restricted Data Token scoped to this order's address. */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      if (!order.receiver.protected) return order.receiver;
      const path = `/orders/v0/orders/${encodeURIComponent(order.platformOrderId)}/address`;
      const rdt = await client.request(
        {
          method: 'POST',
          path: '/tokens/2021-03-01/restrictedDataToken',
          body: { restrictedResources: [{ method: 'GET', path }] },
        },
        RestrictedDataTokenSchema,
      );
      const { payload } = await client.request(
        { path, restrictedDataToken: rdt.restrictedDataToken },
        GetOrderAddressResponseSchema,
      );
      return { ...amazonReceiver(payload.ShippingAddress, marketplaceId), protected: false };
    },

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

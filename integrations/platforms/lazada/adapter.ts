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
import { lazadaShipmentProvider } from './carriers.js';
import { createLazadaClient } from './client.js';
import { normalizeLazadaOrder } from './normalize.js';
import { lazadaVenture } from './venture.js';
import {
  LazadaItemListSchema,
  LazadaItemSchema,
  LazadaOrderListSchema,
  LazadaOrderSchema,
  LazadaOrdersItemsSchema,
  type LazadaItem,
  type LazadaOrder,
} from './wire.js';

/**
 * `/orders/get` (§8.3, UNCONFIRMED): `limit` ≤ 100, offset paging. No window limit is published;
 * we read at most 7 days per call so a catch-up stays in pages of a reasonable count.
 */
export const LAZADA_LIMITS: PlatformLimits = {
  maxWindowSeconds: 7 * 24 * 3600,
  maxPageSize: 100,
};

/**
 * Offset paging over a list sorted by update time loses an order when one read earlier in the
 * window changes meanwhile (it leaves the window and every later order moves one place up): the
 * next page starts this many places before the end of the previous one, and orders read twice are
 * taken in once.
 */
const PAGE_OVERLAP = 20;
const Any = z.unknown();

/**
 * Lazada adapter. `ctx.credentials`: appKey, appSecret, accessToken/refreshToken of the seller;
 * `extra.venture` (sg, my, th, vn, ph, id; default sg), `extra.currency`, `extra.authUrl`,
 * `extra.shipmentProviders`; `ctx.platformShopId` is the seller id.
 */
export function createLazadaAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createLazadaClient(ctx);
  const venture = lazadaVenture(ctx.credentials.extra);
  const shop = { shopId: ctx.shopId, country: venture.country, currency: venture.currency };

  const read = <T>(schema: z.ZodType<T>, raw: unknown, what: string): T => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `lazada ${what} we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'lazada',
      'unexpected_response',
    );
  };
  const itemsOf = async (orderId: string): Promise<LazadaItem[]> =>
    (await client.call('/order/items/get', { order_id: orderId }, LazadaItemListSchema)).map((raw) =>
      read(LazadaItemSchema, raw, 'order item'),
    );
  const fetchOrder = async (orderId: string): Promise<LazadaOrder> =>
    read(LazadaOrderSchema, await client.call('/order/get', { order_id: orderId }, Any), 'order');

  return {
    platform: 'lazada',
    limits: LAZADA_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('lazada', window, LAZADA_LIMITS.maxWindowSeconds);
      const offset = Number(window.cursor ?? 0);
      const limit = LAZADA_LIMITS.maxPageSize;
      const data = await client.call(
        '/orders/get',
        {
          update_after: new Date(fromMs).toISOString(),
          update_before: new Date(toMs).toISOString(),
          sort_by: 'updated_at',
          sort_direction: 'ASC',
          offset: String(offset),
          limit: String(limit),
        },
        LazadaOrderListSchema,
      );
      const orders = data.orders.map((raw) => read(LazadaOrderSchema, raw, 'order'));
      const items = new Map<string, LazadaItem[]>();
      if (orders.length > 0) {
        // One call for the page's items; ids go out as bare digits, exact however long.
        const groups = await client.call(
          '/orders/items/get',
          { order_ids: `[${orders.map((o) => o.order_id).join(',')}]` },
          LazadaOrdersItemsSchema,
        );
        for (const group of groups) {
          items.set(
            group.order_id,
            group.order_items.map((raw) => read(LazadaItemSchema, raw, 'order item')),
          );
        }
      }
      return {
        orders: orders.map((o) => normalizeLazadaOrder(o, items.get(o.order_id) ?? [], shop)),
        nextCursor: orders.length < limit ? null : String(offset + limit - PAGE_OVERLAP),
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      const [order, items] = await Promise.all([fetchOrder(platformOrderId), itemsOf(platformOrderId)]);
      return normalizeLazadaOrder(order, items, shop);
    },

    /**
     * Seller-shipped (dropship) flow, UNCONFIRMED (§8.5): `/order/pack` with the items and the
     * provider, then `/order/rts` with the tracking number. Items already carrying this tracking
     * number count as done (a retried activity); items canceled or returned are left out.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const provider = lazadaShipmentProvider(confirmation.carrier, ctx.credentials.extra?.shipmentProviders);
      if (!provider) {
        throw new RequestRejectedError(
          `lazada has no shipment provider for carrier ${confirmation.carrier}: set credentials.extra.shipmentProviders`,
          'lazada',
          'unsupported_carrier',
        );
      }
      const items = (await itemsOf(confirmation.platformOrderId)).filter(
        (i) =>
          !['canceled', 'returned'].includes(i.status) &&
          (!confirmation.lineIds || confirmation.lineIds.includes(i.order_item_id)),
      );
      const todo = items.filter((i) => i.tracking_code !== confirmation.trackingNumber);
      if (items.length > 0 && todo.length === 0) return;
      if (todo.length === 0) {
        throw new RequestRejectedError(
          `lazada order ${confirmation.platformOrderId} has no item left to ship`,
          'lazada',
          'nothing_to_ship',
        );
      }
      const ids = `[${todo.map((i) => i.order_item_id).join(',')}]`;
      await client.call(
        '/order/pack',
        { order_item_ids: ids, delivery_type: 'dropship', shipping_provider: provider },
        Any,
        'POST',
      );
      await client.call(
        '/order/rts',
        {
          order_item_ids: ids,
          delivery_type: 'dropship',
          shipment_provider: provider,
          tracking_number: confirmation.trackingNumber,
        },
        Any,
        'POST',
      );
    },

    // Returns and cancellations show in the items' status, which every poll reads; Lazada's
    // reverse-order API is not in our facts, so there is no separate refund sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // Lazada sends the receiver in plain text (address_shipping); nothing to decrypt.
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

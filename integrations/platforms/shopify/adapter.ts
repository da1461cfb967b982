import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { RequestRejectedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { shopifyTrackingCompany } from './carriers.js';
import { createShopifyClient } from './client.js';
import { normalizeShopifyOrder, normalizeShopifyRefund } from './normalize.js';
import {
  ShopifyFulfillmentOrdersSchema,
  ShopifyOrderSchema,
  type ShopifyFulfillmentOrders,
  type ShopifyOrder,
} from './wire.js';

/** orders.json takes limit ≤ 250; Shopify sets no span limit, 30 days bounds one catch-up window. */
export const SHOPIFY_LIMITS: PlatformLimits = { maxWindowSeconds: 30 * 86_400, maxPageSize: 250 };
export { SHOPIFY_DEFAULT_API_VERSION } from './client.js';

/**
 * Shopify REST Admin adapter for a store. `ctx.baseUrl` = `https://{shop}.myshopify.com`,
 * `ctx.credentials.accessToken` = the Admin API access token (offline tokens do not expire, so
 * there is no refresh), `appSecret` = the app's client secret (webhook HMAC),
 * `extra.apiVersion` (default 2025-01). `ctx.platformShopId` = the shop's myshopify domain.
 *
 * Shipments use the fulfillment-orders flow (`GET orders/{id}/fulfillment_orders.json`, then
 * `POST fulfillments.json` with `line_items_by_fulfillment_order` and `tracking_info`); the older
 * `POST orders/{id}/fulfillments.json` is gone from current API versions. A parcel carrying part of
 * the order names its fulfillment order line items with its own units of each; what it leaves
 * stays open on Shopify for the next parcel.
 */
export function createShopifyAdapter(ctx: AdapterContext): PlatformAdapter {
  const { request, read } = createShopifyClient(ctx);

  async function fetchOrder(id: string): Promise<ShopifyOrder> {
    const { body } = await request(`/orders/${encodeURIComponent(id)}.json`);
    return read(z.object({ order: ShopifyOrderSchema }), body, 'order').order;
  }

  /** One page of orders updated in the window; the cursor is Shopify's `page_info`. */
  async function ordersPage(
    window: ListWindow,
  ): Promise<{ orders: ShopifyOrder[]; nextCursor: string | null }> {
    const span = window.to.getTime() - window.from.getTime();
    if (span <= 0) throw new RequestRejectedError('shopify list window is empty', 'shopify', 'bad_window');
    if (span > SHOPIFY_LIMITS.maxWindowSeconds * 1000) {
      throw new RequestRejectedError(
        `shopify list window of ${span / 1000} s exceeds ${SHOPIFY_LIMITS.maxWindowSeconds} s`,
        'shopify',
        'window_too_long',
      );
    }
    const limit = String(SHOPIFY_LIMITS.maxPageSize);
    // With page_info Shopify forbids the other filters: they travel inside the cursor.
    const query: Record<string, string> = window.cursor
      ? { limit, page_info: window.cursor }
      : {
          limit,
          status: 'any',
          updated_at_min: isoSeconds(Math.ceil(window.from.getTime() / 1000) * 1000),
          // updated_at_max is inclusive and Shopify times are whole seconds.
          updated_at_max: isoSeconds(Math.ceil(window.to.getTime() / 1000) * 1000 - 1000),
        };
    const { body, link } = await request('/orders.json', { query });
    const orders = read(z.object({ orders: z.array(z.unknown()) }), body, 'order list').orders.map((o) =>
      read(ShopifyOrderSchema, o, 'order'),
    );
    return { orders, nextCursor: nextPageInfo(link) };
  }

  return {
    platform: 'shopify',
    limits: SHOPIFY_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const page = await ordersPage(window);
      return {
        orders: page.orders.map((o) => normalizeShopifyOrder(o, ctx.shopId)),
        nextCursor: page.nextCursor,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeShopifyOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const id = confirmation.platformOrderId;
      const order = await fetchOrder(id);
      // A retried activity finds its own fulfillment already there. Ids go out as exact JSON numbers.
      if (
        order.fulfillments.some(
          (f) => f.tracking_number === confirmation.trackingNumber && f.status !== 'cancelled',
        )
      )
        return;
      const { body } = await request(`/orders/${encodeURIComponent(id)}/fulfillment_orders.json`);
      const open = read(ShopifyFulfillmentOrdersSchema, body, 'fulfillment orders').fulfillment_orders.filter(
        (fo) => fo.status === 'open' || fo.status === 'in_progress',
      );
      const groups = confirmation.lines?.length
        ? parcelGroups(id, open, confirmation.lines)
        : wholeLineGroups(open, confirmation.lineIds);
      if (groups.length === 0) {
        throw new RequestRejectedError(
          `shopify order ${id} has nothing left to fulfil`,
          'shopify',
          'nothing_to_fulfil',
        );
      }
      await request('/fulfillments.json', {
        method: 'POST',
        body: {
          fulfillment: {
            line_items_by_fulfillment_order: groups.map((g) => ({
              fulfillment_order_id: BigInt(g.fulfillment_order_id),
              fulfillment_order_line_items: g.fulfillment_order_line_items.map((li) => ({
                id: BigInt(li.id),
                quantity: li.quantity,
              })),
            })),
            tracking_info: {
              company: shopifyTrackingCompany(confirmation.carrier),
              number: confirmation.trackingNumber,
            },
            notify_customer: true,
          },
        },
      });
    },

    /** Refunds live on orders: page orders updated in the window and keep refunds made in it. */
    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const page = await ordersPage(window);
      const from = window.from.getTime();
      const to = window.to.getTime();
      const refunds = page.orders.flatMap((o) =>
        o.refunds
          .filter((r) => {
            const at = Date.parse(r.created_at);
            return at >= from && at < to;
          })
          .map((r) => normalizeShopifyRefund(r, o.currency)),
      );
      return { refunds, nextCursor: page.nextCursor };
    },

    /** Shopify receivers are plaintext already. */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      return order.receiver;
    },
  };
}

type OpenFulfillmentOrder = ShopifyFulfillmentOrders['fulfillment_orders'][number];
interface FulfillmentGroup {
  fulfillment_order_id: string;
  fulfillment_order_line_items: Array<{ id: string; quantity: number }>;
}

/** Every unit still fulfillable of the named lines (all lines when none are named). */
function wholeLineGroups(open: OpenFulfillmentOrder[], lineIds: string[] | undefined): FulfillmentGroup[] {
  const wanted = (lineItemId: string) => !lineIds?.length || lineIds.includes(lineItemId);
  return open
    .map((fo) => ({
      fulfillment_order_id: fo.id,
      fulfillment_order_line_items: fo.line_items
        .filter((li) => li.fulfillable_quantity > 0 && wanted(li.line_item_id))
        .map((li) => ({ id: li.id, quantity: li.fulfillable_quantity })),
    }))
    .filter((g) => g.fulfillment_order_line_items.length > 0);
}

/**
 * Exactly the parcel's units of each line, taken from the fulfillment order line items that still
 * have them (a line Shopify spread over several fulfillment orders is taken in their order). A parcel
 * carrying more of a line than Shopify still has open is refused here, naming both counts: the
 * rest of the line went out under another number, or the order changed on Shopify.
 */
function parcelGroups(
  orderId: string,
  open: OpenFulfillmentOrder[],
  lines: ReadonlyArray<{ lineId: string; quantity: number }>,
): FulfillmentGroup[] {
  const groups = new Map<string, FulfillmentGroup>();
  for (const line of lines) {
    let wanted = line.quantity;
    for (const fo of open) {
      for (const li of fo.line_items) {
        if (wanted === 0 || li.line_item_id !== line.lineId || li.fulfillable_quantity <= 0) continue;
        const quantity = Math.min(wanted, li.fulfillable_quantity);
        let group = groups.get(fo.id);
        if (!group)
          groups.set(fo.id, (group = { fulfillment_order_id: fo.id, fulfillment_order_line_items: [] }));
        group.fulfillment_order_line_items.push({ id: li.id, quantity });
        wanted -= quantity;
      }
    }
    if (wanted > 0) {
      throw new RequestRejectedError(
        `shopify order ${orderId} line ${line.lineId}: the parcel carries ${line.quantity}, ` +
          `only ${line.quantity - wanted} are still to fulfil on Shopify`,
        'shopify',
        'over_fulfilment',
      );
    }
  }
  return [...groups.values()];
}

/** The `page_info` of the `rel="next"` link in Shopify's Link header. */
export function nextPageInfo(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>;\s*rel="next"/.exec(part.trim());
    if (match) return new URL(match[1]!).searchParams.get('page_info');
  }
  return null;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

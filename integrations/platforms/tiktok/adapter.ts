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
import { tiktokShippingProvider } from './carriers.js';
import { createTiktokClient } from './client.js';
import { normalizeTiktokOrder } from './normalize.js';
import {
  TiktokLineItemSchema,
  TiktokOrderDetailSchema,
  TiktokOrderSchema,
  TiktokOrderSearchSchema,
  type TiktokLineItem,
  type TiktokOrder,
} from './wire.js';

/**
 * `POST /order/202309/orders/search` (§7.3): `page_size` ≤ 100 (secondary), `page_token` paging,
 * `update_time_ge`/`update_time_lt` in seconds. No window limit is published; we read at most 7
 * days per call so a catch-up stays in pages of a reasonable count.
 */
export const TIKTOK_LIMITS: PlatformLimits = {
  maxWindowSeconds: 7 * 24 * 3600,
  maxPageSize: 100,
};

const Any = z.unknown();
/** Line items that no longer ship. */
const GONE = new Set(['CANCELLED']);

/**
 * TikTok Shop adapter. `ctx.credentials`: appKey, appSecret (signs calls and webhooks),
 * accessToken/refreshToken of the seller, `extra.shopCipher` (the shop's cipher from
 * `/authorization/202309/shops`), `extra.shippingProviders`, `extra.authUrl`;
 * `ctx.platformShopId` is the shop id.
 */
export function createTiktokAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createTiktokClient(ctx);

  const read = <T>(schema: z.ZodType<T>, raw: unknown, what: string): T => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `tiktok ${what} we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'tiktok',
      'unexpected_response',
    );
  };
  const readOrder = (raw: unknown): { order: TiktokOrder; items: TiktokLineItem[] } => {
    const order = read(TiktokOrderSchema, raw, 'order');
    return { order, items: order.line_items.map((i) => read(TiktokLineItemSchema, i, 'line item')) };
  };
  const fetchOrder = async (orderId: string) => {
    const data = await client.call({
      method: 'GET',
      path: '/order/202309/orders',
      query: { ids: orderId },
      schema: TiktokOrderDetailSchema,
    });
    const found = data.orders.map(readOrder).find((o) => o.order.id === orderId);
    if (!found) throw new RequestRejectedError(`tiktok order ${orderId} not found`, 'tiktok', 'not_found');
    return found;
  };

  return {
    platform: 'tiktok',
    limits: TIKTOK_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('tiktok', window, TIKTOK_LIMITS.maxWindowSeconds);
      // Whole seconds: [floor(from), floor(to)) tiles consecutive windows without gap or overlap.
      const ge = Math.floor(fromMs / 1000);
      const lt = Math.floor(toMs / 1000);
      if (lt <= ge) return { orders: [], nextCursor: null };
      const data = await client.call({
        method: 'POST',
        path: '/order/202309/orders/search',
        query: {
          page_size: String(TIKTOK_LIMITS.maxPageSize),
          sort_field: 'update_time',
          sort_order: 'ASC',
          ...(window.cursor ? { page_token: window.cursor } : {}),
        },
        body: { update_time_ge: ge, update_time_lt: lt },
        schema: TiktokOrderSearchSchema,
      });
      return {
        orders: data.orders.map(readOrder).map((o) => normalizeTiktokOrder(o.order, o.items, ctx.shopId)),
        nextCursor: data.next_page_token || null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      const { order, items } = await fetchOrder(platformOrderId);
      return normalizeTiktokOrder(order, items, ctx.shopId);
    },

    /**
     * Seller shipping (§7.5): `POST /fulfillment/202309/orders/{order_id}/packages` with the
     * tracking number, the provider id and the line items of the parcel. Items already carrying
     * this number count as done (a retried activity); cancelled items are left out. Orders TikTok
     * ships itself (`shipping_type` TIKTOK, fulfilled by TikTok) are refused: their parcels are
     * not the seller's to confirm.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const { order, items } = await fetchOrder(confirmation.platformOrderId);
      if (order.shipping_type === 'TIKTOK' || order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK') {
        throw new RequestRejectedError(
          `tiktok order ${order.id} ships through TikTok's own logistics, not the seller's carrier`,
          'tiktok',
          'platform_shipping',
        );
      }
      const provider = tiktokShippingProvider(confirmation.carrier, ctx.credentials.extra?.shippingProviders);
      if (!provider) {
        throw new RequestRejectedError(
          `tiktok has no shipping provider id for carrier ${confirmation.carrier}: set credentials.extra.shippingProviders`,
          'tiktok',
          'unsupported_carrier',
        );
      }
      const parcel = items.filter(
        (i) => !GONE.has(i.display_status) && (!confirmation.lineIds || confirmation.lineIds.includes(i.id)),
      );
      const todo = parcel.filter((i) => i.tracking_number !== confirmation.trackingNumber);
      if (parcel.length > 0 && todo.length === 0) return;
      if (todo.length === 0) {
        throw new RequestRejectedError(
          `tiktok order ${order.id} has no line item left to ship`,
          'tiktok',
          'nothing_to_ship',
        );
      }
      await client.call({
        method: 'POST',
        path: `/fulfillment/202309/orders/${encodeURIComponent(order.id)}/packages`,
        body: {
          tracking_number: confirmation.trackingNumber,
          shipping_provider_id: provider,
          order_line_item_ids: todo.map((i) => i.id),
        },
        schema: Any,
      });
    },

    // Cancelled line items show in every order read; the reverse-order (return/refund) API is not
    // in our facts, so there is no separate refund sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // TikTok sends the receiver readable (the phone masked) and our facts name no decrypt call.
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

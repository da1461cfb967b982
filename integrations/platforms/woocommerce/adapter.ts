import { z } from 'zod';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
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
import { createWooRequest } from './client.js';
import { normalizeWooOrder, wooRefunds } from './normalize.js';
import { WooOrderSchema, type WooOrder } from './wire.js';

/** per_page ≤ 100 (WordPress REST); Woo sets no span limit, 30 days bounds one catch-up window. */
export const WOO_LIMITS: PlatformLimits = { maxWindowSeconds: 30 * 86_400, maxPageSize: 100 };

/** Order meta keys where we record the shipment: core WooCommerce has no tracking field. */
export const WOO_SHIPMENT_META = {
  carrier: 'erp_carrier',
  trackingNumber: 'erp_tracking_number',
  shippedAt: 'erp_shipped_at',
} as const;

/**
 * WooCommerce REST v3 adapter. `ctx.baseUrl` = the site URL, `ctx.credentials.appKey/appSecret` =
 * the REST consumer key/secret, sent as HTTP Basic auth (WooCommerce requires HTTPS for it);
 * `extra.webhookSecret` (or WebhookSecrets.webhookSecret) signs webhooks.
 *
 * Core WooCommerce has no shipment-tracking field (that is left to plugins), so a shipment is
 * recorded as order meta (`erp_carrier`, `erp_tracking_number`, `erp_shipped_at`), a note to the
 * customer with the carrier and number, and status `completed`.
 */
export function createWooCommerceAdapter(ctx: AdapterContext): PlatformAdapter {
  const request = createWooRequest(ctx);

  function readOrder(value: unknown): WooOrder {
    const parsed = WooOrderSchema.safeParse(value);
    if (!parsed.success) {
      throw new PlatformError(
        `woocommerce order we cannot read: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        'woocommerce',
        'unexpected_response',
      );
    }
    return parsed.data;
  }

  async function fetchOrder(id: string): Promise<WooOrder> {
    return readOrder((await request(`/orders/${encodeURIComponent(id)}`)).body);
  }

  /**
   * Orders modified in the window, oldest first, read from the last page back (see
   * `readPagesBackward`): an order modified while we page leaves the window without hiding another.
   */
  async function ordersPage(window: ListWindow): Promise<{ orders: WooOrder[]; nextCursor: string | null }> {
    const span = window.to.getTime() - window.from.getTime();
    if (span <= 0)
      throw new RequestRejectedError('woocommerce list window is empty', 'woocommerce', 'bad_window');
    if (span > WOO_LIMITS.maxWindowSeconds * 1000) {
      throw new RequestRejectedError(
        `woocommerce list window of ${span / 1000} s exceeds ${WOO_LIMITS.maxWindowSeconds} s`,
        'woocommerce',
        'window_too_long',
      );
    }
    // WordPress date filters are exclusive and Woo times whole seconds: after = from − 1 s.
    const after = isoSeconds(Math.ceil(window.from.getTime() / 1000) * 1000 - 1000);
    const before = isoSeconds(Math.ceil(window.to.getTime() / 1000) * 1000);
    const fetchPage = async (page: number) => {
      const { body, headers } = await request('/orders', {
        query: {
          modified_after: after,
          modified_before: before,
          dates_are_gmt: 'true',
          orderby: 'modified',
          order: 'asc',
          page: String(page),
          per_page: String(WOO_LIMITS.maxPageSize),
        },
      });
      const orders = z.array(z.unknown()).parse(body).map(readOrder);
      return {
        orders,
        total: Number(headers.get('x-wp-total') ?? orders.length),
        pages: Number(headers.get('x-wp-totalpages') ?? 1),
      };
    };
    if (!window.cursor) {
      const first = await fetchPage(1);
      if (first.pages <= 1) return { orders: first.orders, nextCursor: null };
      const last = await fetchPage(first.pages);
      return { orders: last.orders, nextCursor: String(first.pages - 1) };
    }
    const page = Number(window.cursor);
    if (!Number.isInteger(page) || page < 1) throw new RangeError(`not a page cursor: ${window.cursor}`);
    const { orders } = await fetchPage(page);
    return { orders, nextCursor: page > 1 ? String(page - 1) : null };
  }

  return {
    platform: 'woocommerce',
    limits: WOO_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const page = await ordersPage(window);
      return {
        orders: page.orders.map((o) => normalizeWooOrder(o, ctx.shopId)),
        nextCursor: page.nextCursor,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeWooOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const id = confirmation.platformOrderId;
      const order = await fetchOrder(id);
      const meta = (key: string) => order.meta_data.find((m) => m.key === key)?.value;
      if (
        order.status === 'completed' &&
        meta(WOO_SHIPMENT_META.trackingNumber) === confirmation.trackingNumber
      )
        return;
      if (order.status !== 'processing' && order.status !== 'on-hold') {
        throw new RequestRejectedError(
          `woocommerce order ${id} is ${order.status}; it cannot be shipped`,
          'woocommerce',
          'order_status',
        );
      }
      const carrier = carrierName(confirmation.carrier);
      await request(`/orders/${encodeURIComponent(id)}`, {
        method: 'PUT',
        body: {
          status: 'completed',
          meta_data: [
            { key: WOO_SHIPMENT_META.carrier, value: confirmation.carrier },
            { key: WOO_SHIPMENT_META.trackingNumber, value: confirmation.trackingNumber },
            { key: WOO_SHIPMENT_META.shippedAt, value: confirmation.shippedAt.toISOString() },
          ],
        },
      });
      await request(`/orders/${encodeURIComponent(id)}/notes`, {
        method: 'POST',
        body: {
          note: `Shipped with ${carrier}, tracking number ${confirmation.trackingNumber}.`,
          customer_note: true,
        },
      });
    },

    /** Refunds live on orders: page orders modified in the window and report their refunds. */
    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const page = await ordersPage(window);
      return { refunds: page.orders.flatMap(wooRefunds), nextCursor: page.nextCursor };
    },

    /** WooCommerce receivers are plaintext already. */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      return order.receiver;
    },
  };
}

const NAMES: Partial<Record<CarrierCode, string>> = {
  SF: 'SF Express',
  ZTO: 'ZTO Express',
  YTO: 'YTO Express',
  STO: 'STO Express',
  YUNDA: 'Yunda Express',
  JD: 'JD Logistics',
  EMS: 'China EMS',
  POSTB: 'China Post',
  JTSD: 'J&T Express',
  DHL: 'DHL',
  FEDEX: 'FedEx',
  UPS: 'UPS',
  USPS: 'USPS',
};

function carrierName(carrier: CarrierCode): string {
  return NAMES[carrier] ?? carrier;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
}

import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError, ShipmentUnsupportedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { checkedWindow, pairsOf } from '../window.js';
import { createMeliClient } from './client.js';
import { normalizeMeliOrder } from './normalize.js';
import {
  MeliOrderSchema,
  MeliSearchSchema,
  MeliShipmentSchema,
  type MeliOrder,
  type MeliShipment,
} from './wire.js';

/**
 * `/orders/search` (§13): `seller`, `order.date_last_updated.from`/`to`, `offset`, `limit` (≤ 51,
 * UNCONFIRMED: we ask 50), `sort` (UNCONFIRMED: `date_asc`). No window limit is published; we read
 * at most 7 days per call.
 */
export const MELI_LIMITS: PlatformLimits = { maxWindowSeconds: 7 * 24 * 3600, maxPageSize: 50 };

/** Offset paging over a changing list: pages overlap, orders read twice are taken in once. */
const PAGE_OVERLAP = 10;
/** Shipment reads in flight at once while a page is read. */
const SHIPMENT_READS = 5;
/** Mercado Libre's time format: milliseconds and an explicit offset. */
const meliTime = (ms: number) => new Date(ms).toISOString().replace('Z', '-00:00');

/**
 * Mercado Libre adapter. `ctx.credentials`: appKey/appSecret = the app's client id and secret,
 * accessToken/refreshToken of the seller; `extra.country` (the site's country for receivers
 * without an address, default BR), `extra.carrierNames`; `ctx.platformShopId` = the seller's
 * user id.
 */
export function createMeliAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createMeliClient(ctx);
  const shop = { shopId: ctx.shopId, country: (ctx.credentials.extra?.country ?? 'BR').toUpperCase() };
  const read = (raw: unknown): MeliOrder => {
    const parsed = MeliOrderSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `mercadolibre order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'mercadolibre',
      'unexpected_response',
    );
  };
  const shipmentOf = (order: MeliOrder): Promise<MeliShipment | undefined> =>
    order.shipping?.id
      ? client.call('GET', `/shipments/${order.shipping.id}`, MeliShipmentSchema)
      : Promise.resolve(undefined);
  const fetchOrder = async (id: string) =>
    read(await client.call('GET', `/orders/${encodeURIComponent(id)}`, z.unknown()));
  const normalized = async (order: MeliOrder) => normalizeMeliOrder(order, await shipmentOf(order), shop);

  return {
    platform: 'mercadolibre',
    limits: MELI_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('mercadolibre', window, MELI_LIMITS.maxWindowSeconds);
      const offset = Number(window.cursor ?? 0);
      const limit = MELI_LIMITS.maxPageSize;
      const query = new URLSearchParams({
        seller: ctx.platformShopId,
        'order.date_last_updated.from': meliTime(fromMs),
        'order.date_last_updated.to': meliTime(toMs - 1),
        sort: 'date_asc',
        offset: String(offset),
        limit: String(limit),
      });
      const page = await client.call('GET', `/orders/search?${query}`, MeliSearchSchema);
      const orders = page.results.map(read);
      // Each order's receiver is on its shipment: one read per order, a few at a time.
      const normalizedOrders: NormalizedOrder[] = [];
      for (let i = 0; i < orders.length; i += SHIPMENT_READS) {
        normalizedOrders.push(...(await Promise.all(orders.slice(i, i + SHIPMENT_READS).map(normalized))));
      }
      return {
        orders: normalizedOrders,
        nextCursor:
          offset + orders.length < page.paging.total && orders.length > 0
            ? String(offset + limit - PAGE_OVERLAP)
            : null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalized(await fetchOrder(platformOrderId));
    },

    /**
     * Custom shipping (the seller's own carrier): the tracking number goes on the order's shipment
     * (`PUT /shipments/{id}`, UNCONFIRMED, §13). Mercado Envios shipments (`mode` me1/me2) are the
     * platform's: nothing to upload, and the upload is skipped saying so. One shipment per order:
     * the whole order ships at once.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const order = await fetchOrder(confirmation.platformOrderId);
      if (['cancelled', 'invalid'].includes(order.status)) {
        throw new RequestRejectedError(
          `mercadolibre order ${order.id} is ${order.status}`,
          'mercadolibre',
          'order_cancelled',
        );
      }
      const shipment = await shipmentOf(order);
      if (!shipment) {
        throw new ShipmentUnsupportedError(
          `mercadolibre order ${order.id} has no shipment (delivery agreed with the buyer): tell the buyer the tracking number through Mercado Libre's messages`,
          'mercadolibre',
          'no_shipment',
        );
      }
      if (shipment.tracking_number === confirmation.trackingNumber) return;
      if (shipment.mode !== 'custom') {
        throw new ShipmentUnsupportedError(
          `mercadolibre order ${order.id} ships with Mercado Envios (${shipment.mode}): the parcel goes with Mercado Libre's own label and number, nothing is uploaded`,
          'mercadolibre',
          'platform_shipping',
        );
      }
      const carrier =
        pairsOf(ctx.credentials.extra?.carrierNames)[confirmation.carrier] ?? confirmation.carrier;
      await client.call('PUT', `/shipments/${shipment.id}`, z.unknown(), {
        tracking_number: confirmation.trackingNumber,
        tracking_method: carrier,
        status: 'shipped',
        date_shipped: meliTime(confirmation.shippedAt.getTime()),
      });
    },

    // Claims and returns (Mercado Libre's post-sale API) are not in our facts: no refund sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // The shipment carries the receiver in plain text; nothing to decrypt.
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

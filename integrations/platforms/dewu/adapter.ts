import { z } from 'zod';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { RequestRejectedError } from '../errors.js';
import { readNumberedPage } from '../page-cursor.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { readWire } from '../wire-fields.js';
import { checkedWindow, pairsOf } from '../window.js';
import { createDewuClient } from './client.js';
import { normalizeDewuOrder } from './normalize.js';
import { DewuOrderListSchema, DewuOrderSchema, type DewuOrder } from './wire.js';

/** Neither the page size nor the longest window is in our sources: 50 a page and a day a call are our own. */
export const DEWU_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 50 };

/**
 * The code Dewu is told a carrier by: the shop's `settings.platformCarrierCodes`, else
 * `credentials.extra.carrierCodes` (`SF=SF,ZTO=ZTO`), else our own code (Dewu's carrier list is
 * not in our sources; UNCONFIRMED).
 */
export function dewuCarrierCode(ctx: AdapterContext, carrier: CarrierCode): string {
  return ctx.carrierCodes?.[carrier] ?? pairsOf(ctx.credentials.extra?.carrierCodes)[carrier] ?? carrier;
}

/**
 * Dewu adapter (the seller-shipped orders of 品牌直发 / 普通现货 merchants). `ctx.credentials`:
 * appKey/appSecret of the app, the seller's OAuth accessToken and refreshToken; `extra.paths`
 * (the APIs' paths, UNCONFIRMED defaults in client.ts), `extra.orderType` (the fulfilment model
 * asked for in the order list, default `brand_deliver`), `extra.carrierCodes`,
 * `extra.authBaseUrl`, `extra.tokenCodes`. `baseUrl` is the gateway, `https://openapi.dewu.com`.
 */
export function createDewuAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createDewuClient(ctx);
  const orderType = ctx.credentials.extra?.orderType || 'brand_deliver';
  const read = (raw: unknown): DewuOrder => readWire('dewu', 'order', DewuOrderSchema, raw);
  const fetchOrder = async (orderNo: string) =>
    read(await client.call('detail', { order_no: orderNo }, z.unknown()));

  return {
    platform: 'dewu',
    limits: DEWU_LIMITS,

    /** Pages of one modified-time window (ms, start included, end excluded). */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('dewu', window, DEWU_LIMITS.maxWindowSeconds);
      const { items, nextCursor } = await readNumberedPage(
        'dewu',
        window.cursor,
        DEWU_LIMITS.maxPageSize,
        async (page) => {
          const data = await client.call(
            'list',
            {
              order_type: orderType,
              page_no: page,
              page_size: DEWU_LIMITS.maxPageSize,
              start_modify_time: fromMs,
              end_modify_time: toMs,
            },
            DewuOrderListSchema,
          );
          return { total: data.total ?? data.list.length, items: data.list };
        },
      );
      return { orders: items.map((raw) => normalizeDewuOrder(read(raw), ctx.shopId)), nextCursor };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeDewuOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    /**
     * One tracking number per order (a Dewu order is one SKU): `order_no`, `express_no`,
     * `logistics_code` (UNCONFIRMED names). An order already showing this number is done (a
     * retry); one shipped with another number, cancelled or unpaid is refused.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const order = await fetchOrder(confirmation.platformOrderId);
      if (order.status === 3 || order.status === 4) {
        if (order.express_no === confirmation.trackingNumber) return;
        throw new RequestRejectedError(
          `dewu order ${order.order_no} already shipped with ${order.express_no || 'another number'}`,
          'dewu',
          'already_shipped',
        );
      }
      if (order.status !== 2) {
        throw new RequestRejectedError(
          `dewu order ${order.order_no} cannot ship (status ${order.status})`,
          'dewu',
          'not_shippable',
        );
      }
      await client.call(
        'ship',
        {
          express_no: confirmation.trackingNumber,
          logistics_code: dewuCarrierCode(ctx, confirmation.carrier),
          order_no: order.order_no,
        },
        z.unknown(),
      );
    },

    // After-sales: Dewu's after-sales APIs are not in our sources.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

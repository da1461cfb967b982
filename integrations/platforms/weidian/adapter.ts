import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { readNumberedPage } from '../page-cursor.js';
import { formatGmt8 } from '../taobao/gmt8.js';
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
import { weidianExpressType } from './carriers.js';
import { createWeidianClient } from './client.js';
import { normalizeWeidianOrder, weidianShippedLines } from './normalize.js';
import { WeidianOrderListSchema, WeidianOrderSchema, type WeidianOrder } from './wire.js';

/**
 * `vdian.order.list.get` (§5: the name only; its parameters UNCONFIRMED): `update_start` /
 * `update_end`, `page_num`, `page_size` (we ask 50) and a day per call of our own.
 */
export const WEIDIAN_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 50 };

const Any = z.unknown();

/**
 * Weidian 微店 adapter. `ctx.credentials`: appKey/appSecret of the shop's self-use app (the token
 * call), optionally accessToken/accessTokenExpiresAt; `extra.expressTypes` (carrier → Weidian
 * express code), `extra.versions`, `extra.tokenCodes`. `ctx.platformShopId` is the shop id.
 */
export function createWeidianAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createWeidianClient(ctx);
  const read = (raw: unknown): WeidianOrder => {
    const parsed = WeidianOrderSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `weidian order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'weidian',
      'unexpected_response',
    );
  };
  const fetchOrder = async (orderId: string) =>
    read(await client.call('vdian.order.get', { order_id: orderId }, Any));

  return {
    platform: 'weidian',
    limits: WEIDIAN_LIMITS,

    /** Pages of one update-time window (page-cursor.ts: a total that changes starts it over). */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('weidian', window, WEIDIAN_LIMITS.maxWindowSeconds);
      const { items, nextCursor } = await readNumberedPage(
        'weidian',
        window.cursor,
        WEIDIAN_LIMITS.maxPageSize,
        async (page) => {
          const result = await client.call(
            'vdian.order.list.get',
            {
              // Seconds; both ends read as included (UNCONFIRMED): windows meet on a shared second.
              update_start: formatGmt8(new Date(fromMs)),
              update_end: formatGmt8(new Date(toMs)),
              page_num: page,
              page_size: WEIDIAN_LIMITS.maxPageSize,
            },
            WeidianOrderListSchema,
          );
          return { total: result.total_num, items: result.orders };
        },
      );
      return { orders: items.map((o) => normalizeWeidianOrder(read(o), ctx.shopId)), nextCursor };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeWeidianOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    /**
     * `vdian.order.deliver` (§5: the name only; UNCONFIRMED parameters): `order_id`,
     * `express_type`, `express_no` and `sub_order_ids` naming the parcel's lines when it carries
     * part of the order. A number the order already shows is success.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const expressType = weidianExpressType(confirmation.carrier, ctx.credentials.extra?.expressTypes);
      if (!expressType) {
        throw new RequestRejectedError(
          `weidian has no express type for carrier ${confirmation.carrier}: set credentials.extra.expressTypes`,
          'weidian',
          'unsupported_carrier',
        );
      }
      const order = await fetchOrder(confirmation.platformOrderId);
      if (order.express.some((e) => e.express_no === confirmation.trackingNumber)) return;
      const shipped = weidianShippedLines(order);
      const lines = order.items
        .map((i) => i.sub_order_id)
        .filter((id) => !confirmation.lineIds || confirmation.lineIds.includes(id))
        .filter((id) => !shipped.has(id));
      await client.call(
        'vdian.order.deliver',
        {
          order_id: order.order_id,
          express_type: expressType,
          express_no: confirmation.trackingNumber,
          ...(lines.length < order.items.length ? { sub_order_ids: lines } : {}),
        },
        Any,
      );
    },

    // Weidian's refund APIs are not in our facts: refunds are read from the order's items.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // The receiver comes in plain text (as far as the facts go).
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

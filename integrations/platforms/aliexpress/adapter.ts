import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
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
import { checkedWindow } from '../window.js';
import { aliexpressServiceName } from './carriers.js';
import { createAliexpressClient } from './client.js';
import { aliexpressTime, normalizeAliexpressOrder } from './normalize.js';
import {
  AliexpressOrderInfoSchema,
  AliexpressOrderListSchema,
  AliexpressOrderSchema,
  type AliexpressOrder,
} from './wire.js';

/**
 * `aliexpress.solution.order.get` (§9, UNCONFIRMED): `modified_date_start`/`_end`, `page_size`
 * ≤ 50, `current_page`. No window limit is published; we read at most 7 days per call.
 */
export const ALIEXPRESS_LIMITS: PlatformLimits = { maxWindowSeconds: 7 * 24 * 3600, maxPageSize: 50 };

const DETAIL_CONCURRENCY = 5;
const Any = z.unknown();

/**
 * AliExpress adapter. `ctx.credentials`: appKey/appSecret of the app, accessToken/refreshToken of
 * the seller; `extra.signMethod` (`sha256`, default, or `md5`), `extra.timeOffset` (the offset of
 * the API's `yyyy-MM-dd HH:mm:ss` times, default `+08:00`), `extra.serviceNames` (carrier →
 * logistics service name). `ctx.platformShopId` is the seller id.
 */
export function createAliexpressAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createAliexpressClient(ctx);
  const shop = { shopId: ctx.shopId, timeOffset: ctx.credentials.extra?.timeOffset ?? '+08:00' };
  if (!/^[+-]\d{2}:\d{2}$/.test(shop.timeOffset)) {
    throw new RequestRejectedError(
      `aliexpress credentials.extra.timeOffset must look like +08:00, not ${shop.timeOffset}`,
      'aliexpress',
      'bad_credentials',
    );
  }

  const fetchOrder = async (orderId: string): Promise<AliexpressOrder> => {
    const { data } = await client.call(
      'aliexpress.solution.order.info.get',
      { param1: JSON.stringify({ order_id: orderId }) },
      AliexpressOrderInfoSchema,
    );
    const parsed = AliexpressOrderSchema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `aliexpress order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'aliexpress',
      'unexpected_response',
    );
  };
  const normalize = (o: AliexpressOrder) => normalizeAliexpressOrder(o, shop);

  return {
    platform: 'aliexpress',
    limits: ALIEXPRESS_LIMITS,

    /** Order ids of an update-time window, page by page, then each order's detail. */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('aliexpress', window, ALIEXPRESS_LIMITS.maxWindowSeconds);
      const { items, nextCursor } = await readNumberedPage(
        'aliexpress',
        window.cursor,
        ALIEXPRESS_LIMITS.maxPageSize,
        async (page) => {
          const result = await client.call(
            'aliexpress.solution.order.get',
            {
              // Seconds; both ends read as included (UNCONFIRMED): windows meet on a shared second.
              param0: JSON.stringify({
                modified_date_start: aliexpressTime(fromMs, shop.timeOffset),
                modified_date_end: aliexpressTime(toMs, shop.timeOffset),
                page_size: ALIEXPRESS_LIMITS.maxPageSize,
                current_page: page,
              }),
            },
            AliexpressOrderListSchema,
          );
          return { total: result.total_count, items: result.target_list.map((o) => o.order_id) };
        },
      );
      const orders: NormalizedOrder[] = [];
      for (let i = 0; i < items.length; i += DETAIL_CONCURRENCY) {
        const batch = await Promise.all(items.slice(i, i + DETAIL_CONCURRENCY).map(fetchOrder));
        orders.push(...batch.map(normalize));
      }
      return { orders, nextCursor };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalize(await fetchOrder(platformOrderId));
    },

    /**
     * `aliexpress.solution.order.fulfill` (§9, UNCONFIRMED): `out_ref` = the order, the logistics
     * `service_name`, `logistics_no`, `send_type` `part` while lines remain unshipped after this
     * parcel, else `all`. AliExpress names no lines per parcel. A number the order already shows
     * in its logistics list is success.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const service = aliexpressServiceName(confirmation.carrier, ctx.credentials.extra?.serviceNames);
      if (!service) {
        throw new RequestRejectedError(
          `aliexpress has no logistics service for carrier ${confirmation.carrier}: set credentials.extra.serviceNames`,
          'aliexpress',
          'unsupported_carrier',
        );
      }
      const order = await fetchOrder(confirmation.platformOrderId);
      if (order.logistics_info_list.some((l) => l.logistics_no === confirmation.trackingNumber)) return;
      const lines = order.child_order_list.map((l) => l.id);
      const rest = confirmation.lineIds ? lines.filter((id) => !confirmation.lineIds!.includes(id)) : [];
      // A part parcel when lines stay behind and the order has not shipped them already.
      const part = rest.length > 0 && order.order_status !== 'SELLER_PART_SEND_GOODS';
      await client.call(
        'aliexpress.solution.order.fulfill',
        {
          out_ref: order.id,
          service_name: service,
          logistics_no: confirmation.trackingNumber,
          send_type: part ? 'part' : 'all',
          description: confirmation.lineIds ? `lines ${confirmation.lineIds.join(',')}` : '',
        },
        Any,
      );
    },

    // Disputes (issues) are not in our facts: no refund sweep (an order's issue is read from it).
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // The receiver comes in plain text.
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

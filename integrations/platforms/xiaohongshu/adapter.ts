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
import { xiaohongshuExpressCode } from './carriers.js';
import { createXiaohongshuClient } from './client.js';
import { normalizeXiaohongshuOrder } from './normalize.js';
import {
  XiaohongshuOrderListSchema,
  XiaohongshuOrderSchema,
  XiaohongshuReceiverInfoSchema,
  type XiaohongshuOrder,
} from './wire.js';

/**
 * `order.getOrderList` (§2.3): by update time (`timeType` 2) a window of at most 30 minutes,
 * `pageSize` ≤ 100, `pageNo` ≤ 100.
 */
export const XIAOHONGSHU_LIMITS: PlatformLimits = {
  maxWindowSeconds: 30 * 60,
  maxPageSize: 100,
};

/** Order details fetched at once for a page of ids. */
const DETAIL_CONCURRENCY = 5;
const Any = z.unknown();

/**
 * Xiaohongshu 小红书 adapter. `ctx.credentials`: appKey = appId, appSecret, accessToken/refreshToken
 * of the seller, `extra.expressCompanyCodes`; `ctx.platformShopId` is the
 * seller id; `ctx.baseUrl` the full gateway URL.
 */
export function createXiaohongshuAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createXiaohongshuClient(ctx);

  const fetchOrder = async (orderId: string): Promise<XiaohongshuOrder> => {
    const raw = await client.call('order.getOrderDetail', { orderId }, Any);
    const parsed = XiaohongshuOrderSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `xiaohongshu order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'xiaohongshu',
      'unexpected_response',
    );
  };

  async function details(ids: string[]): Promise<NormalizedOrder[]> {
    const out: NormalizedOrder[] = [];
    for (let i = 0; i < ids.length; i += DETAIL_CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + DETAIL_CONCURRENCY).map(fetchOrder));
      out.push(...batch.map((o) => normalizeXiaohongshuOrder(o, ctx.shopId)));
    }
    return out;
  }

  return {
    platform: 'xiaohongshu',
    limits: XIAOHONGSHU_LIMITS,

    /**
     * Pages come newest first; the doc says to read them from the last page to the first
     * (倒序拉取), so an order that changes while the window is read shifts only pages already
     * read. The first call (page 1) learns `maxPageNo`; the cursor then counts down from it to 1.
     * The list carries ids only: each order is read with `order.getOrderDetail`.
     */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('xiaohongshu', window, XIAOHONGSHU_LIMITS.maxWindowSeconds);
      // Whole seconds; whether `endTime` is included is UNCONFIRMED, so windows meet on a shared
      // second (an order at that second is read twice, never missed).
      const startTime = Math.floor(fromMs / 1000);
      const endTime = Math.floor(toMs / 1000);
      if (endTime < startTime) return { orders: [], nextCursor: null };
      const pageNo = window.cursor ? Number(window.cursor) : 1;
      const data = await client.call(
        'order.getOrderList',
        {
          startTime,
          endTime,
          timeType: 2,
          orderType: 0,
          orderStatus: 0,
          pageNo,
          pageSize: XIAOHONGSHU_LIMITS.maxPageSize,
        },
        XiaohongshuOrderListSchema,
      );
      const next = window.cursor ? pageNo - 1 : data.maxPageNo > 1 ? data.maxPageNo : 0;
      return {
        orders: await details(data.orderList.map((o) => o.orderId)),
        nextCursor: next >= 1 ? String(next) : null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeXiaohongshuOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    /**
     * `order.orderDeliver` (§2.5): the order's tracking number and carrier code; a parcel with part
     * of the order goes as 拆包发货 (`unpack` with its `skuIdList`). A number the order already
     * carries counts as success (a retried activity).
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const code = xiaohongshuExpressCode(confirmation.carrier, ctx.credentials.extra?.expressCompanyCodes);
      if (!code) {
        throw new RequestRejectedError(
          `xiaohongshu has no expressCompanyCode for carrier ${confirmation.carrier}: set credentials.extra.expressCompanyCodes`,
          'xiaohongshu',
          'unsupported_carrier',
        );
      }
      try {
        await client.call(
          'order.orderDeliver',
          {
            orderId: confirmation.platformOrderId,
            expressNo: confirmation.trackingNumber,
            expressCompanyCode: code,
            deliveringTime: confirmation.shippedAt.getTime(),
            ...(confirmation.lineIds ? { unpack: true, skuIdList: confirmation.lineIds } : {}),
          },
          Any,
        );
      } catch (err) {
        if (!(err instanceof RequestRejectedError)) throw err;
        const now = await fetchOrder(confirmation.platformOrderId);
        const numbers = [
          now.expressTrackingNo,
          ...now.simpleDeliveryOrderList.map((d) => d.expressTrackingNo),
        ];
        if (!numbers.includes(confirmation.trackingNumber)) throw err;
      }
    },

    // After-sales states travel inside the order (`orderAfterSalesStatus`, per SKU too), which
    // every poll reads; the after-sale APIs are not in our facts, so there is no refund sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    /**
     * `order.getOrderReceiverInfo` (§2.3; "call it once before shipping"): the plain receiver of
     * the order at its `openAddressId`. Nothing is stored: the waybill step asks when it prints.
     */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      const { receiver } = order;
      if (!receiver.protected) return receiver;
      const data = await client.call(
        'order.getOrderReceiverInfo',
        {
          receiverQueries: [{ orderId: order.platformOrderId, openAddressId: receiver.addressHandle ?? '' }],
          isReturn: false,
        },
        XiaohongshuReceiverInfoSchema,
      );
      const found = data.receiverInfos.find((r) => r.orderId === order.platformOrderId);
      if (!found || found.matched === false || !found.receiverName || !found.receiverAddress) {
        throw new RequestRejectedError(
          `xiaohongshu gave no receiver for order ${order.platformOrderId}${found?.matched === false ? ' (the address changed: read the order again)' : ''}`,
          'xiaohongshu',
          found?.matched === false ? 'not_matched' : 'missing',
        );
      }
      return {
        ...receiver,
        name: found.receiverName,
        phone: found.receiverPhone,
        province: found.receiverProvinceName || receiver.province,
        city: found.receiverCityName || receiver.city,
        district: found.receiverDistrictName || receiver.district,
        ...(found.receiverTownName ? { town: found.receiverTownName } : {}),
        detail: found.receiverAddress,
        protected: false,
      };
    },

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

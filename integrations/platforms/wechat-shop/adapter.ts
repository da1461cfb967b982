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
import { wechatDeliveryId } from './carriers.js';
import { createWechatClient } from './client.js';
import { normalizeWechatOrder } from './normalize.js';
import {
  WechatDecodeSchema,
  WechatOrderGetSchema,
  WechatOrderListSchema,
  WechatOrderSchema,
  type WechatOrder,
} from './wire.js';

/**
 * `/channels/ec/order/list/get` (§3.3): an update-time range of at most 7 days (secondary: the
 * doc quoted in community code), `page_size` up to 100 (UNCONFIRMED; the SDK's default is 10),
 * `next_key` paging.
 */
export const WECHAT_SHOP_LIMITS: PlatformLimits = {
  maxWindowSeconds: 7 * 24 * 3600,
  maxPageSize: 100,
};

const DETAIL_CONCURRENCY = 5;
const Any = z.unknown();

/**
 * WeChat Channels shop (微信小店/视频号小店) adapter. `ctx.credentials`: appKey = the shop's app id,
 * appSecret (token fetch), an optional accessToken/accessTokenExpiresAt, `webhookSecret` = the
 * push Token (and `Token|EncodingAESKey` for safe mode), `extra.deliveryIds`;
 * `ctx.platformShopId` is the shop's original id (`gh_…`, the pushes' `ToUserName`).
 */
export function createWechatShopAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createWechatClient(ctx);

  const fetchOrder = async (orderId: string): Promise<WechatOrder> => {
    const { order } = await client.call('order/get', { order_id: orderId }, WechatOrderGetSchema);
    const parsed = WechatOrderSchema.safeParse(order);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `wechat_shop order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'wechat_shop',
      'unexpected_response',
    );
  };

  return {
    platform: 'wechat_shop',
    limits: WECHAT_SHOP_LIMITS,

    /** Ids by update time with `next_key`, then each order with `/order/get`. */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('wechat_shop', window, WECHAT_SHOP_LIMITS.maxWindowSeconds);
      // Seconds; whether end_time is included is UNCONFIRMED, so windows meet on a shared second
      // (an order at that second is read twice, never missed).
      const data = await client.call(
        'order/list/get',
        {
          update_time_range: { start_time: Math.floor(fromMs / 1000), end_time: Math.floor(toMs / 1000) },
          page_size: WECHAT_SHOP_LIMITS.maxPageSize,
          ...(window.cursor ? { next_key: window.cursor } : {}),
        },
        WechatOrderListSchema,
      );
      const orders: NormalizedOrder[] = [];
      for (let i = 0; i < data.order_id_list.length; i += DETAIL_CONCURRENCY) {
        const batch = await Promise.all(data.order_id_list.slice(i, i + DETAIL_CONCURRENCY).map(fetchOrder));
        orders.push(...batch.map((o) => normalizeWechatOrder(o, ctx.shopId)));
      }
      return { orders, nextCursor: data.has_more && data.next_key ? data.next_key : null };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeWechatOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    /**
     * `/channels/ec/order/delivery/send` (§3.5): one delivery (`deliver_type` 1, 自寄快递) with the
     * carrier's `delivery_id`, the waybill and the parcel's products (all lines when the parcel
     * names none). A waybill the order already shows in `delivery_product_info` counts as success.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const deliveryId = wechatDeliveryId(confirmation.carrier, ctx.credentials.extra?.deliveryIds);
      if (!deliveryId) {
        throw new RequestRejectedError(
          `wechat_shop has no delivery_id for carrier ${confirmation.carrier}: set credentials.extra.deliveryIds`,
          'wechat_shop',
          'unsupported_carrier',
        );
      }
      const order = await fetchOrder(confirmation.platformOrderId);
      const sent = order.order_detail.delivery_info?.delivery_product_info ?? [];
      if (sent.some((d) => d.waybill_id === confirmation.trackingNumber)) return;
      const products = order.order_detail.product_infos.filter(
        (p) => !confirmation.lineIds || confirmation.lineIds.includes(p.sku_id),
      );
      await client.call(
        'order/delivery/send',
        {
          order_id: order.order_id,
          delivery_list: [
            {
              delivery_id: deliveryId,
              waybill_id: confirmation.trackingNumber,
              deliver_type: 1,
              product_infos: products.map((p) => ({
                product_cnt: p.sku_cnt,
                product_id: p.product_id,
                sku_id: p.sku_id,
              })),
            },
          ],
        },
        Any,
      );
    },

    // After-sales counts travel inside the order, which every poll reads; the after-sale APIs are
    // not in our facts, so there is no refund sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    /**
     * `/channels/ec/order/sensitiveinfo/decode` (§3.3): the order's real name, phone and address,
     * asked for only when a waybill needs them (nothing is stored).
     */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      const { receiver } = order;
      if (!receiver.protected) return receiver;
      const { address_info: a } = await client.call(
        'order/sensitiveinfo/decode',
        { order_id: order.platformOrderId },
        WechatDecodeSchema,
      );
      if (!a.user_name || !a.tel_number || !a.detail_info) {
        throw new RequestRejectedError(
          `wechat_shop gave no plain receiver for order ${order.platformOrderId}`,
          'wechat_shop',
          'missing',
        );
      }
      return {
        ...receiver,
        name: a.user_name,
        phone: a.tel_number,
        province: a.province_name || receiver.province,
        city: a.city_name || receiver.city,
        district: a.county_name || receiver.district,
        detail: [a.detail_info, a.house_number].filter(Boolean).join(' '),
        protected: false,
      };
    },

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { RequestRejectedError } from '../errors.js';
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
import { checkedWindow, pairsOf } from '../window.js';
import { readWire } from '../wire-fields.js';
import { createVipClient, type VipClient } from './client.js';
import { normalizeVipOrder, vipHasShipped, vipStatusCode } from './normalize.js';
import {
  VipOrderDetailListSchema,
  VipOrderListSchema,
  VipOrderSchema,
  VipShipResultSchema,
  type VipOrder,
  type VipOrderDetail,
} from './wire.js';

export const VIP_DELIVERY = 'vipapis.delivery.DvdDeliveryService';

/**
 * `getOrderList`: no largest `limit` nor longest `st_add_time`–`et_add_time` span is given
 * (UNCONFIRMED): 50 a page and a day per call are our own.
 */
export const VIP_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 50 };

/** How far back `getOrder` looks for an order by id (the list needs an add-time window). */
const LOOKUP_DAYS = 90;
const DETAIL_PAGE = 100;

/** The vendor id VOP's 直发 calls take (an int in the SDK): the shop's platform id. */
export function vipVendorId(ctx: AdapterContext): number {
  const id = Number(ctx.platformShopId);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new RequestRejectedError(
      `vip shops are named by their numeric vendor_id, not ${ctx.platformShopId}`,
      'vip',
      'vendor_id',
    );
  return id;
}

/** Every line of an order (`getOrderDetail` pages). */
async function orderLines(client: VipClient, vendorId: number, orderId: string): Promise<VipOrderDetail[]> {
  const lines: VipOrderDetail[] = [];
  for (let page = 1; ; page += 1) {
    const result = await client.call(
      VIP_DELIVERY,
      'getOrderDetail',
      { vendor_id: vendorId, order_id: orderId, page, limit: DETAIL_PAGE },
      VipOrderDetailListSchema,
    );
    lines.push(...result.orderDetails);
    const total = result.total ?? lines.length;
    if (result.orderDetails.length === 0 || lines.length >= total) return lines;
  }
}

/**
 * VIP 直发 adapter (docs/platforms/vip.md). `ctx.platformShopId` is the vendor id;
 * `ctx.credentials`: appKey/appSecret of the app, the vendor's accessToken and refreshToken;
 * `extra.carrierCodes` (carrier → VIP `carrier_code`, from `getCarrierList`).
 */
export function createVipAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createVipClient(ctx);
  const now = () => ctx.now?.() ?? new Date();
  const read = (raw: unknown): VipOrder => readWire('vip', 'order', VipOrderSchema, raw);
  const normalize = async (order: VipOrder) =>
    normalizeVipOrder(order, await orderLines(client, vipVendorId(ctx), order.order_id), ctx.shopId);

  const fetchOrder = async (orderId: string): Promise<VipOrder> => {
    const to = now();
    const result = await client.call(
      VIP_DELIVERY,
      'getOrderList',
      {
        st_add_time: formatGmt8(new Date(to.getTime() - LOOKUP_DAYS * 86_400_000)),
        et_add_time: formatGmt8(new Date(to.getTime() + 86_400_000)),
        order_id: orderId,
        vendor_id: String(vipVendorId(ctx)),
        page: 1,
        limit: 1,
      },
      VipOrderListSchema,
    );
    const found = result.dvd_order_list.map(read).find((o) => o.order_id === orderId);
    if (!found) throw new RequestRejectedError(`vip order ${orderId} not found`, 'vip', 'not_found');
    return found;
  };

  return {
    platform: 'vip',
    limits: VIP_LIMITS,

    /** Pages of one add-time window (the list has no update-time filter); each order's lines read with it. */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('vip', window, VIP_LIMITS.maxWindowSeconds);
      const vendorId = vipVendorId(ctx);
      const { items, nextCursor } = await readNumberedPage(
        'vip',
        window.cursor,
        VIP_LIMITS.maxPageSize,
        async (page) => {
          const result = await client.call(
            VIP_DELIVERY,
            'getOrderList',
            {
              // Seconds, both ends taken as included (UNCONFIRMED): [from, to − 1 s].
              st_add_time: formatGmt8(new Date(fromMs)),
              et_add_time: formatGmt8(new Date(Math.ceil(toMs / 1000) * 1000 - 1000)),
              vendor_id: String(vendorId),
              page,
              limit: VIP_LIMITS.maxPageSize,
            },
            VipOrderListSchema,
          );
          return { total: result.total ?? result.dvd_order_list.length, items: result.dvd_order_list };
        },
      );
      const orders: NormalizedOrder[] = [];
      for (const item of items) orders.push(await normalize(read(item)));
      return { orders, nextCursor };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalize(await fetchOrder(platformOrderId));
    },

    /**
     * `ship` with one `Ship` {`order_id`, `carrier_code`, `carrier_name`, `package_type` "1",
     * `packages` [{`transport_no`, `package_product_list` [{`barcode`, `amount`}]}]} carrying the
     * whole order: a later parcel of the same order is not described, so a parcel naming only
     * some lines is refused. An order VIP shows as sent already is taken as done (a retry); a
     * cancelled one is refused; `fail_data` is VIP's refusal, with its `error_msg`.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const carrierCode = pairsOf(ctx.credentials.extra?.carrierCodes)[confirmation.carrier];
      if (!carrierCode) {
        throw new RequestRejectedError(
          `vip has no carrier_code for carrier ${confirmation.carrier}: set credentials.extra.carrierCodes`,
          'vip',
          'unsupported_carrier',
        );
      }
      const order = await fetchOrder(confirmation.platformOrderId);
      if (vipHasShipped(order)) return;
      const code = vipStatusCode(order);
      if (code !== 10 && code !== 118) {
        throw new RequestRejectedError(
          `vip order ${order.order_id} cannot ship (order_status ${order.order_status})`,
          'vip',
          'not_shippable',
        );
      }
      const vendorId = vipVendorId(ctx);
      const lines = await orderLines(client, vendorId, order.order_id);
      if (confirmation.lineIds && lines.some((l) => !confirmation.lineIds!.includes(l.barcode))) {
        throw new RequestRejectedError(
          `vip ships order ${order.order_id} whole: a parcel carrying only some of its lines cannot be confirmed`,
          'vip',
          'split_not_supported',
        );
      }
      const result = await client.call(
        VIP_DELIVERY,
        'ship',
        {
          vendor_id: vendorId,
          ship_list: [
            {
              order_id: order.order_id,
              carrier_code: carrierCode,
              carrier_name: confirmation.carrier,
              package_type: '1',
              packages: [
                {
                  transport_no: confirmation.trackingNumber,
                  package_product_list: lines.map((l) => ({ barcode: l.barcode, amount: l.amount })),
                },
              ],
            },
          ],
        },
        VipShipResultSchema,
      );
      const failed = result.fail_data[0];
      if ((result.fail_num ?? 0) > 0 || failed) {
        throw new RequestRejectedError(
          `vip refused the shipment of ${order.order_id}: ${failed?.error_msg || 'no reason given'}`,
          'vip',
          'ship_refused',
        );
      }
    },

    // Return calls are named but not read (docs/platforms/vip.md): after-sales is not built.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  PlatformLogisticsRequest,
  PlatformLogisticsResult,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { createShopeeClient } from './client.js';
import { chooseShopeeShipment, shopeeDelivery, shopeeLogisticsCalls } from './logistics.js';
import { normalizeShopeeOrder, normalizeShopeeReturn, shopeeLineId, shopeeNeedsEscrow } from './normalize.js';
import {
  ShopeeEscrowSchema,
  ShopeeOrderDetailSchema,
  ShopeeOrderListSchema,
  ShopeeOrderSchema,
  ShopeeReturnListSchema,
  ShopeeReturnSchema,
  ShopeeSplitOrderSchema,
  ShopeeTrackingNumberSchema,
  type ShopeeEscrow,
  type ShopeeItem,
  type ShopeeOrder,
} from './wire.js';

/** get_order_list: update-time span ≤ 15 days, page_size ≤ 100; get_order_detail takes ≤ 50 order_sn. */
export const SHOPEE_LIMITS: PlatformLimits = { maxWindowSeconds: 15 * 86_400, maxPageSize: 100 };
const DETAIL_BATCH = 50;
/** Package logistics statuses after ship_order went through (API-FACTS §17.5 notes: ⚠️ npm typings). */
const ARRANGED = new Set(['LOGISTICS_REQUEST_CREATED', 'LOGISTICS_PICKUP_DONE', 'LOGISTICS_DELIVERY_DONE']);
const DETAIL_FIELDS = [
  'buyer_user_id',
  'buyer_username',
  'estimated_shipping_fee',
  'recipient_address',
  'actual_shipping_fee',
  'note',
  'item_list',
  'pay_time',
  'package_list',
  'shipping_carrier',
  'payment_method',
  'total_amount',
].join(',');

/**
 * Shopee v2 adapter. `ctx.credentials`: appKey = partner_id, appSecret = partner_key, the shop's
 * access/refresh tokens (refresh tokens are single use: every refresh is reported through
 * `ctx.onTokensRefreshed` and must be stored); `ctx.platformShopId` = shop_id.
 */
export function createShopeeAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createShopeeClient(ctx);
  const logistics = shopeeLogisticsCalls(client);

  async function details(orderSns: string[]): Promise<ShopeeOrder[]> {
    const orders: ShopeeOrder[] = [];
    for (let i = 0; i < orderSns.length; i += DETAIL_BATCH) {
      const batch = orderSns.slice(i, i + DETAIL_BATCH);
      const data = await client.get(
        '/api/v2/order/get_order_detail',
        { order_sn_list: batch.join(','), response_optional_fields: DETAIL_FIELDS },
        ShopeeOrderDetailSchema,
      );
      for (const raw of data.order_list) {
        const parsed = ShopeeOrderSchema.safeParse(raw);
        if (!parsed.success) {
          throw new PlatformError(
            `shopee order we cannot read: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
            'shopee',
            'unexpected_response',
          );
        }
        orders.push(parsed.data);
      }
    }
    return orders;
  }

  /**
   * The order's escrow detail, read only when the order detail does not explain what the buyer
   * paid (vouchers, coins, shipping subsidies). Shopee refusing it (no escrow yet) leaves the order
   * without: its payment is then audited against the itemised prices and a gap waits for finance.
   */
  async function escrowOf(order: ShopeeOrder): Promise<ShopeeEscrow | undefined> {
    if (!shopeeNeedsEscrow(order)) return undefined;
    try {
      return await client.get(
        '/api/v2/payment/get_escrow_detail',
        { order_sn: order.order_sn },
        ShopeeEscrowSchema,
      );
    } catch (err) {
      if (err instanceof RequestRejectedError) return undefined;
      throw err;
    }
  }

  async function normalized(orders: ShopeeOrder[]): Promise<NormalizedOrder[]> {
    const out: NormalizedOrder[] = [];
    for (const order of orders) out.push(normalizeShopeeOrder(order, ctx.shopId, await escrowOf(order)));
    return out;
  }

  async function getOrder(platformOrderId: string): Promise<NormalizedOrder> {
    const [order] = await details([platformOrderId]);
    if (!order)
      throw new RequestRejectedError(`shopee has no order ${platformOrderId}`, 'shopee', 'not_found');
    const [one] = await normalized([order]);
    return one!;
  }

  /**
   * The package holding exactly these lines: one the order already has (a retry, or a split made for
   * an earlier parcel), else the order's unshipped items are split into this parcel's lines and the
   * rest. Packages already shipped are left as they are.
   */
  async function packageFor(order: ShopeeOrder, lines: Set<string>): Promise<string> {
    const keyOf = (items: { item_id: string; model_id?: string | null | undefined }[]) =>
      items
        .map((i) => shopeeLineId(i))
        .sort()
        .join(',');
    const key = [...lines].sort().join(',');
    const existing = order.package_list.find((p) => p.item_list.length > 0 && keyOf(p.item_list) === key);
    if (existing) return existing.package_number;
    const shipped = new Set(
      order.package_list
        .filter((p) => p.item_list.length > 0 && p.logistics_status !== 'LOGISTICS_READY')
        .flatMap((p) => p.item_list.map((i) => shopeeLineId(i))),
    );
    const open = order.item_list.filter((i) => !shipped.has(shopeeLineId(i)));
    const item = (i: ShopeeItem) => ({ item_id: i.item_id, model_id: i.model_id ?? '0' });
    const split = await client.post(
      '/api/v2/order/split_order',
      {
        order_sn: order.order_sn,
        package_list: [
          { item_list: open.filter((i) => lines.has(shopeeLineId(i))).map(item) },
          { item_list: open.filter((i) => !lines.has(shopeeLineId(i))).map(item) },
        ],
      },
      ShopeeSplitOrderSchema,
    );
    const made = split.package_list.find((p) => keyOf(p.item_list) === key);
    if (!made) {
      throw new PlatformError(
        `shopee split order ${order.order_sn} but no package holds exactly ${key}`,
        'shopee',
        'unexpected_response',
      );
    }
    return made.package_number;
  }

  /**
   * The package a parcel carrying these lines ships as: none named when it carries the whole order,
   * else its own (the order split first where the shop takes split shipments, refused otherwise).
   */
  async function parcelPackage(order: ShopeeOrder, lineIds?: string[]): Promise<string | undefined> {
    if (!lineIds?.length) return undefined;
    const wanted = new Set(lineIds);
    if (!order.item_list.some((i) => !wanted.has(shopeeLineId(i)))) return undefined;
    if (!ctx.splitShipments) {
      throw new RequestRejectedError(
        `shopee order ${order.order_sn}: shipping only some lines needs the order split into packages, and the shop does not split (splitShipments)`,
        'shopee',
        'partial_shipment',
      );
    }
    return packageFor(order, wanted);
  }

  /**
   * Shopee logistics: arranged once (get_shipping_parameter → ship_order with the shop's method),
   * then Shopee's tracking number and shipping document. A package Shopee already shows arranged
   * (a retry after ship_order went through) is not arranged again.
   */
  async function shipThroughPlatform(request: PlatformLogisticsRequest): Promise<PlatformLogisticsResult> {
    const sn = request.platformOrderId;
    const [order] = await details([sn]);
    if (!order) throw new RequestRejectedError(`shopee has no order ${sn}`, 'shopee', 'not_found');
    const packageNumber = await parcelPackage(order, request.lineIds);
    const pkg = packageNumber
      ? order.package_list.find((p) => p.package_number === packageNumber)
      : order.package_list[0];
    let method = 'arranged earlier';
    if (!pkg || !ARRANGED.has(pkg.logistics_status)) {
      const choice = chooseShopeeShipment(
        await logistics.shippingParameter(sn, packageNumber),
        request.preference,
      );
      if (!choice.ok) {
        if (choice.ownCarrier) return { kind: 'own_carrier', reason: choice.reason };
        throw new RequestRejectedError(`shopee order ${sn}: ${choice.reason}`, 'shopee', 'no_usable_method');
      }
      await logistics.shipOrder(sn, packageNumber, choice.body);
      method = choice.detail;
    }
    const tracking = await logistics.trackingNumber(sn, packageNumber);
    const number = tracking.tracking_number;
    if (!number) {
      return {
        kind: 'pending',
        method,
        ...(packageNumber ? { packageNumber } : {}),
        ...(tracking.hint ? { hint: tracking.hint } : {}),
      };
    }
    const document = await logistics.shippingDocument({
      orderSn: sn,
      ...(packageNumber ? { packageNumber } : {}),
      trackingNumber: number,
      documentType: request.preference.documentType,
    });
    return {
      kind: 'shipped',
      method,
      trackingNumber: number,
      ...(packageNumber ? { packageNumber } : {}),
      carrierName: pkg?.shipping_carrier ?? '',
      document,
    };
  }

  return {
    platform: 'shopee',
    limits: SHOPEE_LIMITS,
    shipThroughPlatform,

    /** After handover: the order's status and its package's logistics status (get_order_detail). */
    async platformDelivery({ platformOrderId, packageNumber }) {
      const [order] = await details([platformOrderId]);
      if (!order) {
        throw new RequestRejectedError(`shopee has no order ${platformOrderId}`, 'shopee', 'not_found');
      }
      return shopeeDelivery(order, packageNumber);
    },

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const range = windowSeconds(window);
      const list = await client.get(
        '/api/v2/order/get_order_list',
        {
          time_range_field: 'update_time',
          time_from: range.start,
          time_to: range.end,
          page_size: SHOPEE_LIMITS.maxPageSize,
          cursor: window.cursor ?? '',
          response_optional_fields: 'order_status',
        },
        ShopeeOrderListSchema,
      );
      const orders = await details(list.order_list.map((o) => o.order_sn));
      return {
        orders: await normalized(orders),
        nextCursor: list.more && list.next_cursor ? list.next_cursor : null,
      };
    },

    getOrder,

    /**
     * Ships with `non_integrated` (the seller's own carrier): Shopee takes only the tracking number
     * there; the carrier is the logistics channel the shop configured, so our carrier code is not sent.
     * A parcel carrying part of the order ships its own package: the order is split first
     * (`v2.order.split_order`, assumed) where the shop takes split shipments, refused otherwise.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const sn = confirmation.platformOrderId;
      let packageNumber: string | undefined;
      if (confirmation.lineIds?.length) {
        const [order] = await details([sn]);
        if (!order) throw new RequestRejectedError(`shopee has no order ${sn}`, 'shopee', 'not_found');
        packageNumber = await parcelPackage(order, confirmation.lineIds);
      }
      try {
        await client.post(
          '/api/v2/logistics/ship_order',
          {
            order_sn: sn,
            ...(packageNumber ? { package_number: packageNumber } : {}),
            non_integrated: { tracking_number: confirmation.trackingNumber },
          },
          z.unknown(),
        );
      } catch (err) {
        if (!(err instanceof RequestRejectedError)) throw err;
        // Already shipped with this number (a retried activity) counts as success.
        const current = await client.get(
          '/api/v2/logistics/get_tracking_number',
          { order_sn: sn, ...(packageNumber ? { package_number: packageNumber } : {}) },
          ShopeeTrackingNumberSchema,
        );
        if (current.tracking_number !== confirmation.trackingNumber) throw err;
      }
    },

    /** Returns changed in the window; Shopee pages them by number (page_no from 0) with a `more` flag. */
    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const range = windowSeconds(window);
      const page = window.cursor ? Number(window.cursor) : 0;
      if (!Number.isInteger(page) || page < 0) throw new RangeError(`not a page cursor: ${window.cursor}`);
      const data = await client.get(
        '/api/v2/returns/get_return_list',
        {
          page_no: page,
          page_size: SHOPEE_LIMITS.maxPageSize,
          update_time_from: range.start,
          update_time_to: range.end,
        },
        ShopeeReturnListSchema,
      );
      return {
        refunds: data.return.map((raw) => normalizeShopeeReturn(ShopeeReturnSchema.parse(raw))),
        nextCursor: data.more ? String(page + 1) : null,
      };
    },

    /** Shopee never reveals a masked receiver; such orders ship through Shopee's own logistics. */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      if (!order.receiver.protected) return order.receiver;
      throw new RequestRejectedError(
        `shopee masks the receiver of order ${order.platformOrderId} and offers no way to reveal it; ship it through Shopee logistics`,
        'shopee',
        'receiver_masked',
      );
    },

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

/** [from, to) in whole seconds; Shopee's bounds are inclusive, so the end is the last second before `to`. */
function windowSeconds(window: ListWindow): { start: number; end: number } {
  const span = window.to.getTime() - window.from.getTime();
  if (span <= 0) throw new RequestRejectedError('shopee list window is empty', 'shopee', 'bad_window');
  if (span > SHOPEE_LIMITS.maxWindowSeconds * 1000) {
    throw new RequestRejectedError(
      `shopee list window of ${span / 1000} s exceeds ${SHOPEE_LIMITS.maxWindowSeconds} s`,
      'shopee',
      'window_too_long',
    );
  }
  return { start: Math.ceil(window.from.getTime() / 1000), end: Math.ceil(window.to.getTime() / 1000) - 1 };
}

import { z } from 'zod';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { ReceiverSchema, type NormalizedOrder, type Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError, ShipmentUnsupportedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  ReceiverCiphertext,
  RefundPage,
  ShipmentConfirmation,
  TokenSet,
} from '../types.js';
import { assertWindow, decodeCursor, encodeCursor, pageBackwards } from '../taobao/paging.js';
import { normalizeChinaRegion } from '../taobao/region.js';
import { PDD_LOGISTICS_IDS } from './carriers.js';
import { PddClient } from './client.js';
import { normalizePddOrder, normalizePddRefund } from './normalize.js';
import {
  PddDecryptedSchema,
  PddOrderSchema,
  PddRefundSchema,
  type PddOrder,
  type PddRefund,
} from './wire.js';

export interface PddAdapterOptions {
  /** Page size for list calls (PDD allows up to 100). */
  pageSize?: number;
  /** Adds or corrects logistics ids (from the shop's `pdd.logistics.companies.get`). */
  carrierCodes?: Partial<Record<CarrierCode, string>>;
  /**
   * How an order's after-sales reach its lines. `cases` (the default): an order whose
   * `refund_status` says after-sales is open or done (2/3/4) is read together with its after-sales
   * records (`pdd.refund.list.increment.get` with `order_sn`), and each record holds only the line
   * of its `sku_id`. `order`: the order-level `refund_status` is every line's (one call fewer per
   * such order; the conservative reading). The shop's `credentials.extra.lineRefunds` sets it too.
   * The facts do not say whether the list needs its time window beside `order_sn` ("other filters
   * ignored"), so a valid window is sent as well.
   */
  lineRefunds?: 'cases' | 'order';
}

export interface PddAdapter extends PlatformAdapter {
  refreshAccessToken(): Promise<TokenSet>;
}

/** PDD limits (API-FACTS §2.2): updated-time windows of at most 30 minutes, page_size ≤ 100. */
export const PDD_LIMITS: PlatformLimits = { maxWindowSeconds: 30 * 60, maxPageSize: 100 };

const unix = (date: Date) => String(Math.floor(date.getTime() / 1000));

export function createPddAdapter(ctx: AdapterContext, options: PddAdapterOptions = {}): PddAdapter {
  const client = new PddClient(ctx);
  const pageSize = Math.min(options.pageSize ?? PDD_LIMITS.maxPageSize, PDD_LIMITS.maxPageSize);
  const logisticsIds = { ...PDD_LOGISTICS_IDS, ...options.carrierCodes };
  const shop = { shopId: ctx.shopId };
  const lineRefunds =
    options.lineRefunds ?? (ctx.credentials.extra?.['lineRefunds'] === 'order' ? 'order' : 'cases');

  const range = (window: ListWindow) => {
    assertWindow('pdd', window, PDD_LIMITS.maxWindowSeconds);
    // Both ends are whole seconds and inclusive; the window is [from, to).
    return {
      start_updated_at: unix(window.from),
      end_updated_at: String(Math.ceil(window.to.getTime() / 1000) - 1),
    };
  };

  const fetchOrder = async (orderSn: string): Promise<PddOrder> => {
    const body = await client.call('pdd.order.information.get', { order_sn: orderSn });
    const parsed = PddOrderSchema.safeParse(body['order_info']);
    if (!parsed.success)
      throw new PlatformError(`pdd: order ${orderSn} is malformed: ${parsed.error.message}`, 'pdd');
    return parsed.data;
  };

  /** The order's after-sales records, whatever their time (the list filtered by `order_sn`). */
  const casesOf = async (orderSn: string): Promise<PddRefund[]> => {
    const now = new Date();
    const body = await client.call('pdd.refund.list.increment.get', {
      after_sales_status: '1',
      after_sales_type: '1',
      order_sn: orderSn,
      ...range({ from: new Date(now.getTime() - PDD_LIMITS.maxWindowSeconds * 1000 + 1000), to: now }),
      page: '1',
      page_size: String(PDD_LIMITS.maxPageSize),
    });
    return z
      .array(PddRefundSchema)
      .parse(body['refund_list'] ?? [])
      .filter((r) => r.order_sn === orderSn);
  };

  /** The order with its lines' refund states (see `lineRefunds`). */
  const normalize = async (order: PddOrder): Promise<NormalizedOrder> => {
    const afterSales = ['2', '3', '4'].includes(order.refund_status ?? '');
    if (lineRefunds === 'order' || !afterSales) return normalizePddOrder(order, shop);
    return normalizePddOrder(order, shop, await casesOf(order.order_sn));
  };

  return {
    platform: 'pdd',
    limits: PDD_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const times = range(window);
      const cursor = window.cursor ? decodeCursor('pdd', window.cursor, window) : null;
      const size = cursor?.size ?? pageSize;
      const page = await pageBackwards({
        platform: 'pdd',
        window,
        cursor,
        pageSize: size,
        fetchPage: async (pageNo) => {
          const body = await client.call('pdd.order.number.list.increment.get', {
            ...times,
            is_lucky_flag: '0',
            order_status: '5',
            refund_status: '5',
            page: String(pageNo),
            page_size: String(size),
            use_has_next: 'false',
          });
          return {
            items: z.array(PddOrderSchema).parse(body['order_sn_list'] ?? []),
            total: Number(body['total_count'] ?? 0),
          };
        },
      });
      const orders: NormalizedOrder[] = [];
      for (const o of page.items) orders.push(await normalize(o));
      return {
        orders,
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalize(await fetchOrder(platformOrderId));
    },

    /**
     * `pdd.logistics.online.send` (API-FACTS §2.2c) has no per-line form and two modes:
     * `redelivery_type` 1 ships an order awaiting shipment, 2 replaces the waybill of a shipped one.
     * So the first parcel, whole or part, ships the whole order on PDD; a whole-order parcel with
     * another number replaces the waybill (a re-issued label); a number already on the order
     * (`tracking_number` or `extra_delivery_list`) is success. A further parcel of a split order
     * cannot be added through the documented API — mode 2 would replace the first parcel's number,
     * which the buyer is following — so it is ShipmentUnsupportedError naming what to do instead.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const logisticsId = logisticsIds[confirmation.carrier];
      if (!logisticsId) {
        throw new RequestRejectedError(`pdd: no PDD logistics_id for carrier ${confirmation.carrier}`, 'pdd');
      }
      const send = async (redeliveryType: '1' | '2') => {
        const body = await client.call('pdd.logistics.online.send', {
          order_sn: confirmation.platformOrderId,
          logistics_id: logisticsId,
          tracking_number: confirmation.trackingNumber,
          redelivery_type: redeliveryType,
        });
        if (body['is_success'] === false || body['is_success'] === 'false') {
          throw new RequestRejectedError(
            `pdd: shipment of ${confirmation.platformOrderId} not accepted`,
            'pdd',
          );
        }
      };
      try {
        await send('1');
      } catch (err) {
        if (!(err instanceof RequestRejectedError)) throw err;
        const current = await fetchOrder(confirmation.platformOrderId);
        const onOrder = [
          current.tracking_number,
          ...current.extra_delivery_list.map((d) => d.tracking_number),
        ];
        if (onOrder.includes(confirmation.trackingNumber)) return;
        const shipped = current.order_status === '2' || current.order_status === '3';
        if (!shipped || !current.tracking_number) throw err;
        if (!confirmation.lineIds) return send('2');
        throw new ShipmentUnsupportedError(
          `pdd order ${confirmation.platformOrderId} already shipped under ${current.tracking_number}; ` +
            `PDD's API cannot add parcel ${confirmation.trackingNumber} (lines ${confirmation.lineIds.join(', ')}) ` +
            'without replacing that number, so add it in the PDD merchant backend (额外运单) if the buyer should see it',
          'pdd',
        );
      }
    },

    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const times = range(window);
      const cursor = window.cursor ? decodeCursor('pdd', window.cursor, window) : null;
      const size = cursor?.size ?? pageSize;
      const page = await pageBackwards({
        platform: 'pdd',
        window,
        cursor,
        pageSize: size,
        fetchPage: async (pageNo) => {
          const body = await client.call('pdd.refund.list.increment.get', {
            // 1 = all statuses / all types (❓ for the status filter per API-FACTS §19).
            after_sales_status: '1',
            after_sales_type: '1',
            ...times,
            page: String(pageNo),
            page_size: String(size),
          });
          return {
            items: z.array(PddRefundSchema).parse(body['refund_list'] ?? []),
            total: Number(body['total_count'] ?? 0),
          };
        },
      });
      return {
        refunds: page.items.map(normalizePddRefund),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },

    /**
     * Fetches the order's current ciphertext and decrypts it with `pdd.open.decrypt.batch`. PDD
     * only hands out ciphertext while an order awaits shipment; after that there is nothing to
     * decrypt and the call is refused. Note PDD restricts this API to 多多云 deployments.
     */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      if (!order.receiver.protected) return order.receiver;
      const raw = await fetchOrder(order.platformOrderId);
      const cipher = ciphertextOf(order.platformOrderId, raw);
      const body = await client.call('pdd.open.decrypt.batch', {
        data_list: JSON.stringify(
          Object.values(cipher).map((encrypted) => ({
            data_tag: order.platformOrderId,
            encrypted_data: encrypted,
          })),
        ),
      });
      const results = z.array(PddDecryptedSchema).parse(body['data_decrypt_list'] ?? []);
      const plain = (encrypted: string) => {
        const hit = results.find((r) => r.encrypted_data === encrypted);
        if (!hit || (hit.error_code && hit.error_code !== '0') || !hit.decrypted_data) {
          throw new PlatformError(
            `pdd: could not decrypt receiver of ${order.platformOrderId}: ${hit?.error_msg ?? 'no result'}`,
            'pdd',
            hit?.error_code,
          );
        }
        return hit.decrypted_data;
      };
      const region = normalizeChinaRegion({
        province: raw.province ?? '',
        city: raw.city,
        district: raw.town,
      });
      return ReceiverSchema.parse({
        name: plain(cipher.name),
        phone: plain(cipher.phone),
        country: order.receiver.country,
        ...region,
        detail: plain(cipher.detail),
        protected: false,
      });
    },

    /** The order's current ciphertext, for PDD's own e-waybill (which decrypts inside itself). */
    async receiverCiphertext(order: NormalizedOrder): Promise<ReceiverCiphertext> {
      return ciphertextOf(order.platformOrderId, await fetchOrder(order.platformOrderId));
    },

    refreshAccessToken: () => client.refresh(),
  };
}

/** PDD hands out ciphertext only while an order awaits shipment; after that there is none to pass on. */
function ciphertextOf(orderSn: string, raw: PddOrder): ReceiverCiphertext {
  const cipher = { name: raw.receiver_name, phone: raw.receiver_phone, detail: raw.receiver_address };
  if (!cipher.name || !cipher.phone || !cipher.detail) {
    throw new RequestRejectedError(
      `pdd: order ${orderSn} no longer carries receiver ciphertext (PDD withholds it once an order leaves 待发货)`,
      'pdd',
    );
  }
  return { name: cipher.name, phone: cipher.phone, detail: cipher.detail };
}

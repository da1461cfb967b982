import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  ReceiverCiphertext,
  RefundPage,
  ShipmentConfirmation,
} from '../types.js';
import { douyinCompanyCode } from './carriers.js';
import { decryptProtectedReceiver } from '../decrypt-receiver.js';
import { createDouyinClient } from './client.js';
import { normalizeDouyinAfterSale, normalizeDouyinOrder } from './normalize.js';
import { readPagesBackward } from './paging.js';
import {
  DouyinAfterSaleListDataSchema,
  DouyinAfterSaleSchema,
  DouyinDecryptDataSchema,
  DouyinOrderDetailDataSchema,
  DouyinOrderSchema,
  DouyinSearchListDataSchema,
  type DouyinOrder,
} from './wire.js';

/**
 * Douyin's searchList has no published maximum span; one day keeps each window's page count
 * small and is far above the 5-minute polling window. Page size is capped at 100 (doc mirror).
 */
export const DOUYIN_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 100 };

/**
 * Douyin Shop adapter. `ctx.credentials`: appKey/appSecret of the app, accessToken/refreshToken
 * of the shop; `ctx.platformShopId` is the Douyin shop_id.
 */
export function createDouyinAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createDouyinClient(ctx);
  const size = DOUYIN_LIMITS.maxPageSize;

  async function fetchOrder(orderId: string): Promise<DouyinOrder> {
    const data = await client.call(
      'order.orderDetail',
      { shop_order_id: orderId },
      DouyinOrderDetailDataSchema,
    );
    return readOrder(data.shop_order_detail);
  }

  function readOrder(raw: unknown): DouyinOrder {
    const parsed = DouyinOrderSchema.safeParse(raw);
    if (!parsed.success) {
      throw new PlatformError(
        `douyin order we cannot read: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        'douyin',
        'unexpected_response',
      );
    }
    return parsed.data;
  }

  return {
    platform: 'douyin',
    limits: DOUYIN_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const range = windowSeconds(window);
      const { items, nextCursor } = await readPagesBackward(window.cursor, size, async (page) => {
        const data = await client.call(
          'order.searchList',
          {
            page,
            size,
            update_time_start: range.start,
            update_time_end: range.end,
            order_by: 'update_time',
            order_asc: true,
          },
          DouyinSearchListDataSchema,
        );
        return { items: data.shop_order_list, total: data.total };
      });
      return {
        orders: items.map((raw) => normalizeDouyinOrder(readOrder(raw), ctx.shopId)),
        nextCursor,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeDouyinOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const companyCode = douyinCompanyCode(confirmation.carrier);
      if (!companyCode) {
        throw new RequestRejectedError(
          `douyin has no company_code for carrier ${confirmation.carrier}`,
          'douyin',
          'unsupported_carrier',
        );
      }
      const order = confirmation.lineIds?.length ? await fetchOrder(confirmation.platformOrderId) : undefined;
      const carried = order?.sku_order_list.filter((sku) => confirmation.lineIds!.includes(sku.order_id));
      const partial = order !== undefined && carried!.length < order.sku_order_list.length;
      try {
        if (partial) {
          // A parcel carrying some sku orders: /order/logisticsAddMultiPack, one pack naming them
          // (a later parcel of the order is another call with its own pack).
          await client.call(
            'order.logisticsAddMultiPack',
            {
              order_id: confirmation.platformOrderId,
              pack_list: [
                {
                  shipped_order_info: carried!.map((sku) => ({
                    shipped_order_id: sku.order_id,
                    shipped_num: sku.item_num,
                  })),
                  company_code: companyCode,
                  logistics_code: confirmation.trackingNumber,
                },
              ],
              request_id: `${confirmation.platformOrderId}-${confirmation.trackingNumber}`,
            },
            DouyinAnyData,
          );
        } else {
          await client.call(
            'order.logisticsAdd',
            {
              order_id: confirmation.platformOrderId,
              company_code: companyCode,
              logistics_code: confirmation.trackingNumber,
            },
            DouyinAnyData,
          );
        }
      } catch (err) {
        if (!(err instanceof RequestRejectedError)) throw err;
        // Already shipped with this very number (a retried activity) counts as success.
        const now = await fetchOrder(confirmation.platformOrderId);
        if (!now.logistics_info.some((l) => l.tracking_no === confirmation.trackingNumber)) throw err;
      }
    },

    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const range = windowSeconds(window);
      const { items, nextCursor } = await readPagesBackward(window.cursor, size, async (page) => {
        const data = await client.call(
          'afterSale.List',
          {
            page,
            size,
            update_start_time: range.start,
            update_end_time: range.end,
            order_by: ['update_time asc'],
          },
          DouyinAfterSaleListDataSchema,
        );
        return { items: data.items, total: data.total };
      });
      return {
        refunds: items.map((raw) => normalizeDouyinAfterSale(DouyinAfterSaleSchema.parse(raw))),
        nextCursor,
      };
    },

    decryptReceiver: (order: NormalizedOrder): Promise<Receiver> =>
      decryptProtectedReceiver('douyin', order, async (ciphers) => {
        const data = await client.call(
          'order.batchDecrypt',
          { cipher_infos: ciphers.map((c) => ({ auth_id: order.platformOrderId, cipher_text: c.cipher })) },
          DouyinDecryptDataSchema,
        );
        return (cipher) => {
          const found = data.decrypt_infos.find((d) => d.cipher_text === cipher);
          return found && { text: found.decrypt_text, errorCode: found.err_no, errorMessage: found.err_msg };
        };
      }),

    /** The order's current ciphertext, for Douyin's own e-waybill (which decrypts inside itself). */
    async receiverCiphertext(order: NormalizedOrder): Promise<ReceiverCiphertext> {
      const raw = await fetchOrder(order.platformOrderId);
      const cipher = {
        name: raw.encrypt_post_receiver,
        phone: raw.encrypt_post_tel,
        detail: raw.post_addr.encrypt_detail,
      };
      if (!cipher.name || !cipher.phone || !cipher.detail) {
        throw new RequestRejectedError(
          `douyin: order ${order.platformOrderId} carries no receiver ciphertext`,
          'douyin',
        );
      }
      return cipher;
    },

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

const DouyinAnyData = z.unknown();

/** [from, to) in whole seconds; Douyin's bounds are inclusive, so the end is the last second before `to`. */
function windowSeconds(window: ListWindow): { start: number; end: number } {
  const span = window.to.getTime() - window.from.getTime();
  if (span <= 0) throw new RequestRejectedError('douyin list window is empty', 'douyin', 'bad_window');
  if (span > DOUYIN_LIMITS.maxWindowSeconds * 1000) {
    throw new RequestRejectedError(
      `douyin list window of ${span / 1000} s exceeds ${DOUYIN_LIMITS.maxWindowSeconds} s`,
      'douyin',
      'window_too_long',
    );
  }
  return { start: Math.ceil(window.from.getTime() / 1000), end: Math.ceil(window.to.getTime() / 1000) - 1 };
}

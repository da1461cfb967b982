import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { AuthError, RequestRejectedError } from '../errors.js';
import { readWire } from '../wire-fields.js';
import { readNumberedPage } from '../page-cursor.js';
import type {
  AdapterContext,
  ListWindow,
  OrderPage,
  PlatformAdapter,
  PlatformLimits,
  RefundPage,
  ShipmentConfirmation,
  TokenSet,
} from '../types.js';
import { checkedWindow } from '../window.js';
import { listTemuRefunds } from './after-sales.js';
import { temuCarrierId } from './carriers.js';
import { createTemuClient } from './client.js';
import { normalizeTemuOrder, temuSentLines } from './normalize.js';
import {
  TemuOrderAmountSchema,
  TemuOrderListSchema,
  TemuParentOrderSchema,
  TemuShippingInfoSchema,
  type TemuParentOrder,
} from './wire.js';

/**
 * `bg.order.list.v2.get`: `pageSize` at most 100 (docs); no longest `updateAtStart`–`updateAtEnd`
 * span is given: a day per call is our own.
 */
/** The gateway's answer to a token without the grant of the API it calls. */
const TEMU_NOT_GRANTED = '3000032';

export const TEMU_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 100 };

/**
 * Temu adapter (seller-fulfilled orders of local and semi-managed shops). `ctx.credentials`:
 * appKey/appSecret of the app, accessToken shared by the seller; `extra.carrierIds` (carrier →
 * Temu carrierId), `extra.currency` (the shop's currency where Temu gives no amounts, default
 * USD), `extra.country` (its country, ISO alpha-2, default US), `extra.amountQuery` (`off`: never
 * ask `bg.order.amount.query`). `baseUrl` is the region's
 * host (`https://openapi-b-us.temu.com`, `-eu`, `-global`).
 */
export function createTemuAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createTemuClient(ctx);
  const currency = ctx.credentials.extra?.currency || 'USD';
  const country = ctx.credentials.extra?.country || 'US';
  const read = (raw: unknown): TemuParentOrder => readWire('temu', 'order', TemuParentOrderSchema, raw);
  const fetchOrder = async (parentOrderSn: string) =>
    read(await client.call('bg.order.detail.v2.get', { parentOrderSn }, z.unknown()));
  const askAmounts = ctx.credentials.extra?.amountQuery !== 'off';
  /**
   * `bg.order.amount.query` is granted to an app separately: without the grant Temu answers
   * 3000032 (the token may not call it), which here means amounts 0, not a shop whose
   * authorisation failed. The call is made with the order's own token just before, so an expired
   * or unknown token has already failed on the order itself.
   */
  const amountOf = async (parentOrderSn: string) => {
    if (!askAmounts) return null;
    try {
      return await client.call('bg.order.amount.query', { parentOrderSn }, TemuOrderAmountSchema);
    } catch (err) {
      if (err instanceof AuthError && err.code === TEMU_NOT_GRANTED) return null;
      throw err;
    }
  };
  const normalize = async (order: TemuParentOrder) => {
    const parentOrderSn = order.parentOrderMap.parentOrderSn;
    const shipping = await client.call(
      'bg.order.shippinginfo.v2.get',
      { parentOrderSn },
      TemuShippingInfoSchema,
    );
    const amount = await amountOf(parentOrderSn);
    return normalizeTemuOrder(order, shipping, amount, ctx.shopId, currency, country);
  };

  return {
    platform: 'temu',
    limits: TEMU_LIMITS,

    /** Pages of one update-time window, newest first; each order's receiver read with it. */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('temu', window, TEMU_LIMITS.maxWindowSeconds);
      const { items, nextCursor } = await readNumberedPage(
        'temu',
        window.cursor,
        TEMU_LIMITS.maxPageSize,
        async (page) => {
          const result = await client.call(
            'bg.order.list.v2.get',
            {
              pageNumber: page,
              pageSize: TEMU_LIMITS.maxPageSize,
              // Seconds, both ends included (docs: 闭区间).
              updateAtStart: Math.floor(fromMs / 1000),
              updateAtEnd: Math.ceil(toMs / 1000) - 1,
              sortby: 'updateTime',
            },
            TemuOrderListSchema,
          );
          return { total: result.totalItemNum ?? result.pageItems.length, items: result.pageItems };
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
     * `bg.logistics.shipment.confirm` (the docs' signing example): `sendType` 0 and one
     * `sendRequestList` entry {`carrierId`, `trackingNumber`, `orderSendInfoList` of the parcel's
     * unsent sub-orders (`parentOrderSn`, `orderSn`, `goodsId`, `skuId`, `quantity`)}. Temu's
     * order answers show no tracking numbers: a parcel whose sub-orders all show as sent already
     * is taken as done (a retry).
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const carrierId = temuCarrierId(confirmation.carrier, ctx.credentials.extra?.carrierIds);
      if (!carrierId) {
        throw new RequestRejectedError(
          `temu has no carrierId for carrier ${confirmation.carrier}: set credentials.extra.carrierIds`,
          'temu',
          'unsupported_carrier',
        );
      }
      const order = await fetchOrder(confirmation.platformOrderId);
      const status = order.parentOrderMap.parentOrderStatus;
      if (status === 3 || status === 1) {
        throw new RequestRejectedError(
          `temu order ${confirmation.platformOrderId} cannot ship (parentOrderStatus ${status})`,
          'temu',
          'not_shippable',
        );
      }
      const sent = temuSentLines(order);
      const lines = order.orderList.filter(
        (o) => !confirmation.lineIds || confirmation.lineIds.includes(o.orderSn),
      );
      const unsent = lines.filter((o) => !sent.has(o.orderSn) && o.orderStatus === 2);
      if (unsent.length === 0) return;
      await client.call(
        'bg.logistics.shipment.confirm',
        {
          sendType: 0,
          sendRequestList: [
            {
              carrierId,
              trackingNumber: confirmation.trackingNumber,
              orderSendInfoList: unsent.map((o) => ({
                parentOrderSn: order.parentOrderMap.parentOrderSn,
                orderSn: o.orderSn,
                ...(o.goodsId ? { goodsId: Number(o.goodsId) } : {}),
                ...(o.skuId ? { skuId: Number(o.skuId) } : {}),
                quantity: o.quantity,
              })),
            },
          ],
        },
        z.unknown(),
      );
    },

    /** After-sales cases whose status changed in the window (after-sales.ts). */
    listRefunds: (window: ListWindow): Promise<RefundPage> =>
      listTemuRefunds(ctx, window, TEMU_LIMITS.maxWindowSeconds),

    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    // Temu names no refresh call: the seller shares a new token from the Seller Center.
    refreshAccessToken: async (): Promise<TokenSet> => {
      throw new AuthError(
        'temu access tokens are issued by the seller in the Seller Center; ask the seller for a new one',
        'temu',
        'no_refresh',
      );
    },
  };
}

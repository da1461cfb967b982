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
import { decryptProtectedReceiver } from '../decrypt-receiver.js';
import { jsonNumber } from '../lossless-json.js';
import { checkedWindow } from '../window.js';
import { kuaishouExpressCode } from './carriers.js';
import { createKuaishouClient } from './client.js';
import { normalizeKuaishouOrder } from './normalize.js';
import {
  KuaishouCursorListSchema,
  KuaishouDecryptSchema,
  KuaishouOrderSchema,
  type KuaishouOrder,
} from './wire.js';

/**
 * `open.order.cursor.list` (§1.3): window ≤ 7 days, beginTime no earlier than 90 days back,
 * pageSize ≤ 50.
 */
export const KUAISHOU_LIMITS: PlatformLimits = {
  maxWindowSeconds: 7 * 24 * 3600,
  maxPageSize: 50,
  maxLookbackDays: 90,
};

/** The cursor Kuaishou answers when a window has no more pages. */
const NO_MORE = 'nomore';
const Any = z.unknown();

/**
 * Kuaishou 快手小店 adapter. `ctx.credentials`: appKey, appSecret (OAuth), accessToken/refreshToken
 * of the shop, `extra.signSecret` (request signing), `webhookSecret` (the push message key);
 * `ctx.platformShopId` is the seller id.
 */
export function createKuaishouAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createKuaishouClient(ctx);

  function readOrder(raw: unknown): KuaishouOrder {
    const parsed = KuaishouOrderSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PlatformError(
        `kuaishou order we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
        'kuaishou',
        'unexpected_response',
      );
    }
    return parsed.data;
  }
  const fetchOrder = async (oid: string) =>
    readOrder(await client.call('open.order.detail', { oid: jsonNumber(oid) }, Any));

  return {
    platform: 'kuaishou',
    limits: KUAISHOU_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('kuaishou', window, KUAISHOU_LIMITS.maxWindowSeconds);
      const data = await client.call(
        'open.order.cursor.list',
        {
          orderViewStatus: 1,
          pageSize: KUAISHOU_LIMITS.maxPageSize,
          sort: 2,
          queryType: 2,
          beginTime: fromMs,
          // Kuaishou's bounds are inclusive milliseconds.
          endTime: toMs - 1,
          cpsType: 0,
          cursor: window.cursor ?? '',
        },
        KuaishouCursorListSchema,
      );
      return {
        orders: data.orderList.map((raw) => normalizeKuaishouOrder(readOrder(raw), ctx.shopId)),
        nextCursor: data.cursor && data.cursor !== NO_MORE ? data.cursor : null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeKuaishouOrder(await fetchOrder(platformOrderId), ctx.shopId);
    },

    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const expressCode = kuaishouExpressCode(confirmation.carrier, ctx.credentials.extra?.expressCodes);
      if (expressCode === undefined) {
        throw new RequestRejectedError(
          `kuaishou has no expressCode for carrier ${confirmation.carrier}: set credentials.extra.expressCodes`,
          'kuaishou',
          'unsupported_carrier',
        );
      }
      try {
        await client.call(
          'open.seller.order.goods.deliver',
          {
            orderId: jsonNumber(confirmation.platformOrderId),
            expressNo: confirmation.trackingNumber,
            expressCode,
          },
          Any,
          'POST',
        );
      } catch (err) {
        if (!(err instanceof RequestRejectedError)) throw err;
        // Already shipped with this very number (a retried activity) counts as success.
        const now = await fetchOrder(confirmation.platformOrderId);
        if (!now.orderLogisticsInfo.some((l) => l.expressNo === confirmation.trackingNumber)) throw err;
      }
    },

    // Refund cases travel inside the order (`orderRefundList`), which every poll reads; the refund
    // list API is not part of our facts, so there is no separate refund sweep.
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    decryptReceiver: (order: NormalizedOrder): Promise<Receiver> =>
      decryptProtectedReceiver('kuaishou', order, async (ciphers) => {
        const data = await client.call(
          'open.order.decrypt.batch',
          {
            batchDecryptList: ciphers.map((c) => ({ bizId: order.platformOrderId, encryptedData: c.cipher })),
          },
          KuaishouDecryptSchema,
          'POST',
        );
        return (cipher) => {
          const found = data.decryptList.find((d) => d.encryptedData === cipher);
          return (
            found && { text: found.decryptedData, errorCode: found.errorCode, errorMessage: found.errorMsg }
          );
        };
      }),

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

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
import { readNumberedPage } from '../page-cursor.js';
import { checkedWindow, pairsOf } from '../window.js';
import { youzanExpressId } from './carriers.js';
import { createYouzanClient } from './client.js';
import { formatGmt8 } from '../taobao/gmt8.js';
import { normalizeYouzanTrade, youzanShippedLines } from './normalize.js';
import {
  YouzanDecryptSchema,
  YouzanTradeGetSchema,
  YouzanTradeListSchema,
  YouzanTradeSchema,
  type YouzanTrade,
} from './wire.js';

/**
 * `youzan.trades.sold.get` (§4.3): by update time (`start_update`/`end_update`), `page_no` and
 * `page_size` (100, as seen in client code; the maximum and any window limit are UNCONFIRMED: we
 * read at most a day per call).
 */
export const YOUZAN_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 100 };

/**
 * Versions of the APIs we call (§4.3, §4.5); a shop may name others in `extra.versions`
 * (`youzan.trades.sold.get=4.0.4,…`).
 */
const VERSIONS: Record<string, string> = {
  'youzan.trades.sold.get': '4.0.0',
  'youzan.trade.get': '4.0.0',
  'youzan.logistics.online.confirm': '3.0.0',
  'youzan.cloud.secret.decrypt.batch': '1.0.0',
};
const Any = z.unknown();

/**
 * Youzan 有赞 adapter. `ctx.credentials`: appKey/appSecret = the app's client id and secret (the
 * token call); a self-use app needs nothing more (its token comes by `silent` grant for the shop's
 * `kdt_id`), a tool app gives its `refreshToken`; optional `accessToken`/`accessTokenExpiresAt`;
 * `extra.expressIds` (carrier → Youzan express id). `ctx.platformShopId` is the shop's `kdt_id`.
 */
export function createYouzanAdapter(ctx: AdapterContext): PlatformAdapter {
  const client = createYouzanClient(ctx);
  const versions = { ...VERSIONS, ...pairsOf(ctx.credentials.extra?.versions) };
  const call = <T>(api: string, body: unknown, schema: z.ZodType<T>) =>
    client.call(api, versions[api]!, body, schema);

  const read = (raw: unknown): YouzanTrade => {
    const parsed = YouzanTradeSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `youzan trade we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
      'youzan',
      'unexpected_response',
    );
  };
  const fetchTrade = async (tid: string) =>
    read((await call('youzan.trade.get', { tid }, YouzanTradeGetSchema)).full_order_info);

  return {
    platform: 'youzan',
    limits: YOUZAN_LIMITS,

    /** Pages of one update-time window (page-cursor.ts: a total that changes starts it over). */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('youzan', window, YOUZAN_LIMITS.maxWindowSeconds);
      // Seconds in Beijing time; whether end_update is included is UNCONFIRMED, so windows meet
      // on a shared second (an order then is read twice, never missed).
      const { items, nextCursor } = await readNumberedPage(
        'youzan',
        window.cursor,
        YOUZAN_LIMITS.maxPageSize,
        async (pageNo) => {
          const data = await call(
            'youzan.trades.sold.get',
            {
              start_update: formatGmt8(new Date(fromMs)),
              end_update: formatGmt8(new Date(toMs)),
              page_no: pageNo,
              page_size: YOUZAN_LIMITS.maxPageSize,
            },
            YouzanTradeListSchema,
          );
          return { total: data.total_results, items: data.full_order_info_list };
        },
      );
      return {
        orders: items.map((e) => normalizeYouzanTrade(read(e.full_order_info), ctx.shopId)),
        nextCursor,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeYouzanTrade(await fetchTrade(platformOrderId), ctx.shopId);
    },

    /**
     * `youzan.logistics.online.confirm` (§4.5, secondary): `tid`, the carrier's express id as
     * `out_stype`, the number as `out_sid`, `is_no_express` 0, and `oids` naming the parcel's lines
     * when it carries part of the order. A number the trade already shows on those lines is
     * success.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const expressId = youzanExpressId(confirmation.carrier, ctx.credentials.extra?.expressIds);
      if (!expressId) {
        throw new RequestRejectedError(
          `youzan has no express id for carrier ${confirmation.carrier}: set credentials.extra.expressIds`,
          'youzan',
          'unsupported_carrier',
        );
      }
      const trade = await fetchTrade(confirmation.platformOrderId);
      const sent = trade.delivery_order.some((d) =>
        d.dists.some((x) => x.dist_info?.express_no === confirmation.trackingNumber),
      );
      if (sent) return;
      const shipped = youzanShippedLines(trade);
      const oids = trade.orders
        .map((l) => l.oid)
        .filter((oid) => !confirmation.lineIds || confirmation.lineIds.includes(oid))
        .filter((oid) => !shipped.has(oid));
      const whole = oids.length === trade.orders.length;
      await call(
        'youzan.logistics.online.confirm',
        {
          tid: trade.order_info.tid,
          out_stype: expressId,
          out_sid: confirmation.trackingNumber,
          is_no_express: 0,
          ...(whole ? {} : { oids: oids.join(',') }),
        },
        Any,
      );
    },

    // Youzan's refund APIs are not in our facts: refunds are read from the trade (`refund_state`).
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    /**
     * `youzan.cloud.secret.decrypt.batch` (§4.3, secondary; its body `{sources: [...]}` and answer
     * `{ciphertext: plaintext}` UNCONFIRMED): the name, phone and street, asked for only when a
     * waybill needs them (nothing is stored).
     */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      const { receiver } = order;
      if (!receiver.protected) return receiver;
      const sources = [receiver.name, receiver.phone, receiver.detail];
      const plain = await call('youzan.cloud.secret.decrypt.batch', { sources }, YouzanDecryptSchema);
      const [name, phone, detail] = sources.map((s) => plain[s]);
      if (!name || !phone || !detail) {
        throw new RequestRejectedError(
          `youzan gave no plain receiver for trade ${order.platformOrderId}`,
          'youzan',
          'missing',
        );
      }
      return { ...receiver, name, phone, detail, protected: false };
    },

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

import { z } from 'zod';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { ReceiverSchema, type NormalizedOrder, type Receiver } from '../../../domain/order.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
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
import { TOP_COMPANY_CODES } from './carriers.js';
import { TopClient } from './client.js';
import { formatGmt8 } from './gmt8.js';
import { mapLimit } from '../../../domain/map-limit.js';
import { normalizeTopRefund, normalizeTopTrade } from './normalize.js';
import { assertWindow, decodeCursor, encodeCursor, pageBackwards } from './paging.js';
import { normalizeChinaRegion } from './region.js';
import type { TopSignMethod } from './sign.js';
import { tmcMessageToDelivery, type TmcDelivery } from './webhook.js';
import {
  TmcMessageSchema,
  TopDecryptedReceiverSchema,
  TopRefundSchema,
  TopTradeRefSchema,
  TopTradeSchema,
  type TopTrade,
} from './wire.js';

export interface TaobaoAdapterOptions {
  /** Tmall shops use the same TOP API; sellers see them as a separate channel. */
  platform?: 'taobao' | 'tmall';
  signMethod?: TopSignMethod;
  /** Page size for list calls (TOP allows 1–100). */
  pageSize?: number;
  /** Adds or overrides TOP company codes (from the shop's `taobao.logistics.companies.get`). */
  carrierCodes?: Partial<Record<CarrierCode, string>>;
  /** `taobao.top.oaid.decrypt` scene; default 1004 (其他电子面单). */
  decryptScene?: string;
  /** TMC consumer group; default `default`. */
  tmcGroup?: string;
  /** Detail (fullinfo) calls in flight per listed page. */
  detailConcurrency?: number;
}

export interface TaobaoAdapter extends PlatformAdapter {
  refreshAccessToken(): Promise<TokenSet>;
  /** Pulls TMC messages for every seller of the app (route them by `userNick`). */
  consumeMessages(options?: { quantity?: number }): Promise<TmcDelivery[]>;
  confirmMessages(ids: string[]): Promise<void>;
}

/**
 * TOP limits (API-FACTS §1.2): `start_modified`..`end_modified` at most one day, page_size ≤ 100,
 * only the last three months.
 */
export const TOP_LIMITS: PlatformLimits = {
  maxWindowSeconds: 24 * 60 * 60,
  maxPageSize: 100,
  maxLookbackDays: 90,
};

const TRADE_FIELDS = [
  'tid',
  'tid_str',
  'status',
  'type',
  'buyer_nick',
  'buyer_open_uid',
  'seller_nick',
  'created',
  'pay_time',
  'modified',
  'consign_time',
  'end_time',
  'est_con_time',
  'total_fee',
  'discount_fee',
  'adjust_fee',
  'post_fee',
  'payment',
  'buyer_message',
  'seller_memo',
  'receiver_name',
  'receiver_mobile',
  'receiver_phone',
  'receiver_country',
  'receiver_state',
  'receiver_city',
  'receiver_district',
  'receiver_town',
  'receiver_address',
  'receiver_zip',
  'oaid',
  'step_trade_status',
  'step_paid_fee',
  'new_presell',
  'shipping_type',
  'orders',
].join(',');

const REFUND_FIELDS =
  'refund_id,tid,title,buyer_nick,seller_nick,total_fee,status,created,refund_fee,oid,good_status,' +
  'company_name,sid,payment,reason,desc,has_good_return,modified,order_status,refund_phase,dispute_type';

export function createTaobaoAdapter(ctx: AdapterContext, options: TaobaoAdapterOptions = {}): TaobaoAdapter {
  const platform = options.platform ?? 'taobao';
  const client = new TopClient(ctx, platform, options.signMethod ?? 'md5');
  const pageSize = Math.min(options.pageSize ?? TOP_LIMITS.maxPageSize, TOP_LIMITS.maxPageSize);
  const companyCodes = { ...TOP_COMPANY_CODES, ...options.carrierCodes };
  const shop = { platform, shopId: ctx.shopId };
  const now = () => ctx.now?.() ?? new Date();

  const checkWindow = (window: ListWindow) => {
    assertWindow(platform, window, TOP_LIMITS.maxWindowSeconds);
    const oldest = now().getTime() - (TOP_LIMITS.maxLookbackDays ?? 90) * 86_400_000;
    if (window.from.getTime() < oldest) {
      throw new RequestRejectedError(`${platform}: TOP only lists the last three months`, platform);
    }
    return {
      start_modified: formatGmt8(window.from),
      // TOP's end is inclusive at second precision; the window is [from, to).
      end_modified: formatGmt8(new Date(Math.ceil(window.to.getTime() / 1000) * 1000 - 1000)),
    };
  };

  const fetchTrade = async (tid: string): Promise<TopTrade> => {
    const body = await client.call('taobao.trade.fullinfo.get', {
      fields: TRADE_FIELDS,
      tid,
      include_oaid: 'true',
    });
    const parsed = TopTradeSchema.safeParse(body['trade']);
    if (!parsed.success)
      throw new PlatformError(
        `${platform}: fullinfo of ${tid} is malformed: ${parsed.error.message}`,
        platform,
      );
    return parsed.data;
  };

  return {
    platform,
    limits: TOP_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const range = checkWindow(window);
      const cursor = window.cursor ? decodeCursor(platform, window.cursor, window) : null;
      const page = await pageBackwards({
        platform,
        window,
        cursor,
        pageSize: cursor?.size ?? pageSize,
        fetchPage: async (pageNo) => {
          const body = await client.call('taobao.trades.sold.increment.get', {
            fields: 'tid,tid_str,modified',
            ...range,
            page_no: String(pageNo),
            page_size: String(cursor?.size ?? pageSize),
            use_has_next: 'false',
          });
          return {
            items: z.array(TopTradeRefSchema).parse(body['trades'] ?? []),
            total: Number(body['total_results'] ?? 0),
          };
        },
      });
      const orders = await mapLimit(page.items, options.detailConcurrency ?? 4, async (ref) =>
        normalizeTopTrade(await fetchTrade(ref.tid_str || ref.tid), shop),
      );
      return { orders, nextCursor: page.next ? encodeCursor(page.next) : null };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeTopTrade(await fetchTrade(platformOrderId), shop);
    },

    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const companyCode = companyCodes[confirmation.carrier];
      if (!companyCode) {
        throw new RequestRejectedError(
          `${platform}: no TOP company_code for carrier ${confirmation.carrier}`,
          platform,
        );
      }
      const split = confirmation.lineIds && confirmation.lineIds.length > 0;
      try {
        const body = await client.call('taobao.logistics.offline.send', {
          tid: confirmation.platformOrderId,
          out_sid: confirmation.trackingNumber,
          company_code: companyCode,
          ...(split ? { sub_tid: confirmation.lineIds!.join(','), is_split: '1' } : {}),
        });
        const shipping = body['shipping'] as { is_success?: unknown } | undefined;
        if (shipping?.is_success === false || shipping?.is_success === 'false') {
          throw new RequestRejectedError(
            `${platform}: shipment of ${confirmation.platformOrderId} not accepted`,
            platform,
          );
        }
      } catch (err) {
        // TOP refuses a second send ("已经发货…不能重复发货"); the same tracking number already on
        // the order means our earlier attempt went through, which is success.
        if (err instanceof RequestRejectedError && (await alreadyShipped(confirmation))) return;
        throw err;
      }
    },

    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const range = checkWindow(window);
      const cursor = window.cursor ? decodeCursor(platform, window.cursor, window) : null;
      const page = await pageBackwards({
        platform,
        window,
        cursor,
        pageSize: cursor?.size ?? pageSize,
        fetchPage: async (pageNo) => {
          const body = await client.call('taobao.refunds.receive.get', {
            fields: REFUND_FIELDS,
            ...range,
            page_no: String(pageNo),
            page_size: String(cursor?.size ?? pageSize),
            use_has_next: 'false',
          });
          return {
            items: z.array(TopRefundSchema).parse(body['refunds'] ?? []),
            total: Number(body['total_results'] ?? 0),
          };
        },
      });
      return {
        refunds: page.items.map(normalizeTopRefund),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },

    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      if (!order.receiver.protected) return order.receiver;
      let oaid = order.receiver.addressHandle;
      for (let attempt = 0; attempt < 2; attempt++) {
        if (!oaid) {
          throw new RequestRejectedError(
            `${platform}: order ${order.platformOrderId} has no oaid to decrypt`,
            platform,
          );
        }
        const body = await client.call('taobao.top.oaid.decrypt', {
          query_list: JSON.stringify([
            { oaid, tid: order.platformOrderId, scene: options.decryptScene ?? '1004' },
          ]),
        });
        const [found] = z.array(TopDecryptedReceiverSchema).parse(body['receiver_list'] ?? []);
        if (!found) throw new PlatformError(`${platform}: decrypt returned no receiver`, platform);
        if (found.matched === false || found.matched === 'false') {
          // The oaid went stale (address changed since we fetched the order): fetch the current one.
          oaid = (await fetchTrade(order.platformOrderId)).oaid;
          continue;
        }
        const region = normalizeChinaRegion({
          province: found.state || order.receiver.province,
          city: found.city ?? order.receiver.city,
          district: found.district ?? order.receiver.district,
          town: found.town ?? order.receiver.town,
        });
        return ReceiverSchema.parse({
          name: found.name,
          phone: found.mobile || found.phone,
          country: order.receiver.country,
          ...region,
          detail: found.address_detail,
          ...(order.receiver.postalCode ? { postalCode: order.receiver.postalCode } : {}),
          protected: false,
        });
      }
      throw new PlatformError(`${platform}: oaid of ${order.platformOrderId} never matched`, platform);
    },

    refreshAccessToken: () => client.refresh(),

    async consumeMessages({ quantity = 100 } = {}): Promise<TmcDelivery[]> {
      const body = await client.callApp('taobao.tmc.messages.consume', {
        group_name: options.tmcGroup ?? 'default',
        quantity: String(Math.max(10, Math.min(200, quantity))),
      });
      return z
        .array(TmcMessageSchema)
        .parse(body['messages'] ?? [])
        .map(tmcMessageToDelivery);
    },

    async confirmMessages(ids: string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 200) {
        await client.callApp('taobao.tmc.messages.confirm', {
          group_name: options.tmcGroup ?? 'default',
          s_message_ids: ids.slice(i, i + 200).join(','),
        });
      }
    },
  };

  async function alreadyShipped(confirmation: ShipmentConfirmation): Promise<boolean> {
    const trade = await fetchTrade(confirmation.platformOrderId);
    const lines = confirmation.lineIds?.length
      ? trade.orders.filter((o) => confirmation.lineIds!.includes(o.oid_str || o.oid))
      : trade.orders;
    return lines.length > 0 && lines.every((o) => o.invoice_no === confirmation.trackingNumber);
  }
}

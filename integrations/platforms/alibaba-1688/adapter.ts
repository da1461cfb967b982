import { z } from 'zod';
import type { NormalizedOrder, Receiver } from '../../../domain/order.js';
import { RequestRejectedError } from '../errors.js';
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
} from '../types.js';
import { checkedWindow } from '../window.js';
import { alibaba1688Carrier } from './carriers.js';
import { createAlibaba1688Client } from './client.js';
import {
  alibaba1688LineId,
  alibaba1688OrderId,
  alibaba1688ShippedLines,
  normalizeAlibaba1688Order,
} from './normalize.js';
import { format1688Time } from './time.js';
import {
  Alibaba1688OrderListSchema,
  Alibaba1688OrderViewSchema,
  Alibaba1688TradeSchema,
  type Alibaba1688Trade,
} from './wire.js';

/**
 * `alibaba.trade.getSellerOrderList`: `pageSize` at most 20 (doc); the doc names no longest
 * `modifyStartTime`–`modifyEndTime` span: a day per call is our own.
 */
export const ALIBABA_1688_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 3600, maxPageSize: 20 };

const TRADE = 'com.alibaba.trade';
const LOGISTICS = 'com.alibaba.logistics';

/**
 * 1688 (阿里巴巴 1688.com) adapter, seller side. `ctx.credentials`: appKey/appSecret of the app,
 * accessToken/refreshToken of the seller's authorization; `extra.cpCodes` (carrier → 1688
 * logistics company code), `extra.tokenCodes` (further gateway codes meaning a refused token).
 * `ctx.platformShopId` is the seller's member id.
 */
export function createAlibaba1688Adapter(ctx: AdapterContext): PlatformAdapter {
  const client = createAlibaba1688Client(ctx);
  const read = (raw: unknown): Alibaba1688Trade =>
    readWire('alibaba_1688', 'order', Alibaba1688TradeSchema, raw);
  const fetchOrder = async (orderId: string) =>
    read(
      (
        await client.call(
          TRADE,
          'alibaba.trade.get.sellerView',
          { webSite: '1688', orderId },
          Alibaba1688OrderViewSchema,
        )
      ).result,
    );

  return {
    platform: 'alibaba_1688',
    limits: ALIBABA_1688_LIMITS,

    /** Pages of one modify-time window (page-cursor.ts: a total that changes starts it over). */
    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { fromMs, toMs } = checkedWindow('alibaba_1688', window, ALIBABA_1688_LIMITS.maxWindowSeconds);
      const { items, nextCursor } = await readNumberedPage(
        'alibaba_1688',
        window.cursor,
        ALIBABA_1688_LIMITS.maxPageSize,
        async (page) => {
          const answer = await client.call(
            TRADE,
            'alibaba.trade.getSellerOrderList',
            {
              // Milliseconds; whether modifyEndTime is included is UNCONFIRMED: we ask [from, to − 1 ms].
              modifyStartTime: format1688Time(new Date(fromMs)),
              modifyEndTime: format1688Time(new Date(toMs - 1)),
              page: String(page),
              pageSize: String(ALIBABA_1688_LIMITS.maxPageSize),
              needBuyerAddressAndPhone: 'true',
              needMemoInfo: 'true',
            },
            Alibaba1688OrderListSchema,
          );
          return { total: answer.totalRecord ?? answer.result.length, items: answer.result };
        },
      );
      return { orders: items.map((o) => normalizeAlibaba1688Order(read(o), ctx.shopId)), nextCursor };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeAlibaba1688Order(await fetchOrder(platformOrderId), ctx.shopId);
    },

    /**
     * `alibaba.logistics.OpDeliverySendOrder.offline` (doc): the order as `sourceId`, the parcel's
     * sub-orders as `sendGoodEntries` (`sourceEntryId`, `amount` = the line's quantity: 1688 ships
     * whole sub-orders), `extBody` `{cpCode, logisticsCpName, mailNo}` and `gmtSend`. Lines 1688
     * says it cannot send (`canSendGoods` false: a forming group, a Cainiao warehouse order) are
     * refused with its reason; a number the order already shows is success.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const carrier = alibaba1688Carrier(confirmation.carrier, ctx.credentials.extra?.cpCodes);
      if (!carrier) {
        throw new RequestRejectedError(
          `1688 has no logistics company code for carrier ${confirmation.carrier}: set credentials.extra.cpCodes`,
          'alibaba_1688',
          'unsupported_carrier',
        );
      }
      const order = await fetchOrder(confirmation.platformOrderId);
      const sent = order.nativeLogistics?.logisticsItems ?? [];
      if (sent.some((l) => l.logisticsBillNo === confirmation.trackingNumber)) return;
      const shipped = alibaba1688ShippedLines(order);
      const lines = order.productItems
        .filter((i) => !confirmation.lineIds || confirmation.lineIds.includes(alibaba1688LineId(i)))
        .filter((i) => !shipped.has(alibaba1688LineId(i)));
      if (lines.length === 0) {
        throw new RequestRejectedError(
          `1688 order ${confirmation.platformOrderId} has no unsent line left for this parcel`,
          'alibaba_1688',
          'nothing_to_send',
        );
      }
      const blocked = lines.find((i) => i.canSendGoods === false);
      if (blocked) {
        throw new RequestRejectedError(
          `1688 will not let line ${alibaba1688LineId(blocked)} ship now: ${blocked.cantSendReason || 'canSendGoods is false'}`,
          'alibaba_1688',
          'cannot_send',
        );
      }
      await client.call(
        LOGISTICS,
        'alibaba.logistics.OpDeliverySendOrder.offline',
        {
          sendGoods: JSON.stringify([
            {
              sourceId: alibaba1688OrderId(order),
              sendGoodEntries: lines.map((i) => ({
                sourceEntryId: alibaba1688LineId(i),
                amount: i.quantity,
              })),
            },
          ]),
          extBody: JSON.stringify({
            cpCode: carrier.cpCode,
            logisticsCpName: carrier.name,
            mailNo: confirmation.trackingNumber,
          }),
          gmtSend: format1688Time(confirmation.shippedAt),
        },
        z.unknown(),
      );
    },

    // Refund cases are read from the order's product items (no refund sweep).
    async listRefunds(): Promise<RefundPage> {
      return { refunds: [], nextCursor: null };
    },

    // The receiver comes in plain text (as far as the facts go).
    decryptReceiver: async (order: NormalizedOrder): Promise<Receiver> => order.receiver,

    refreshAccessToken: () => client.refreshAccessToken(),
  };
}

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
} from '../types.js';
import { formatGmt8 } from '../taobao/gmt8.js';
import { isRecord } from '../taobao/json.js';
import {
  assertWindow,
  decodeCursor,
  encodeCursor,
  pageBackwards,
  phaseStartCursor,
} from '../taobao/paging.js';
import { normalizeChinaRegion } from '../taobao/region.js';
import { JD_LOGI_COPR_IDS } from './carriers.js';
import { assertJdSuccess, JdClient } from './client.js';
import { normalizeJdOrder, normalizeJdRefundApply, stripRegionPrefix } from './normalize.js';
import { JD_ORDER_STATES } from './status.js';
import { createJdServiceOrders, jdServiceOptionsOf } from './service-orders.js';
import { JdDecryptedSchema, JdOrderSchema, JdRefundApplySchema, type JdOrder } from './wire.js';

export interface JdAdapterOptions {
  /** Page size for order search (JD: up to 100; refund pages are capped at JD's 50). */
  pageSize?: number;
  /** Adds or corrects logiCoprIds (from the shop's own JD carrier list). */
  carrierCodes?: Partial<Record<CarrierCode, string>>;
  /** `appName` and `scenesType` of `jingdong.jos.order.oaid.decrypt` (❓ accepted values). */
  decryptAppName?: string;
  decryptScene?: string;
}

/**
 * JD limits. JD documents neither the search window nor its page size in our sources (API-FACTS
 * §3.2 ❓); ERPs use 100 rows per page and JD serves at most 100 pages. We keep windows to one day
 * (the refund-apply queries allow 7 and 10 days), and the simulator enforces the same.
 */
export const JD_LIMITS: PlatformLimits = { maxWindowSeconds: 24 * 60 * 60, maxPageSize: 100 };
const REFUND_PAGE_SIZE = 50;

const OPTIONAL_FIELDS = [
  'orderId',
  'venderId',
  'orderType',
  'orderState',
  'orderTotalPrice',
  'orderSellerPrice',
  'sellerDiscount',
  'freightPrice',
  'orderPayment',
  'balanceUsed',
  'orderRemark',
  'venderRemark',
  'orderStartTime',
  'paymentConfirmTime',
  'orderEndTime',
  'modified',
  'pin',
  'open_id_buyer',
  'oaid',
  'consigneeInfo',
  'itemInfoList',
  'couponDetailList',
  'waybill',
  'logisticsId',
  'idSopShipmenttype',
].join(',');

/**
 * JD has no push channel we can build on: its message subscription (JMQ) is not documented in any
 * source we have (API-FACTS §3.1 ❓), so JD orders and refunds are captured by polling alone.
 */
export function createJdAdapter(ctx: AdapterContext, options: JdAdapterOptions = {}): PlatformAdapter {
  const client = new JdClient(ctx);
  const services = createJdServiceOrders(client, jdServiceOptionsOf(ctx.credentials.extra));
  const pageSize = Math.min(options.pageSize ?? JD_LIMITS.maxPageSize, JD_LIMITS.maxPageSize);
  const logiIds = { ...JD_LOGI_COPR_IDS, ...options.carrierCodes };
  const shop = { shopId: ctx.shopId };

  const range = (window: ListWindow) => {
    assertWindow('jd', window, JD_LIMITS.maxWindowSeconds);
    return {
      start: formatGmt8(window.from),
      end: formatGmt8(new Date(Math.ceil(window.to.getTime() / 1000) * 1000 - 1000)),
    };
  };

  const fetchOrder = async (orderId: string): Promise<JdOrder> => {
    const env = await client.call('jingdong.pop.order.get', {
      order_id: orderId,
      optional_fields: OPTIONAL_FIELDS,
    });
    const detail = env['orderDetailInfo'];
    assertJdSuccess('jingdong.pop.order.get', isRecord(detail) ? detail['apiResult'] : undefined);
    const parsed = JdOrderSchema.safeParse(isRecord(detail) ? detail['orderInfo'] : undefined);
    if (!parsed.success)
      throw new PlatformError(`jd: order ${orderId} is malformed: ${parsed.error.message}`, 'jd');
    return parsed.data;
  };

  return {
    platform: 'jd',
    limits: JD_LIMITS,

    async listOrders(window: ListWindow): Promise<OrderPage> {
      const { start, end } = range(window);
      const cursor = window.cursor ? decodeCursor('jd', window.cursor, window) : null;
      const size = cursor?.size ?? pageSize;
      // JD documents no paging advice; backwards is safe whatever the sort order, so we use it too.
      const page = await pageBackwards({
        platform: 'jd',
        window,
        cursor,
        pageSize: size,
        maxPage: 100,
        fetchPage: async (pageNo) => {
          const env = await client.call('jingdong.pop.order.search', {
            start_date: start,
            end_date: end,
            order_state: JD_ORDER_STATES.join(','),
            optional_fields: OPTIONAL_FIELDS,
            page: String(pageNo),
            page_size: String(size),
            // 0 = by modified time (❓ per community code; JD's doc text is not in our sources).
            dateType: 0,
            sortType: 1,
          });
          const result = isRecord(env['searchorderinfo_result']) ? env['searchorderinfo_result'] : {};
          assertJdSuccess('jingdong.pop.order.search', result['apiResult']);
          return {
            items: z.array(JdOrderSchema).parse(result['orderInfoList'] ?? []),
            total: Number(result['orderTotal'] ?? 0),
          };
        },
      });
      return {
        orders: page.items.map((o) => normalizeJdOrder(o, shop)),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },

    async getOrder(platformOrderId: string): Promise<NormalizedOrder> {
      return normalizeJdOrder(await fetchOrder(platformOrderId), shop);
    },

    /**
     * Ships the whole order: JD takes every parcel of an order in one call (`logiNo` joins several
     * numbers), so a later, different tracking number for the same order is refused rather than
     * replacing the first.
     */
    async confirmShipment(confirmation: ShipmentConfirmation): Promise<void> {
      const logiCoprId = logiIds[confirmation.carrier];
      if (!logiCoprId)
        throw new RequestRejectedError(`jd: no JD logiCoprId for carrier ${confirmation.carrier}`, 'jd');
      try {
        const env = await client.call('jingdong.pop.order.shipment', {
          orderId: confirmation.platformOrderId,
          logiCoprId,
          logiNo: confirmation.trackingNumber,
        });
        assertJdSuccess('jingdong.pop.order.shipment', env['sopjosshipment_result']);
      } catch (err) {
        if (err instanceof RequestRejectedError) {
          const current = await fetchOrder(confirmation.platformOrderId);
          const numbers = (current.waybill ?? '').split(/[|,]/);
          if (numbers.includes(confirmation.trackingNumber)) return;
        }
        throw err;
      }
    },

    /**
     * Refund cases before shipment (退款审核单). JD filters them by apply time or by check time,
     * not by a modified time, so a window is listed twice: applications made in it, then
     * decisions made in it. Then the after-sale service orders (售后服务单, `service-orders.ts`):
     * those waiting for the seller's audit (`jingdong.asc.audit.list`, a queue with no time filter,
     * read whole in every window), and those finished in the window (`jingdong.asc.query.list` by
     * finish time), so a case agreed here learns when JD refunded or closed it.
     */
    async listRefunds(window: ListWindow): Promise<RefundPage> {
      const { start, end } = range(window);
      const cursor = window.cursor
        ? decodeCursor('jd', window.cursor, window)
        : phaseStartCursor(window, REFUND_PAGE_SIZE, 'apply');
      const phase = cursor.phase ?? 'apply';
      const after: Record<string, string | null> = {
        apply: 'check',
        check: 'service',
        service: 'finished',
        finished: null,
      };
      const nextPhase = () => {
        const following = after[phase] ?? null;
        return following ? phaseStartCursor(window, REFUND_PAGE_SIZE, following) : null;
      };
      if (phase === 'service') {
        // The audit queue is read forwards from page 1 (it has no window to shift in).
        const pageNumber = Math.max(1, cursor.page);
        const { rows, total } = await services.pending(pageNumber, REFUND_PAGE_SIZE);
        const more = pageNumber * REFUND_PAGE_SIZE < total && rows.length > 0 && pageNumber < 100;
        const next = more ? { ...cursor, page: pageNumber + 1 } : nextPhase();
        return { refunds: rows, nextCursor: next ? encodeCursor(next) : null };
      }
      if (phase === 'finished') {
        const page = await pageBackwards({
          platform: 'jd',
          window,
          cursor,
          pageSize: REFUND_PAGE_SIZE,
          phase,
          maxPage: 100,
          fetchPage: async (pageNumber) => {
            const { rows, total } = await services.finished(start, end, pageNumber, REFUND_PAGE_SIZE);
            return { items: rows, total };
          },
        });
        return { refunds: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
      }
      const page = await pageBackwards({
        platform: 'jd',
        window,
        cursor,
        pageSize: REFUND_PAGE_SIZE,
        phase,
        maxPage: 100,
        fetchPage: async (pageIndex) => {
          const env = await client.call('jingdong.pop.afs.soa.refundapply.queryPageList', {
            [`${phase}TimeStart`]: start,
            [`${phase}TimeEnd`]: end,
            pageIndex,
            pageSize: REFUND_PAGE_SIZE,
          });
          const result = isRecord(env['queryResult']) ? env['queryResult'] : {};
          assertJdSuccess('jingdong.pop.afs.soa.refundapply.queryPageList', result);
          return {
            items: z.array(JdRefundApplySchema).parse(result['result'] ?? []),
            total: Number(result['totalCount'] ?? 0),
          };
        },
      });
      const next = page.next ?? nextPhase();
      return {
        refunds: page.items.map(normalizeJdRefundApply),
        nextCursor: next ? encodeCursor(next) : null,
      };
    },

    /** JD OAuth `/oauth2/refresh_token` (see JdClient); new tokens go to `onTokensRefreshed`. */
    refreshAccessToken: () => client.refresh(),

    /** `jingdong.jos.order.oaid.decrypt` (⚠️ request per seven_jd; response shape ❓). */
    async decryptReceiver(order: NormalizedOrder): Promise<Receiver> {
      if (!order.receiver.protected) return order.receiver;
      const oaid = order.receiver.addressHandle;
      if (!oaid)
        throw new RequestRejectedError(`jd: order ${order.platformOrderId} has no oaid to decrypt`, 'jd');
      const env = await client.call('jingdong.jos.order.oaid.decrypt', {
        getReceiverInfoListReqVO: {
          orderType: 'POP',
          appName: options.decryptAppName ?? 'order-erp',
          scenesType: options.decryptScene ?? '1004',
          orderInfos: [{ orderId: order.platformOrderId, oaid }],
        },
      });
      const result = isRecord(env['returnType']) ? env['returnType'] : {};
      const [found] = z.array(JdDecryptedSchema).parse(result['data'] ?? []);
      if (!found)
        throw new PlatformError(`jd: decrypt returned no receiver for ${order.platformOrderId}`, 'jd');
      const region = normalizeChinaRegion({
        province: found.province ?? order.receiver.province,
        city: found.city,
        district: found.county,
        town: found.town,
      });
      return ReceiverSchema.parse({
        name: found.fullname,
        phone: found.mobile || found.telephone,
        country: order.receiver.country,
        ...region,
        detail: stripRegionPrefix(found.fullAddress ?? '', [
          found.province,
          found.city,
          found.county,
          found.town,
        ]),
        protected: false,
      });
    },
  };
}

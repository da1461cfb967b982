import { z } from 'zod';
import { ReturnAddressSchema, type ReturnAddress } from '../return-address.js';
import { decimalToMinor } from '../../../domain/money.js';
import type { AfterSaleKind } from '../../../domain/after-sales.js';
import type { PlatformCase, PlatformCaseStatus, PlatformWriteResult } from '../after-sales-types.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import { isRecord } from '../taobao/json.js';
import type { RefundCaseStatus, RefundInfo } from '../types.js';
import { assertJdSuccess, type JdClient } from './client.js';

/**
 * JD after-sale service orders (售后服务单, the `jingdong.asc.*` family, AFTER-SALES-FACTS §1.2):
 * what a buyer asks after the goods left (a return, an exchange, a repair). Method names and
 * parameters are SDK-level (S-JDSDK); the answers' shapes and every value list (`customerExpect`,
 * `serviceStatus`) are ❓ in the facts, so the answers are read tolerantly (rows are the objects
 * that carry a `serviceId`, wherever JOS wraps them) and the value lists are options with the
 * defaults below (docs/after-sales.md, "JD service orders").
 *
 * A service order's case id is `asc-{serviceId}`, apart from the refund applies' plain ids.
 */
export const JD_SERVICE_CASE_PREFIX = 'asc-';

export const isJdServiceCaseId = (platformCaseId: string) =>
  platformCaseId.startsWith(JD_SERVICE_CASE_PREFIX);
export const jdServiceIdOf = (platformCaseId: string) => platformCaseId.slice(JD_SERVICE_CASE_PREFIX.length);

/** ❓ `serviceStatus` → where the case stands (defaults; `extra.jdServiceStatuses` overrides, JSON). */
export const JD_SERVICE_STATUSES: Record<string, { word: string; status: PlatformCaseStatus }> = {
  '10001': { word: '待审核', status: 'open' },
  '10002': { word: '待客户寄回', status: 'waiting_buyer' },
  '10003': { word: '客户已寄回待收货', status: 'waiting_buyer' },
  '10004': { word: '已收货待退款', status: 'agreed' },
  '10005': { word: '退款中', status: 'agreed' },
  '10010': { word: '完成', status: 'refunded' },
  '10011': { word: '审核不通过', status: 'refused' },
  '10012': { word: '取消', status: 'closed' },
};

/** ❓ `customerExpect` (the facts: commonly 10 退货 / 20 换货 / 30 维修) → our kind. */
const EXPECT_KIND: Record<string, AfterSaleKind> = {
  '10': 'return_refund',
  '20': 'exchange',
  '30': 'exchange',
};
const EXPECT_WORD: Record<string, string> = { '10': '退货', '20': '换货', '30': '维修' };

const text = z
  .union([z.string(), z.number()])
  .transform(String)
  .nullish()
  .transform((v) => v ?? undefined);
const id = z.union([z.string().min(1), z.number()]).transform(String);

/** A service order as JD answers it (field names from the peer schema S-QH; ❓ which are present). */
export const JdServiceOrderSchema = z.object({
  serviceId: id,
  orderId: id,
  customerExpect: text,
  serviceStatus: id,
  applyTime: text,
  updateTime: text,
  approveTime: text,
  finishTime: text,
  skuId: text,
  wareName: text,
  /** ❓ yuan with 2 decimals, as JD order prices. */
  actualPayPrice: text,
  serviceCount: text,
  /** The optimistic version every write sends back (AFTER-SALES-FACTS §1.2). */
  sysVersion: text,
  questionDesc: text,
  /** The buyer's parcel back (❓ field names: the `expressCode` filter of `asc.query.list`). */
  expressCode: text,
  expressCompany: text,
});
export type JdServiceOrder = z.infer<typeof JdServiceOrderSchema>;

/** The shop's return address for `asc.audit.send` (`credentials.extra.returnAddress`, JSON). */
export const JdReturnAddressSchema = ReturnAddressSchema;
export type JdReturnAddress = ReturnAddress;

export interface JdServiceOptions {
  statuses?: Record<string, { word: string; status: PlatformCaseStatus }>;
  /** `operatePin` / `operateNick` sent with every write (the seller's operator on JD). */
  operator?: string;
  /** The shop's return address; absent: an agreement is for a person (`not_offered`). */
  returnAddress?: JdReturnAddress;
  /**
   * Whether `asc.audit.send` is the agreement of a return (❓ in the facts: "approve and ask the
   * buyer to send goods back to this address"). `false`: agreements go to a person.
   */
  sendAgreesReturn?: boolean;
  /**
   * `packingState` / `qualityState` of `asc.receive.register` for goods that came back as sold
   * (❓ no value list in the facts: defaults `10`, a shop's `extra.jdReceivePackingState` /
   * `extra.jdReceiveQualityState` replace them).
   */
  receivedStates?: { packing: string; quality: string };
}

/** Every object under `value` (two levels of JOS wrapping at most) that carries a `serviceId`. */
function serviceRows(value: unknown, depth = 0): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap((v) => serviceRows(v, depth));
  if (!isRecord(value)) return [];
  if ('serviceId' in value) return [value];
  if (depth > 3) return [];
  return Object.values(value).flatMap((v) => serviceRows(v, depth + 1));
}

/** The first object of a JOS answer that reports `success` (its wrapper key is ❓ per call). */
function resultOf(envelope: Record<string, unknown>): Record<string, unknown> {
  if ('success' in envelope) return envelope;
  const inner = Object.values(envelope).find((v) => isRecord(v) && 'success' in v);
  return isRecord(inner) ? inner : envelope;
}

/** A total the list reports (`totalCount`, `total`, …), else the rows' count. */
function totalOf(envelope: Record<string, unknown>, rows: number): number {
  const result = resultOf(envelope);
  for (const key of ['totalCount', 'total', 'totalNum', 'count']) {
    const n = Number(result[key]);
    if (Number.isFinite(n) && result[key] !== undefined) return n;
  }
  return rows;
}

export function createJdServiceOrders(client: JdClient, options: JdServiceOptions = {}) {
  const statuses = options.statuses ?? JD_SERVICE_STATUSES;
  const operator = options.operator ?? 'erp';
  const statusOf = (order: JdServiceOrder) => {
    const known = statuses[order.serviceStatus];
    if (!known) {
      throw new PlatformError(
        `jd: service order ${order.serviceId} has serviceStatus ${order.serviceStatus}, which this shop's status list does not name`,
        'jd',
      );
    }
    return known;
  };
  const parseRows = (envelope: Record<string, unknown>, method: string) => {
    assertJdSuccess(method, resultOf(envelope));
    return serviceRows(envelope).map((row) => {
      const parsed = JdServiceOrderSchema.safeParse(row);
      if (!parsed.success) throw new PlatformError(`jd ${method}: ${parsed.error.message}`, 'jd');
      return parsed.data;
    });
  };

  const toCase = (order: JdServiceOrder): PlatformCase => {
    const { word, status } = statusOf(order);
    const kind = EXPECT_KIND[order.customerExpect ?? ''] ?? 'return_refund';
    const createdAt = gmt8ToIso(order.applyTime);
    if (!createdAt) throw new PlatformError(`jd: service order ${order.serviceId} has no applyTime`, 'jd');
    const modifiedAt =
      gmt8ToIso(order.updateTime) ?? gmt8ToIso(order.finishTime) ?? gmt8ToIso(order.approveTime) ?? createdAt;
    const expect = order.customerExpect ?? '';
    return {
      platformCaseId: `${JD_SERVICE_CASE_PREFIX}${order.serviceId}`,
      platformOrderId: order.orderId,
      kind,
      status,
      platformStatus: `${order.serviceStatus} ${word} (${EXPECT_WORD[expect] ?? `customerExpect ${expect}`})`,
      amountFen: order.actualPayPrice ? decimalToMinor(order.actualPayPrice) : 0,
      reason: order.questionDesc ?? '',
      lineIds: order.skuId ? [order.skuId] : [],
      shipped: true,
      // A return is answered on JD (audit.send / audit.refuse) and its goods registered back
      // (receive.register); exchanges and repairs go to a person.
      answersAfterShipment: kind === 'return_refund',
      receivedByApi: kind === 'return_refund',
      ...(order.sysVersion ? { version: order.sysVersion } : {}),
      ...(order.expressCode
        ? { buyerReturn: { company: order.expressCompany ?? '', trackingNo: order.expressCode } }
        : {}),
      createdAt,
      modifiedAt,
    };
  };

  const write = async (method: string, current: PlatformCase, params: Record<string, unknown>) => {
    const envelope = await client.call(method, {
      serviceId: jdServiceIdOf(current.platformCaseId),
      orderId: current.platformOrderId,
      operatePin: operator,
      operateNick: operator,
      ...(current.version ? { sysVersion: current.version } : {}),
      ...params,
    });
    assertJdSuccess(method, resultOf(envelope));
    return { outcome: 'done' } as PlatformWriteResult;
  };

  return {
    toCase,

    /** The service order now (`jingdong.asc.query.view(serviceId, orderId)`): any step of its life. */
    async get(platformCaseId: string, platformOrderId: string): Promise<PlatformCase> {
      const envelope = await client.call('jingdong.asc.query.view', {
        serviceId: jdServiceIdOf(platformCaseId),
        orderId: platformOrderId,
        operatePin: operator,
        operateNick: operator,
      });
      const [row] = parseRows(envelope, 'jingdong.asc.query.view');
      if (!row) throw new PlatformError(`jd: service order ${platformCaseId} not found`, 'jd');
      return toCase(row);
    },

    /** One page of the service orders waiting for the seller's audit (`jingdong.asc.audit.list`). */
    async pending(pageNumber: number, pageSize: number): Promise<{ rows: RefundInfo[]; total: number }> {
      const envelope = await client.call('jingdong.asc.audit.list', {
        operatePin: operator,
        operateNick: operator,
        pageNumber,
        pageSize,
      });
      const rows = parseRows(envelope, 'jingdong.asc.audit.list');
      return { rows: rows.map((r) => toRefund(toCase(r))), total: totalOf(envelope, rows.length) };
    },

    /** One page of service orders finished in [begin, end] (`jingdong.asc.query.list` by finish time). */
    async finished(
      begin: string,
      end: string,
      pageNumber: number,
      pageSize: number,
    ): Promise<{ rows: RefundInfo[]; total: number }> {
      const envelope = await client.call('jingdong.asc.query.list', {
        operatePin: operator,
        operateNick: operator,
        finishTimeBegin: begin,
        finishTimeEnd: end,
        pageNumber,
        pageSize,
      });
      const rows = parseRows(envelope, 'jingdong.asc.query.list');
      return { rows: rows.map((r) => toRefund(toCase(r))), total: totalOf(envelope, rows.length) };
    },

    /** Agrees a return: `jingdong.asc.audit.send` with the shop's return address (❓ its meaning). */
    agreeReturn(current: PlatformCase): Promise<PlatformWriteResult> {
      if (options.sendAgreesReturn === false) {
        return Promise.resolve({
          outcome: 'not_offered',
          message: 'this shop agrees JD returns in the back office (extra.jdSendAgreesReturn = false)',
        });
      }
      const address = options.returnAddress;
      if (!address) {
        return Promise.resolve({
          outcome: 'not_offered',
          message: 'JD returns are agreed with a return address: set the shop’s extra.returnAddress',
        });
      }
      return write('jingdong.asc.audit.send', current, {
        approveNotes: '同意退货，请寄回',
        returnContactName: address.contactName,
        returnContactMobile: address.mobile,
        ...(address.tel ? { returnContactTel: address.tel } : {}),
        ...(address.zipcode ? { returnZipcode: address.zipcode } : {}),
        returnProvince: address.province,
        returnCity: address.city,
        returnCounty: address.county,
        ...(address.village ? { returnVillage: address.village } : {}),
        returnDetailAddress: address.detail,
        ...(address.addressType ? { returnAddressType: address.addressType } : {}),
      });
    },

    /**
     * The goods are back at the warehouse, inspected as sold: `jingdong.asc.receive.register` with
     * how many units came back; JD then refunds the buyer.
     */
    registerReceipt(current: PlatformCase, units: number): Promise<PlatformWriteResult> {
      return write('jingdong.asc.receive.register', current, {
        receivePin: operator,
        receiveName: operator,
        packingState: options.receivedStates?.packing ?? '10',
        qualityState: options.receivedStates?.quality ?? '10',
        wareNum: units,
        receiveRemark: '仓库已收货，质检正常',
      });
    },

    /** `jingdong.asc.audit.refuse` with the seller's reason as `approveNotes`. */
    refuse(current: PlatformCase, reason: string): Promise<PlatformWriteResult> {
      return write('jingdong.asc.audit.refuse', current, {
        approveNotes: reason.slice(0, 200),
        operateRemark: reason.slice(0, 200),
      });
    },
  };
}

const REFUND_STATUS: Record<PlatformCaseStatus, RefundCaseStatus> = {
  open: 'requested',
  agreed: 'agreed',
  waiting_buyer: 'returning',
  refunded: 'refunded',
  refused: 'refused',
  closed: 'closed',
};

/** A service order as the refund sweep lists it (the order is read again with its refund state). */
function toRefund(c: PlatformCase): RefundInfo {
  return {
    platformRefundId: c.platformCaseId,
    platformOrderId: c.platformOrderId,
    status: REFUND_STATUS[c.status],
    kind: c.kind === 'exchange' ? 'exchange' : 'return_and_refund',
    amountMinor: c.amountFen,
    currency: 'CNY',
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.lineIds.length ? { lineIds: c.lineIds } : {}),
    createdAt: c.createdAt,
    modifiedAt: c.modifiedAt,
  };
}

/** The service-order options a shop's credentials carry (`extra`), read once per adapter. */
export function jdServiceOptionsOf(extra: Record<string, string> | undefined): JdServiceOptions {
  const json = (key: string) => {
    const raw = extra?.[key];
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new RequestRejectedError(`jd: the shop's extra.${key} is not JSON`, 'jd', 'bad_settings');
    }
  };
  const address = json('returnAddress');
  const statuses = json('jdServiceStatuses');
  return {
    ...(extra?.['checkUserName'] ? { operator: extra['checkUserName'] } : {}),
    ...(address !== undefined ? { returnAddress: JdReturnAddressSchema.parse(address) } : {}),
    ...(statuses !== undefined
      ? {
          statuses: z
            .record(
              z.string(),
              z.object({
                word: z.string(),
                status: z.enum(['open', 'agreed', 'waiting_buyer', 'refunded', 'refused', 'closed']),
              }),
            )
            .parse(statuses),
        }
      : {}),
    ...(extra?.['jdSendAgreesReturn'] === 'false' ? { sendAgreesReturn: false } : {}),
    ...(extra?.['jdReceivePackingState'] || extra?.['jdReceiveQualityState']
      ? {
          receivedStates: {
            packing: extra['jdReceivePackingState'] ?? '10',
            quality: extra['jdReceiveQualityState'] ?? '10',
          },
        }
      : {}),
  };
}

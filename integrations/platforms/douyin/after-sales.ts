import { z } from 'zod';
import type { AfterSaleKind } from '../../../domain/after-sales.js';
import type {
  AfterSalesApi,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import { rejectedWrite } from '../after-sales-writes.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type { AdapterContext } from '../types.js';
import { createDouyinClient } from './client.js';
import { DouyinAfterSaleListDataSchema, DouyinAfterSaleSchema, type DouyinAfterSale } from './wire.js';
import {
  DOUYIN_EXCHANGE_TYPES,
  douyinExchangeAnswers,
  douyinExchangeFields,
  douyinExchangeStatus,
} from './exchange.js';

/**
 * Douyin 抖店 after-sales (AFTER-SALES-FACTS §1.4, API-FACTS §4.2 (d), §4.4): the poll lists with
 * `/afterSale/List` (`listRefunds`) and pushes (tags 200–218) name the case; one case is read with
 * the same list filtered by `aftersale_id` (a documented filter; `/afterSale/Detail`'s parameter
 * names are not in the facts), and answered with `/afterSale/operate`, one item per call as the doc
 * recommends, carrying `update_time` as the version so a case changed meanwhile is refused rather
 * than agreed blind (资损). `operate` has no amount: a partial agreement is not offered. The `type`
 * values come from a secondary source (❓): 发货前退款 (aftersale_type 2) is agreed with 401 and
 * refused by shipping (not offered); 售后仅退款 with 201/202 and 退货退款 (一审) with 101/102. A
 * return's agreement needs the seller's return address (`receiver_address_id`) and a refusal may need
 * a `reject_reason_code`: both are options, and without them those writes are not offered.
 */
export interface DouyinAfterSalesOptions {
  /**
   * operate `type` per aftersale_type and answer (❓ secondary source; see docs/after-sales.md);
   * `received` is 111 for a return (0), and for an exchange (3) the 311 that names the replacement.
   */
  operateTypes?: Partial<
    Record<
      string,
      {
        agree?: number;
        refuse?: number;
        received?: number;
        /** An exchange's 拒绝换货（二审）(312) and 换货转退款 (321). */
        refuseReceived?: number;
        refundInstead?: number;
      }
    >
  >;
  /**
   * `/address/list` id of the seller's return address, for agreeing returns (type 101); else the
   * shop's `credentials.extra.returnAddressId`.
   */
  returnAddressId?: string;
  /** `/afterSale/rejectReasonCodeList` code sent with refusals. */
  rejectReasonCode?: number;
  /**
   * Fields sent with `/afterSale/applyLogisticsIntercept` beside `aftersale_id`: the facts name the
   * path only (secondary source), not its parameters, so the body is the case and whatever the
   * shop's integration needs (e.g. the waybill); see docs/after-sales.md.
   */
  interceptParams?: Record<string, unknown>;
}

/** aftersale_type → operate types (AFTER-SALES-FACTS §1.4). 2 发货前退款 is refused by shipping. */
const OPERATE: Record<string, { agree?: number; refuse?: number }> = {
  '0': { agree: 101, refuse: 102 },
  '1': { agree: 201, refuse: 202 },
  '2': { agree: 401 },
  '3': { agree: 301, refuse: 302 },
};

/** aftersale_status → where the case stands (confirmed values, AFTER-SALES-FACTS §1.4). */
const STATUS: Record<number, PlatformCaseStatus> = {
  6: 'open', // 售后申请
  7: 'waiting_buyer', // 售后退货中
  8: 'agreed', // 补寄/维修返回：售后待商家发货
  11: 'open', // 售后已发货 (the goods are on their way back: the seller confirms receipt)
  12: 'refunded', // 售后成功
  13: 'agreed', // 商家已发货待用户收货
  14: 'agreed', // 用户已收货
  27: 'refused', // 拒绝售后申请
  28: 'closed', // 售后失败
  29: 'refused', // 售后退货拒绝
  51: 'refunded', // 订单取消成功
  53: 'refunded', // 逆向交易已完成
};
const STATUS_WORD: Record<number, string> = {
  6: '售后申请',
  7: '售后退货中',
  8: '售后待商家发货',
  11: '售后已发货',
  12: '售后成功',
  13: '商家已发货待用户收货',
  14: '用户已收货',
  27: '拒绝售后申请',
  28: '售后失败',
  29: '售后退货拒绝',
  51: '订单取消成功',
  53: '逆向交易已完成',
};

const KIND: Record<number, AfterSaleKind> = {
  0: 'return_refund',
  1: 'refund_only',
  2: 'refund_only',
  3: 'exchange',
  6: 'price_difference',
  7: 'reship',
  8: 'exchange',
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function douyinAfterSaleToCase(item: DouyinAfterSale): PlatformCase {
  const info = item.aftersale_info;
  const platformOrderId = item.order_info?.shop_order_id ?? info.related_id;
  if (!platformOrderId)
    throw new PlatformError(`douyin after-sale ${info.aftersale_id} names no order`, 'douyin');
  // An exchange (换货) ends otherwise than a refund: 12 售后成功 moved no money (exchange.ts); so
  // does a reship (7 补寄: 8 待商家发货 → 13 商家已发货待用户收货 → 12 售后成功, nothing refunded).
  const exchange = info.aftersale_type === 3;
  const status =
    exchange || info.aftersale_type === 7
      ? douyinExchangeStatus(info.aftersale_status, info.refund_status)
      : STATUS[info.aftersale_status];
  if (!status) throw new PlatformError(`unknown douyin aftersale_status ${info.aftersale_status}`, 'douyin');
  return {
    platformCaseId: info.aftersale_id,
    platformOrderId,
    kind: KIND[info.aftersale_type] ?? 'exchange',
    status,
    platformStatus: `${info.aftersale_status} ${STATUS_WORD[info.aftersale_status] ?? ''}`.trim(),
    amountFen: info.refund_amount + info.refund_post_amount,
    reason: item.text_part?.reason_text || info.reason || '',
    lineIds: item.order_info?.related_order_info.map((o) => o.sku_order_id) ?? [],
    shipped: info.aftersale_type !== 2,
    // A return (售后退货退款) is answered after shipment: agreed with the return address (101),
    // and once the goods are back at the warehouse confirmed received (111, 二审), which refunds.
    ...(info.aftersale_type === 0 ? { answersAfterShipment: true, receivedByApi: true } : {}),
    // An exchange is answered through operate 301/302/311 (exchange.ts).
    ...(exchange ? douyinExchangeFields(info.aftersale_status) : {}),
    version: String(info.update_time),
    createdAt: iso(info.apply_time),
    modifiedAt: iso(info.update_time || info.apply_time),
  };
}

const OperateDataSchema = z.object({
  items: z
    .array(
      z.object({
        aftersale_id: z.union([z.string(), z.number()]).transform(String).nullish(),
        status_code: z.number().nullish(),
        status_msg: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

export function createDouyinAfterSales(
  ctx: AdapterContext,
  options: DouyinAfterSalesOptions = {},
): AfterSalesApi {
  const client = createDouyinClient(ctx);
  // The return address may also be the shop's own setting (`credentials.extra.returnAddressId`).
  const returnAddressId = options.returnAddressId ?? ctx.credentials.extra?.['returnAddressId'];
  const receivedType = options.operateTypes?.['0']?.received ?? 111;
  const extra = ctx.credentials.extra ?? {};
  const rejectReasonCode =
    options.rejectReasonCode ??
    (extra['rejectReasonCode'] !== undefined ? Number(extra['rejectReasonCode']) : undefined);
  const typeOf = (current: PlatformCase, answer: 'agree' | 'refuse'): number | undefined => {
    const aftersaleType =
      current.kind === 'exchange'
        ? '3'
        : current.shipped
          ? current.kind === 'return_refund'
            ? '0'
            : '1'
          : '2';
    return { ...OPERATE[aftersaleType], ...options.operateTypes?.[aftersaleType] }[answer];
  };
  const operate = (current: PlatformCase, type: number, item: Record<string, unknown>) =>
    rejectedWrite(async (): Promise<PlatformWriteResult> => {
      const data = await client.call(
        'afterSale.operate',
        {
          type,
          items: [{ aftersale_id: current.platformCaseId, update_time: Number(current.version), ...item }],
        },
        OperateDataSchema,
      );
      const failed = data.items.find((i) => (i.status_code ?? 0) !== 0);
      if (failed) {
        throw new RequestRejectedError(
          `douyin did not take operate ${type}: ${failed.status_msg ?? failed.status_code}`,
          'douyin',
          String(failed.status_code),
        );
      }
      return { outcome: 'done', code: String(type) };
    });

  return {
    platform: 'douyin',

    async getCase(ref) {
      const data = await client.call(
        'afterSale.List',
        { aftersale_id: ref.platformCaseId, page: 0, size: 1 },
        DouyinAfterSaleListDataSchema,
      );
      const found = data.items
        .map((raw) => DouyinAfterSaleSchema.parse(raw))
        .find((item) => item.aftersale_info.aftersale_id === ref.platformCaseId);
      if (!found) throw new PlatformError(`douyin: after-sale ${ref.platformCaseId} not found`, 'douyin');
      return douyinAfterSaleToCase(found);
    },

    async agree(current, amountFen) {
      const type = typeOf(current, 'agree');
      if (amountFen !== current.amountFen || type === undefined) {
        return {
          outcome: 'not_offered',
          message: `douyin agrees the buyer's amount (${current.amountFen} fen) of this case only in its back office`,
        };
      }
      if (type === 101 && !returnAddressId) {
        return {
          outcome: 'not_offered',
          message: 'douyin returns need the seller’s return address id: agree in 抖店',
        };
      }
      return operate(current, type, {
        remark: '同意',
        ...(type === 101 ? { logistics: { receiver_address_id: returnAddressId } } : {}),
      });
    },

    /**
     * The return's goods are back at the warehouse and inspected as sold: `/afterSale/operate`
     * type 111 同意退货（二审）, which refunds the buyer (AFTER-SALES-FACTS §1.4; the type value is
     * from a secondary source, ❓: `operateTypes['0'].received` replaces it). Carries `update_time`
     * like every operate, so a case changed meanwhile is refused, not agreed blind.
     */
    async returnReceived(current) {
      if (current.kind !== 'return_refund') {
        return { outcome: 'not_offered', message: 'douyin confirms receipts of returns only' };
      }
      return operate(current, receivedType, { remark: '已收到退货' });
    },

    /**
     * `/afterSale/applyLogisticsIntercept` (AFTER-SALES-FACTS §1.4, path only, ❓ parameters):
     * `{aftersale_id, ...interceptParams}`; a business failure is a rejection for a person.
     */
    async intercept(current) {
      return rejectedWrite(async (): Promise<PlatformWriteResult> => {
        await client.call(
          'afterSale.applyLogisticsIntercept',
          { aftersale_id: current.platformCaseId, ...options.interceptParams },
          z.unknown(),
        );
        return { outcome: 'done', code: 'applyLogisticsIntercept' };
      });
    },

    exchange: douyinExchangeAnswers({
      types: {
        agree: options.operateTypes?.['3']?.agree ?? DOUYIN_EXCHANGE_TYPES.agree,
        refuse: options.operateTypes?.['3']?.refuse ?? DOUYIN_EXCHANGE_TYPES.refuse,
        ship: options.operateTypes?.['3']?.received ?? DOUYIN_EXCHANGE_TYPES.ship,
        refuseReceived: options.operateTypes?.['3']?.refuseReceived ?? DOUYIN_EXCHANGE_TYPES.refuseReceived,
        refundInstead: options.operateTypes?.['3']?.refundInstead ?? DOUYIN_EXCHANGE_TYPES.refundInstead,
      },
      returnAddressId,
      agreeAddress: extra['exchangeAgreeAddress'] === 'omit' ? 'omit' : 'required',
      rejectReasonCode,
      operate,
    }),

    async refuse(current, reason) {
      const type = typeOf(current, 'refuse');
      if (type === undefined) {
        return {
          outcome: 'not_offered',
          message: 'douyin takes no refusal of a refund before shipment: shipping the goods is the answer',
        };
      }
      return operate(current, type, {
        reason,
        remark: reason,
        ...(rejectReasonCode !== undefined && !Number.isNaN(rejectReasonCode)
          ? { reject_reason_code: rejectReasonCode }
          : {}),
      });
    },
  };
}

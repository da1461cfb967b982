import { z } from 'zod';
import type { AfterSaleKind } from '../../../domain/after-sales.js';
import type { PlatformCarrierCodes } from '../../../domain/platform-carrier-codes.js';
import type {
  AfterSalesApi,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import { rejectedWrite } from '../after-sales-writes.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import { isRecord } from '../taobao/json.js';
import type { AdapterContext } from '../types.js';
import { PddClient } from './client.js';
import {
  PddExchangeShippingSchema,
  pddExchangeAnswers,
  pddExchangeFields,
  pddLogisticsIds,
} from './exchange.js';

/**
 * PDD after-sales (AFTER-SALES-FACTS §1.3, API-FACTS §2.2 (d), §2.4): the poll lists with
 * `pdd.refund.list.increment.get` (`listRefunds`) and PMC `pdd_refund_*` messages name the case;
 * each is read with `pdd.refund.information.get(order_sn, after_sales_id)` and agreed with
 * `pdd.refund.agree(after_sales_id, order_sn, operate_desc)`, which carries no amount (a partial
 * agreement is not offered) and no version. No refusal API was found (❓): a refusal is
 * `not_offered`; before shipment shipping is the answer, after it the PDD back office. The record
 * codes `after_sales_type` differently from the list's filter (1 仅退款, 2 退货退款, 3 换货,
 * 4 补寄, 5 维修). The response envelope of the detail call and the format of its times are not in
 * the facts (❓): fields are read from the unwrapped answer, times as `yyyy-MM-dd HH:mm:ss` or
 * Unix seconds.
 *
 * A return (退货退款) is received here: agreed with the shop's return address
 * (`pdd.refund.returngoods.agree`), the buyer's parcel read from the record's `express_no` /
 * `shipping_name`, and once the goods are back and inspected the refund agreed with
 * `pdd.refund.agree` (docs/after-sales.md, "Returns received here": the facts' 退货入库 call,
 * `pdd.nextone.logistics.warehouse.update`, needs PDD's id of the buyer's carrier, which no
 * after-sales record carries).
 *
 * An exchange (换货) is answered in the PDD back office and received here; the replacement ships
 * from our warehouse and PDD is told its waybill with `pdd.refund.exchange.shipping` (exchange.ts).
 */

const numeric = z.union([z.string(), z.number()]).transform(String);
const time = z.union([z.string(), z.number()]).nullish();

const PddRefundInformationSchema = z.object({
  id: numeric,
  order_sn: z.string(),
  after_sales_type: numeric,
  after_sales_status: numeric,
  after_sales_reason: z.string().nullish(),
  refund_amount: numeric,
  sku_id: numeric.nullish(),
  shipping_status: numeric.nullish(),
  // The buyer's parcel back (AFTER-SALES-FACTS §1.3): its waybill and the company's name.
  express_no: z.string().nullish(),
  shipping_name: z.string().nullish(),
  expire_time: time,
  recreated_at: time,
  updated_time: time,
  // An exchange's waybills both ways and the SKU wanted (exchange.ts).
  exchange_shipping_detail: PddExchangeShippingSchema.nullish(),
});
type PddRefundInformation = z.infer<typeof PddRefundInformationSchema>;

/** after_sales_status → where the case stands (API-FACTS §2.2 (d)). */
const STATUS: Record<string, PlatformCaseStatus> = {
  '2': 'open', // 买家申请退款待商家处理
  '3': 'open', // 退货退款待商家处理
  '4': 'agreed', // 商家同意退款退款中
  '5': 'agreed', // 平台同意退款退款中
  '6': 'refused', // 驳回退款待买家处理
  '7': 'waiting_buyer', // 已同意退货退款待用户发货
  '8': 'open', // 平台处理中
  '9': 'closed', // 平台拒绝退款退款关闭
  '10': 'refunded', // 退款成功
  '11': 'closed', // 买家撤销
  '12': 'closed', // 买家逾期未处理退款失败
  '13': 'closed', // 买家逾期超过有效期
  '31': 'waiting_buyer', // 已同意拒收退款待用户拒收
};

const KIND: Record<string, AfterSaleKind> = {
  '1': 'refund_only',
  '2': 'return_refund',
  '3': 'exchange',
  '4': 'reship',
};

function pddTimeToIso(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '' || value === 0) return undefined;
  if (typeof value === 'number' || /^\d+$/.test(value)) return new Date(Number(value) * 1000).toISOString();
  return gmt8ToIso(value);
}

export function pddRefundInformationToCase(
  info: PddRefundInformation,
  logisticsIds: PlatformCarrierCodes = pddLogisticsIds(undefined),
): PlatformCase {
  // 14–33 (exchange, reship, repair steps): the seller acts in the back office; the case stays open.
  const status = STATUS[info.after_sales_status] ?? 'open';
  const modifiedAt = pddTimeToIso(info.updated_time);
  const createdAt = pddTimeToIso(info.recreated_at) ?? modifiedAt;
  if (!createdAt || !modifiedAt) throw new PlatformError(`PDD after-sale ${info.id}: times missing`, 'pdd');
  const deadline = status === 'open' ? pddTimeToIso(info.expire_time) : undefined;
  const kind = KIND[info.after_sales_type] ?? 'exchange';
  const waybill = info.express_no?.trim();
  return {
    platformCaseId: info.id,
    platformOrderId: info.order_sn,
    kind,
    status,
    platformStatus: info.after_sales_status,
    amountFen: Number(info.refund_amount),
    reason: info.after_sales_reason ?? '',
    // Line ids of PDD orders are their SKU ids (normalize.ts).
    lineIds: info.sku_id && info.sku_id !== '0' ? [info.sku_id] : [],
    shipped: info.shipping_status === '1',
    // A return is answered after shipment: agreed with the return address, and once the goods are
    // back at the warehouse the refund agreed (`returnReceived`).
    ...(kind === 'return_refund' ? { answersAfterShipment: true, receivedByApi: true } : {}),
    // The buyer fills the waybill in when sending the goods back; `shipping_name` is a company's
    // name (read by our carriers' Chinese names), not PDD's logistics id.
    ...(waybill ? { buyerReturn: { company: info.shipping_name?.trim() ?? '', trackingNo: waybill } } : {}),
    // An exchange (换货): answered in the back office, received here, the replacement's waybill told.
    ...(kind === 'exchange' && info.after_sales_type === '3'
      ? pddExchangeFields(info.exchange_shipping_detail, status, info.sku_id, logisticsIds)
      : {}),
    ...(deadline ? { sellerDeadline: deadline } : {}),
    createdAt,
    modifiedAt,
  };
}

/** A PDD write's flag (`succ`, `success`): a boolean, or its text. */
const flagged = (value: unknown) => value === true || value === 'true';

export function createPddAfterSales(ctx: AdapterContext): AfterSalesApi {
  const client = new PddClient(ctx);
  const logisticsIds = pddLogisticsIds(ctx.carrierCodes);
  const returnAddressId = ctx.credentials.extra?.['returnAddressId'];

  /** `pdd.refund.agree` 同意退款 → `result{after_sales_id, order_sn, succ, message}`. */
  const agreeRefund = (current: PlatformCase) =>
    rejectedWrite(async () => {
      const body = await client.call('pdd.refund.agree', {
        after_sales_id: current.platformCaseId,
        order_sn: current.platformOrderId,
        operate_desc: '同意退款',
      });
      const result = isRecord(body['result']) ? body['result'] : body;
      if (flagged(result['succ'])) return { outcome: 'done', code: 'pdd.refund.agree' };
      throw new RequestRejectedError(
        `pdd refused the agreement: ${String(result['message'] ?? 'succ=false')}`,
        'pdd',
        'succ=false',
      );
    });

  /**
   * `pdd.refund.returngoods.agree` 商家售后同意退货 `{after_sales_id, order_sn, operate_desc,
   * return_address_id}` → `{success, error_code, error_msg, result{after_sales_id, order_sn, success,
   * message}}` (AFTER-SALES-FACTS §1.3). The address is the shop's `credentials.extra.returnAddressId`
   * (an id of `pdd.refund.address.list.get`, whose fields the facts do not give). No amount: a
   * partial agreement of a return is for the back office. The buyer's waybill already on the record
   * means the return was agreed (the buyer sends the goods only then): nothing is sent again.
   */
  const agreeReturn = async (current: PlatformCase, amountFen: number): Promise<PlatformWriteResult> => {
    if (current.buyerReturn) return { outcome: 'already', status: 'waiting_buyer' };
    if (amountFen !== current.amountFen) {
      return {
        outcome: 'not_offered',
        message: `pdd agrees a return for the buyer's amount (${current.amountFen} fen) only: agree part in the PDD back office`,
      };
    }
    if (typeof returnAddressId !== 'string' || !returnAddressId) {
      return {
        outcome: 'not_offered',
        message:
          "pdd returns are agreed with the seller's return address: set the shop's extra.returnAddressId (an id of pdd.refund.address.list.get)",
      };
    }
    const addressId: string = returnAddressId;
    return rejectedWrite(async () => {
      const body = await client.call('pdd.refund.returngoods.agree', {
        after_sales_id: current.platformCaseId,
        order_sn: current.platformOrderId,
        operate_desc: '同意退货',
        return_address_id: addressId,
      });
      const result: Record<string, unknown> = isRecord(body['result']) ? body['result'] : {};
      if (flagged(body['success']) && result['success'] !== false && result['success'] !== 'false') {
        return { outcome: 'done', code: 'pdd.refund.returngoods.agree' };
      }
      const said = body['error_msg'] || result['message'] || 'success=false';
      throw new RequestRejectedError(
        `pdd refused the return's agreement: ${String(said)}`,
        'pdd',
        body['error_code'] !== undefined && body['error_code'] !== null
          ? String(body['error_code'])
          : 'success=false',
      );
    });
  };

  return {
    platform: 'pdd',

    async getCase(ref) {
      const body = await client.call('pdd.refund.information.get', {
        order_sn: ref.platformOrderId,
        after_sales_id: ref.platformCaseId,
      });
      return pddRefundInformationToCase(PddRefundInformationSchema.parse(body), logisticsIds);
    },

    async agree(current, amountFen) {
      if (current.kind === 'return_refund') return agreeReturn(current, amountFen);
      if (amountFen !== current.amountFen) {
        return {
          outcome: 'not_offered',
          message: `pdd agrees the buyer's amount (${current.amountFen} fen) only: agree a part in the PDD back office`,
        };
      }
      return agreeRefund(current);
    },

    /**
     * The return's goods are back at the warehouse and inspected as sold: the refund is agreed with
     * `pdd.refund.agree`, which makes PDD refund the buyer. The facts' 退货入库 call
     * (`pdd.nextone.logistics.warehouse.update`) is not made: it needs `reverse_logistics_id`, PDD's
     * id of the buyer's carrier, and the record names the company only (`shipping_name`). That
     * `pdd.refund.agree` is taken on a return whose goods came back is ❓ (the facts describe it as
     * 同意退款 only): a shop sets `credentials.extra.refundAgreeAfterReturn = "false"` to leave it
     * to a person, as on Taobao.
     */
    async returnReceived(current) {
      if (current.kind !== 'return_refund') {
        return { outcome: 'not_offered', message: 'pdd confirms receipts of returns only' };
      }
      if (ctx.credentials.extra?.['refundAgreeAfterReturn'] === 'false') {
        return {
          outcome: 'not_offered',
          message:
            'the shop agrees pdd refunds after a return in the back office (extra.refundAgreeAfterReturn)',
        };
      }
      return agreeRefund(current);
    },

    exchange: pddExchangeAnswers({ call: (type, params) => client.call(type, params), ids: logisticsIds }),

    async refuse(current) {
      if (current.kind === 'return_refund' && current.shipped) {
        // Told nothing, PDD would agree for the buyer at its deadline while the case had ended
        // refused here: the refusal goes to a person in the back office, and the case follows PDD.
        return {
          outcome: 'rejected',
          code: 'no_refusal_api',
          message: 'pdd offers no refusal by API: refuse the return in the PDD back office',
        };
      }
      return {
        outcome: 'not_offered',
        message:
          'pdd offers no refusal by API: before shipment shipping is the answer, after it the PDD back office',
      };
    },
  };
}

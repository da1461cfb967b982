import { z } from 'zod';
import type { AfterSaleKind } from '../../../domain/after-sales.js';
import type { AfterSalesApi, PlatformCase, PlatformCaseStatus } from '../after-sales-types.js';
import { rejectedWrite } from '../after-sales-writes.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import { isRecord } from '../taobao/json.js';
import type { AdapterContext } from '../types.js';
import { PddClient } from './client.js';

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
  expire_time: time,
  recreated_at: time,
  updated_time: time,
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

export function pddRefundInformationToCase(info: PddRefundInformation): PlatformCase {
  // 14–33 (exchange, reship, repair steps): the seller acts in the back office; the case stays open.
  const status = STATUS[info.after_sales_status] ?? 'open';
  const modifiedAt = pddTimeToIso(info.updated_time);
  const createdAt = pddTimeToIso(info.recreated_at) ?? modifiedAt;
  if (!createdAt || !modifiedAt) throw new PlatformError(`PDD after-sale ${info.id}: times missing`, 'pdd');
  const deadline = status === 'open' ? pddTimeToIso(info.expire_time) : undefined;
  return {
    platformCaseId: info.id,
    platformOrderId: info.order_sn,
    kind: KIND[info.after_sales_type] ?? 'exchange',
    status,
    platformStatus: info.after_sales_status,
    amountFen: Number(info.refund_amount),
    reason: info.after_sales_reason ?? '',
    // Line ids of PDD orders are their SKU ids (normalize.ts).
    lineIds: info.sku_id && info.sku_id !== '0' ? [info.sku_id] : [],
    shipped: info.shipping_status === '1',
    ...(deadline ? { sellerDeadline: deadline } : {}),
    createdAt,
    modifiedAt,
  };
}

export function createPddAfterSales(ctx: AdapterContext): AfterSalesApi {
  const client = new PddClient(ctx);
  return {
    platform: 'pdd',

    async getCase(ref) {
      const body = await client.call('pdd.refund.information.get', {
        order_sn: ref.platformOrderId,
        after_sales_id: ref.platformCaseId,
      });
      return pddRefundInformationToCase(PddRefundInformationSchema.parse(body));
    },

    async agree(current, amountFen) {
      if (amountFen !== current.amountFen) {
        return {
          outcome: 'not_offered',
          message: `pdd agrees the buyer's amount (${current.amountFen} fen) only: agree a part in the PDD back office`,
        };
      }
      return rejectedWrite(async () => {
        const body = await client.call('pdd.refund.agree', {
          after_sales_id: current.platformCaseId,
          order_sn: current.platformOrderId,
          operate_desc: '同意退款',
        });
        const result = isRecord(body['result']) ? body['result'] : body;
        if (result['succ'] === true || result['succ'] === 'true') return { outcome: 'done' };
        throw new RequestRejectedError(
          `pdd refused the agreement: ${String(result['message'] ?? 'succ=false')}`,
          'pdd',
          'succ=false',
        );
      });
    },

    async refuse() {
      return {
        outcome: 'not_offered',
        message:
          'pdd offers no refusal by API: before shipment shipping is the answer, after it the PDD back office',
      };
    },
  };
}

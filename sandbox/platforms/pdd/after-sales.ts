import { LosslessNumber } from 'lossless-json';
import { answerSimRefund, findSimRefund } from '../../kit/after-sales.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import { afterSalesStatus, pddRefundSkuId, pddTime } from './render.js';

/**
 * The simulator's PDD after-sales calls (AFTER-SALES-FACTS §1.3), read from the facts, not from the
 * adapter: `pdd.refund.information.get(order_sn, after_sales_id)` with the record's own
 * `after_sales_type` coding (1 仅退款, 2 退货退款), `shipping_status`, `expire_time` while the case
 * waits for the merchant, and `pdd.refund.agree(after_sales_id, order_sn, operate_desc)` answering
 * `result{after_sales_id, order_sn, succ, message}`. PDD has no refusal call. The envelope keys
 * (`refund_information_get_response`, `refund_agree_response`) and the time format are ours (❓).
 */
export interface PddAfterSaleDeps {
  orders(mallId: string): SimOrder[];
  store: SimOrderStore;
  now(): Date;
  badParam(message: string): Error;
}

export function pddAfterSaleApis(deps: PddAfterSaleDeps): Record<
  string,
  {
    auth: boolean;
    handle(params: Record<string, string>, mall: { mallId: string } | undefined): Record<string, unknown>;
  }
> {
  const find = (params: Record<string, string>, mallId: string) => {
    const id = params['after_sales_id'];
    const orderSn = params['order_sn'];
    if (!id || !orderSn) throw deps.badParam('after_sales_id 和 order_sn 必填');
    const found = findSimRefund(deps.orders(mallId), id);
    if (!found || found.order.id !== orderSn) throw deps.badParam(`售后单 ${id} 不存在`);
    return found;
  };
  return {
    'pdd.refund.information.get': {
      auth: true,
      handle(params, mall) {
        const { order, refund } = find(params, mall!.mallId);
        const status = afterSalesStatus(refund);
        return {
          refund_information_get_response: {
            id: new LosslessNumber(refund.id),
            order_sn: order.id,
            after_sales_type: refund.kind === 'refund_only' ? 1 : 2,
            after_sales_status: status,
            after_sales_reason: refund.reason,
            refund_amount: refund.amountMinor,
            order_amount: order.paidMinor,
            goods_number: order.items.reduce((n, i) => n + i.quantity, 0),
            sku_id: pddRefundSkuId(order, refund),
            shipping_status: order.shipment ? 1 : 0,
            user_shipping_status: '0',
            ...(refund.sellerDeadline && (status === 2 || status === 3)
              ? { expire_time: pddTime(refund.sellerDeadline) }
              : {}),
            recreated_at: pddTime(refund.createdAt),
            updated_time: pddTime(refund.modifiedAt),
          },
        };
      },
    },
    'pdd.refund.agree': {
      auth: true,
      handle(params, mall) {
        const { order, refund } = find(params, mall!.mallId);
        const answer = (succ: boolean, message: string) => ({
          refund_agree_response: {
            result: { after_sales_id: new LosslessNumber(refund.id), order_sn: order.id, succ, message },
          },
        });
        if (refund.status !== 'requested' || refund.kind !== 'refund_only')
          return answer(false, '售后单状态不允许同意退款');
        answerSimRefund(deps.store, order, { action: 'agree', amountMinor: refund.amountMinor }, deps.now());
        return answer(true, '');
      },
    },
  };
}

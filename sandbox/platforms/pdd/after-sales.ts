import { LosslessNumber } from 'lossless-json';
import { agreeSimReturn, answerSimRefund, findSimRefund } from '../../kit/after-sales.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder } from '../../orders/model.js';
import { afterSalesStatus, pddRefundSkuId, pddTime } from './render.js';

/**
 * The simulator's PDD after-sales calls (AFTER-SALES-FACTS §1.3), read from the facts, not from the
 * adapter: `pdd.refund.information.get(order_sn, after_sales_id)` with the record's own
 * `after_sales_type` coding (1 仅退款, 2 退货退款), `shipping_status`, `expire_time` while the case
 * waits for the merchant and, on a return the buyer sent back, `express_no` and `shipping_name`;
 * `pdd.refund.agree(after_sales_id, order_sn, operate_desc)` answering
 * `result{after_sales_id, order_sn, succ, message}`; and `pdd.refund.returngoods.agree(after_sales_id,
 * order_sn, operate_desc, return_address_id)` answering `{success, error_code, error_msg,
 * result{after_sales_id, order_sn, success, message}}`. PDD has no refusal call. The envelope keys
 * (`refund_information_get_response`, `refund_agree_response`, `refund_returngoods_agree_response`),
 * the time format and the error codes inside a write's answer are ours (❓).
 *
 * Statuses move as on PDD (API-FACTS §2.2 (d)): a return waits for the merchant (3 退货退款待商家处理);
 * agreed with a return address it waits for the buyer's parcel (7 已同意退货退款待用户发货); once the
 * buyer sent it back it waits for the merchant again (3, the waybill on the record), and only then
 * does `pdd.refund.agree` refund it (10 退款成功) — the goods' receipt recorded once. Each write is
 * taken only from the status before it; asked again it answers a failure and changes nothing.
 */
export interface PddAfterSaleDeps {
  orders(mallId: string): SimOrder[];
  store: SimOrderStore;
  now(): Date;
  badParam(message: string): Error;
}

/** Our code for a write the case's status does not allow (PDD's own codes are not in the facts). */
const STATUS_NOT_ALLOWED = 1_000_401;

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
            express_no: refund.buyerReturn?.trackingNo ?? '',
            shipping_name: refund.buyerReturn?.company ?? '',
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
        // A refund waiting for the merchant, or a return whose goods the buyer sent back.
        const refundable =
          refund.kind === 'refund_only'
            ? refund.status === 'requested'
            : refund.status === 'returning' && refund.buyerReturn !== undefined;
        if (!refundable) return answer(false, '售后单状态不允许同意退款');
        const at = deps.now();
        answerSimRefund(
          deps.store,
          order,
          { action: 'agree', amountMinor: refund.amountMinor },
          at,
          refund.kind === 'return_and_refund'
            ? (o) => (o.refund!.received = { at, call: 'pdd.refund.agree' })
            : undefined,
        );
        return answer(true, '');
      },
    },
    'pdd.refund.returngoods.agree': {
      auth: true,
      handle(params, mall) {
        const { order, refund } = find(params, mall!.mallId);
        const addressId = params['return_address_id'];
        if (!addressId) throw deps.badParam('return_address_id 必填');
        const answer = (success: boolean, message: string) => ({
          refund_returngoods_agree_response: {
            success,
            error_code: success ? 0 : STATUS_NOT_ALLOWED,
            error_msg: message,
            result: { after_sales_id: new LosslessNumber(refund.id), order_sn: order.id, success, message },
          },
        });
        if (refund.kind !== 'return_and_refund' || refund.status !== 'requested')
          return answer(false, '售后单状态不允许同意退货');
        // Agreed with the return address: the buyer sends the goods back (7 已同意退货退款待用户发货).
        agreeSimReturn(deps.store, order, { return_address_id: addressId }, deps.now());
        return answer(true, '');
      },
    },
  };
}

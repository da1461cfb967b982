import { LosslessNumber } from 'lossless-json';
import { agreeSimReturn, answerSimRefund, findSimRefund } from '../../kit/after-sales.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimExchange, SimOrder } from '../../orders/model.js';
import { afterSalesStatus, pddExchangeSkuId, pddRefundSkuId, pddTime } from './render.js';

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
 *
 * Exchanges (换货, `order.exchange`): the record's `after_sales_type` 3 with `exchange_shipping_detail`
 * (`sku_id_exchange`, the buyer's waybill back as `customer_send_back_ship_id` / `_trunk_number`,
 * the replacement's as `merchant_exchange_ship_id` / `_trunk_number`), and
 * `pdd.refund.exchange.shipping(after_sales_id, order_sn, shipping_id, shipping_name,
 * tracking_number)` 商家换货发货, taken once the buyer sent the goods back, answering
 * `result{after_sales_id, order_sn, succ, message}` as the SDK gives it (the envelope key
 * `refund_exchange_shipping_response` is ours, ❓); the record also shows the buyer's address for
 * the replacement (`exchange_receiver_*`, `merchant_exchange_detail_*` with `_mask` copies). The facts
 * give an exchange's statuses only as "14–18 换货补寄…": the simulator numbers them itself —
 * 14 waiting for the merchant, 15 agreed (the buyer sends the goods back), 16 the goods sent back,
 * 17 the replacement sent, 18 done — and agreeing, refusing (6) and the buyer's steps are the back
 * office's and the buyer's (the test moves them), as on PDD.
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
  const findExchange = (params: Record<string, string>, mallId: string) => {
    const id = params['after_sales_id'];
    const orderSn = params['order_sn'];
    if (!id || !orderSn) throw deps.badParam('after_sales_id 和 order_sn 必填');
    const order = deps.orders(mallId).find((o) => o.exchange?.id === id);
    if (!order || order.id !== orderSn) return undefined;
    return { order, exchange: order.exchange! };
  };
  return {
    'pdd.refund.information.get': {
      auth: true,
      handle(params, mall) {
        const swap = findExchange(params, mall!.mallId);
        if (swap) return { refund_information_get_response: renderExchangeRecord(swap.order, swap.exchange) };
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
    'pdd.refund.exchange.shipping': {
      auth: true,
      handle(params, mall) {
        for (const key of ['shipping_id', 'shipping_name', 'tracking_number']) {
          if (!params[key]) throw deps.badParam(`${key} 必填`);
        }
        const swap = findExchange(params, mall!.mallId);
        if (!swap) throw deps.badParam(`售后单 ${params['after_sales_id']} 不存在`);
        const { order, exchange } = swap;
        // As the SDK gives it: `result{after_sales_id, order_sn, succ, message}`.
        const answer = (succ: boolean, message: string) => ({
          refund_exchange_shipping_response: {
            result: { after_sales_id: new LosslessNumber(exchange.id), order_sn: order.id, succ, message },
          },
        });
        // The replacement goes out once the buyer's goods were sent back, and only once.
        if (exchange.status !== EXCHANGE.sentBack) return answer(false, '售后单状态不允许换货发货');
        const at = deps.now();
        deps.store.update(
          order.shopKey,
          order.id,
          (o) => {
            const x = o.exchange!;
            x.status = EXCHANGE.shipped;
            x.sellerLogistic = {
              name: params['shipping_name']!,
              no: params['tracking_number']!,
              type: params['shipping_id']!,
            };
            x.modifiedAt = at;
            (x.calls ??= []).push({
              call: 'pdd.refund.exchange.shipping',
              at,
              detail: {
                shipping_id: params['shipping_id']!,
                shipping_name: params['shipping_name']!,
                tracking_number: params['tracking_number']!,
              },
            });
          },
          at,
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

/** The simulator's own numbering of an exchange's statuses within PDD's 14–18 (the facts give no meanings). */
export const EXCHANGE = { requested: 14, agreed: 15, sentBack: 16, shipped: 17, done: 18 } as const;

/** An exchange as `pdd.refund.information.get` answers it (the record's coding: type 3 换货). */
function renderExchangeRecord(order: SimOrder, exchange: SimExchange): Record<string, unknown> {
  const item = order.items.find((i) => i.lineId === exchange.lineId);
  const back = exchange.buyerLogistic;
  const out = exchange.sellerLogistic;
  const r = order.receiver;
  return {
    id: new LosslessNumber(exchange.id),
    order_sn: order.id,
    after_sales_type: 3,
    after_sales_status: exchange.status,
    after_sales_reason: exchange.reason,
    refund_amount: 0,
    order_amount: order.paidMinor,
    goods_number: exchange.num,
    goods_price: item?.unitPriceMinor ?? 0,
    sku_id: pddExchangeSkuId(order, exchange),
    shipping_status: order.shipment ? 1 : 0,
    user_shipping_status: '2',
    ...(exchange.timeOut && exchange.status === EXCHANGE.requested
      ? { expire_time: pddTime(exchange.timeOut) }
      : {}),
    exchange_shipping_detail: {
      sku_id_exchange: new LosslessNumber(exchange.exchangeSku ?? item?.platformSkuId ?? '0'),
      // The buyer's address the replacement goes to, in plain and masked.
      exchange_receiver_province: r.province,
      exchange_receiver_city: r.city,
      exchange_receiver_town: r.district,
      merchant_exchange_detail_receiver: r.name,
      merchant_exchange_detail_receiver_mask: mask(r.name),
      merchant_exchange_detail_phone: r.phone,
      merchant_exchange_detail_phone_mask: mask(r.phone),
      merchant_exchange_detail_address: r.detail,
      merchant_exchange_detail_address_mask: mask(r.detail),
      exchange_goods_name: item?.title ?? '',
      exchange_goods_number: exchange.num,
      exchange_goods_price: item?.unitPriceMinor ?? 0,
      customer_send_back_ship_id: back ? new LosslessNumber(back.name) : 0,
      customer_send_back_trunk_number: back?.no ?? '',
      merchant_exchange_ship_id: out ? new LosslessNumber(out.type) : 0,
      merchant_exchange_trunk_number: out?.no ?? '',
    },
    recreated_at: pddTime(exchange.createdAt),
    updated_time: pddTime(exchange.modifiedAt),
  };
}

/** A masked copy as PDD shows one beside the plain field (first and last character kept). */
function mask(value: string): string {
  const chars = [...value];
  return chars.length <= 2
    ? '*'.repeat(chars.length)
    : `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

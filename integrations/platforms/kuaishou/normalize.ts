import {
  NormalizedOrderSchema,
  type GroupStatus,
  type NormalizedOrder,
  type OrderType,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import type { KuaishouOrder } from './wire.js';

/**
 * Kuaishou order → our order. Pure.
 *
 * Status (`orderBaseInfo.status`): 10 待付款 → awaiting_payment; 30 已付款 → paid (awaiting_payment
 * while `disableDeliveryReasonCode` has 2 支付后风控审核中 or `riskCode` is 10001: Kuaishou says do
 * not ship); 40 已发货, 50 已签收 → shipped; 70 订单成功 → completed; 80 订单失败 → cancelled.
 * `disableDeliveryReasonCode` 1 多人拼团活动进行中 → a forming group (never ships).
 * Refunds (`orderRefundList[].refundStatus`): 10–50 open → requested, 60 退款成功 → refunded,
 * 70 退款失败 → closed; an open case wins.
 * Type: `allActivityType` 17 多人拼团 → group_buy; 6 定金预售, `orderStepInfo.payStepType` 1 or
 * `preSale` 1 → presale.
 * One order carries one SKU line (`orderItemInfo`), money in fen: goods = price × num, discount =
 * `discountFee`, shipping = `expressFee`, paid = `totalFee` once paid. Receivers are ciphertext
 * (`encrypted*`) kept as given with `protected: true`; `open.order.decrypt.batch` gives the
 * plaintext only when a waybill needs it.
 */
export function normalizeKuaishouOrder(order: KuaishouOrder, shopId: string): NormalizedOrder {
  const base = order.orderBaseInfo;
  const item = order.orderItemInfo;
  const status = orderStatus(order);
  const groupStatus: GroupStatus | undefined = base.disableDeliveryReasonCode.includes(1)
    ? 'forming'
    : base.allActivityType.includes(17)
      ? 'formed'
      : undefined;
  const skuId = item.skuId ?? '';
  return NormalizedOrderSchema.parse({
    platform: 'kuaishou',
    shopId,
    platformOrderId: base.oid,
    status,
    refundStatus: refundStatus(order),
    type: orderType(order),
    ...(groupStatus ? { groupStatus } : {}),
    createdAt: iso(base.createTime),
    ...(base.payTime > 0 ? { paidAt: iso(base.payTime) } : {}),
    modifiedAt: iso(base.updateTime),
    currency: 'CNY',
    amounts: {
      goodsFen: item.price * item.num,
      discountFen: base.discountFee,
      shippingFen: base.expressFee,
      paidFen: status === 'awaiting_payment' ? 0 : base.totalFee,
    },
    buyer: {
      id: base.buyerOpenId || `kuaishou-order-${base.oid}`,
      ...(base.buyerNick ? { nick: base.buyerNick } : {}),
    },
    receiver: kuaishouReceiver(order),
    lines: [
      {
        lineId: item.orderItemId ?? base.oid,
        platformSkuId: skuId,
        skuCode: item.skuNick || item.relSkuId || skuId,
        title: [item.itemTitle, item.skuDesc].filter(Boolean).join(' '),
        quantity: item.num,
        unitPriceFen: item.price,
        discountFen: item.discountFee,
      },
    ],
    ...(base.remark ? { buyerRemark: base.remark } : {}),
    ...(order.orderNote?.sellerNote ? { sellerMemo: order.orderNote.sellerNote } : {}),
    ...(base.validPromiseShipmentTimeStamp > 0 ? { shipBy: iso(base.validPromiseShipmentTimeStamp) } : {}),
  });
}

/** The ciphertext when given, else the platform's mask; either way protected. */
export function kuaishouReceiver(order: KuaishouOrder): Receiver {
  const a = order.orderAddress;
  return {
    name: a.encryptedConsignee || a.desensitiseConsignee,
    phone: a.encryptedMobile || a.desensitiseMobile,
    country: 'CN',
    province: a.province,
    city: a.city,
    district: a.district,
    ...(a.town ? { town: a.town } : {}),
    detail: a.encryptedAddress || a.desensitiseAddress,
    protected: true,
  };
}

function orderStatus(order: KuaishouOrder): PlatformOrderStatus {
  const base = order.orderBaseInfo;
  switch (base.status) {
    case 10:
      return 'awaiting_payment';
    case 30:
      return base.disableDeliveryReasonCode.includes(2) || base.riskCode === 10001
        ? 'awaiting_payment'
        : 'paid';
    case 40:
    case 50:
      return 'shipped';
    case 70:
      return 'completed';
    case 80:
      return 'cancelled';
    default:
      throw new RangeError(`unknown Kuaishou status ${base.status} on order ${base.oid}`);
  }
}

function refundStatus(order: KuaishouOrder): RefundStatus {
  const states = order.orderRefundList.map((r) => r.refundStatus);
  if (states.some((s) => s >= 10 && s <= 50)) return 'requested';
  if (states.includes(60)) return 'refunded';
  if (states.includes(70)) return 'closed';
  return 'none';
}

function orderType(order: KuaishouOrder): OrderType {
  const base = order.orderBaseInfo;
  if (base.allActivityType.includes(17)) return 'group_buy';
  if (base.allActivityType.includes(6) || order.orderStepInfo?.payStepType === 1 || base.preSale === 1)
    return 'presale';
  return 'normal';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

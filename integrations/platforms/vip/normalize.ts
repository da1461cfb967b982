import { decimalToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type RefundStatus,
} from '../../../domain/order.js';
import { parseGmt8 } from '../taobao/gmt8.js';
import type { VipOrder, VipOrderDetail } from './wire.js';

/**
 * VIP 直发 order (`DvdOrder` + its `getOrderDetail` lines) → our order. Pure. From the SDK's
 * field comments (docs/platforms/vip.md):
 *
 * - `order_status` (the code, or the enum's name `STATUS_22`): 10 已审核 and 118 断货申请中 → paid;
 *   22 已发货 → shipped; 25 已签收 → shipped; 60 已完成 → completed; 97 已取消 and 119 断货申请通过 →
 *   cancelled. After-sales codes: 45 退款处理中 → paid, refund requested; 49 已退款 → cancelled,
 *   refunded; 53/54/117 退货, 55/70/300 拒收 and 58 退货已返仓 → shipped, refund requested.
 * - Lines are told apart by `barcode` (a VIP line has no id of its own): the line id is the barcode.
 * - Money in yuan: goods = Σ `sell_price` × `amount`, shipping = `carriage`, paid =
 *   `vip_order_total_amount` when given (else goods + shipping); what goods + shipping exceed paid
 *   by is the discount (UNCONFIRMED reading).
 * - Times `yyyy-MM-dd HH:mm:ss` in China time; the receiver as plain text.
 */
const STATUS: Record<number, [PlatformOrderStatus, RefundStatus]> = {
  10: ['paid', 'none'],
  118: ['paid', 'none'],
  22: ['shipped', 'none'],
  25: ['shipped', 'none'],
  60: ['completed', 'none'],
  97: ['cancelled', 'none'],
  119: ['cancelled', 'none'],
  45: ['paid', 'requested'],
  49: ['cancelled', 'refunded'],
  53: ['shipped', 'requested'],
  54: ['shipped', 'requested'],
  117: ['shipped', 'requested'],
  55: ['shipped', 'requested'],
  70: ['shipped', 'requested'],
  300: ['shipped', 'requested'],
  58: ['shipped', 'requested'],
};

/** The status code of `order_status` ("22" or "STATUS_22"). */
export function vipStatusCode(order: VipOrder): number {
  return Number(order.order_status.replace(/^STATUS_/, ''));
}

/** Orders VIP shows as sent or past it (no tracking number is in the answers). */
export function vipHasShipped(order: VipOrder): boolean {
  const mapped = STATUS[vipStatusCode(order)];
  return mapped !== undefined && mapped[0] !== 'paid' && mapped[0] !== 'cancelled';
}

export function normalizeVipOrder(order: VipOrder, lines: VipOrderDetail[], shopId: string): NormalizedOrder {
  const mapped = STATUS[vipStatusCode(order)];
  if (!mapped) throw new RangeError(`unknown vip order_status ${order.order_status}`);
  const [status, refundStatus] = mapped;
  const created = parseGmt8(order.add_time) ?? parseGmt8(order.vis_add_time);
  if (!created) throw new RangeError(`vip order ${order.order_id} has no add_time`);
  const goodsFen = lines.reduce((sum, l) => sum + decimalToMinor(l.sell_price) * l.amount, 0);
  const shippingFen = decimalToMinor(order.carriage);
  const total = order.vip_order_total_amount;
  const paidFen =
    total === null || total === undefined || total === '' ? goodsFen + shippingFen : decimalToMinor(total);
  const at = created.toISOString();
  return NormalizedOrderSchema.parse({
    platform: 'vip',
    shopId,
    platformOrderId: order.order_id,
    status,
    refundStatus,
    type: 'normal',
    createdAt: at,
    paidAt: at,
    modifiedAt: (parseGmt8(order.vis_add_time) ?? created).toISOString(),
    currency: 'CNY',
    amounts: {
      goodsFen,
      shippingFen,
      discountFen: Math.max(0, goodsFen + shippingFen - paidFen),
      paidFen,
    },
    buyer: { id: `vip-order-${order.order_id}` },
    receiver: {
      name: order.buyer || '-',
      phone: order.mobile || order.tel || '-',
      country: /^[A-Z]{2}$/.test(order.country_id) ? order.country_id : 'CN',
      province: order.province || '-',
      city: order.city,
      district: order.country,
      detail: order.address || '-',
      ...(order.postcode ? { postalCode: order.postcode } : {}),
      protected: false,
    },
    lines: lines.map((l) => ({
      lineId: l.barcode,
      platformSkuId: l.barcode,
      skuCode: l.barcode,
      title: ([l.brand_name, l.product_name, l.size].filter(Boolean).join(' ') || l.barcode).slice(0, 200),
      quantity: l.amount,
      unitPriceFen: decimalToMinor(l.sell_price),
      discountFen: 0,
    })),
    ...(order.remark ? { buyerRemark: order.remark.slice(0, 1000) } : {}),
  });
}

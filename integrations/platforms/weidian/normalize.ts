import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type RefundStatus,
} from '../../../domain/order.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import type { WeidianItem, WeidianOrder } from './wire.js';

/**
 * Weidian order → our order. Pure. Every field is UNCONFIRMED (§5: not yet researched):
 *
 * - `status`: `unpay` → awaiting_payment; `pay` → paid (partially shipped once an `express`
 *   entry names some sub-orders); `ship` → shipped; `finish` → completed; `close` → cancelled.
 * - Money in yuan strings: goods = Σ items' `price` × `quantity`, shipping = `express_fee`,
 *   discount = `discount_fee`, paid = `total` once paid.
 * - A sub-order's `refund_status` `refunding` → its refund requested, `refunded` → refunded; the
 *   order's is requested while any is refunding, refunded when all are.
 * - Times `yyyy-MM-dd HH:mm:ss` in Beijing time; the receiver in plain text (`buyer_info`).
 */
export function normalizeWeidianOrder(order: WeidianOrder, shopId: string): NormalizedOrder {
  const fen = (v: string) => Math.abs(amountToMinor(v, 'CNY'));
  const status = orderStatus(order);
  const b = order.buyer_info;
  const lineRefunds = order.items.map(lineRefund);
  return NormalizedOrderSchema.parse({
    platform: 'weidian',
    shopId,
    platformOrderId: order.order_id,
    status,
    refundStatus: lineRefunds.includes('requested')
      ? 'requested'
      : lineRefunds.every((r) => r === 'refunded')
        ? 'refunded'
        : 'none',
    type: 'normal',
    createdAt: beijing(order.add_time),
    ...(order.pay_time ? { paidAt: beijing(order.pay_time) } : {}),
    modifiedAt: beijing(order.update_time || order.add_time),
    currency: 'CNY',
    amounts: {
      goodsFen: order.items.reduce((t, i) => t + fen(i.price) * i.quantity, 0),
      discountFen: fen(order.discount_fee),
      shippingFen: fen(order.express_fee),
      paidFen: status === 'awaiting_payment' ? 0 : fen(order.total),
    },
    buyer: { id: b?.buyer_id || `weidian-order-${order.order_id}` },
    receiver: {
      name: b?.name || '-',
      phone: b?.phone || '-',
      country: 'CN',
      province: b?.province || '-',
      city: b?.city ?? '',
      district: b?.region ?? '',
      detail: b?.address || '-',
      ...(b?.post ? { postalCode: b.post } : {}),
      protected: false,
    },
    lines: order.items.map((i, index) => ({
      lineId: i.sub_order_id,
      platformSkuId: i.sku_id && i.sku_id !== '0' ? i.sku_id : i.item_id,
      skuCode: i.merchant_code || i.sku_id || i.item_id,
      title: [i.item_name, i.sku_title].filter(Boolean).join(' ').slice(0, 200),
      quantity: i.quantity,
      unitPriceFen: fen(i.price),
      discountFen: Math.max(0, fen(i.price) * i.quantity - fen(i.total_price)),
      ...(lineRefunds[index] !== 'none' ? { refundStatus: lineRefunds[index] } : {}),
    })),
    ...(order.buyer_note ? { buyerRemark: order.buyer_note } : {}),
    ...(order.seller_note ? { sellerMemo: order.seller_note } : {}),
  });
}

/** The sub-orders an `express` entry has sent. */
export function weidianShippedLines(order: WeidianOrder): Set<string> {
  return new Set(order.express.flatMap((e) => e.sub_order_ids));
}

function orderStatus(order: WeidianOrder): PlatformOrderStatus {
  switch (order.status) {
    case 'unpay':
      return 'awaiting_payment';
    case 'pay':
      return weidianShippedLines(order).size > 0 ? 'partially_shipped' : 'paid';
    case 'ship':
      return 'shipped';
    case 'finish':
      return 'completed';
    case 'close':
      return 'cancelled';
    default:
      throw new RangeError(`unknown weidian order status ${order.status}`);
  }
}

function lineRefund(item: WeidianItem): RefundStatus {
  if (item.refund_status === 'refunding') return 'requested';
  if (item.refund_status === 'refunded') return 'refunded';
  return 'none';
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time → ISO. */
function beijing(value: string): string {
  const iso = gmt8ToIso(value);
  if (!iso) throw new RangeError(`weidian time we cannot read: ${value}`);
  return iso;
}

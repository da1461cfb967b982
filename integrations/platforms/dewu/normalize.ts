import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type RefundStatus,
} from '../../../domain/order.js';
import type { DewuOrder } from './wire.js';

/**
 * Dewu order → our order. Pure. A Dewu order is one SKU (`sku_id`, `qty`), so it is one line whose
 * id is the order number. Amounts are integer fen (as the documented product answers' prices are);
 * times epoch milliseconds. **The status and refund codes are UNCONFIRMED** (no order page of the
 * docs was found; docs/platforms/dewu.md):
 *
 * - `status` 1 待付款 → awaiting_payment; 2 待发货 → paid; 3 已发货 → shipped; 4 交易成功 →
 *   completed; 5 已取消/关闭 → cancelled.
 * - `refund_status` 0/absent none; 1 售后中 → requested; 2 已退款 → refunded; 3 售后关闭 → closed.
 *
 * The receiver is read as the order answer gives it (Dewu's masking and decryption are not in our
 * sources).
 */
export function normalizeDewuOrder(order: DewuOrder, shopId: string): NormalizedOrder {
  const at = (t: number) => new Date(t).toISOString();
  const r = order.receiver;
  const qty = order.qty ?? 1;
  const price = order.price ?? 0;
  const discount = order.discount ?? 0;
  const freight = order.freight ?? 0;
  const status = dewuOrderStatus(order.status);
  return NormalizedOrderSchema.parse({
    platform: 'dewu',
    shopId,
    platformOrderId: order.order_no,
    status,
    refundStatus: dewuRefundStatus(order.refund_status ?? 0),
    type: 'normal',
    createdAt: at(order.create_time),
    ...(order.pay_time ? { paidAt: at(order.pay_time) } : {}),
    modifiedAt: at(order.modify_time ?? order.create_time),
    currency: 'CNY',
    amounts: {
      goodsFen: price * qty,
      discountFen: discount,
      shippingFen: freight,
      paidFen: status === 'awaiting_payment' ? 0 : (order.actual_pay ?? price * qty - discount + freight),
    },
    buyer: { id: `dewu-order-${order.order_no}` },
    receiver: {
      name: r?.name || '-',
      phone: r?.mobile || '-',
      country: 'CN',
      province: r?.province || '-',
      city: r?.city ?? '',
      district: r?.district ?? '',
      detail: r?.address || '-',
      ...(r?.zip ? { postalCode: r.zip } : {}),
      protected: false,
    },
    lines: [
      {
        lineId: order.order_no,
        platformSkuId: order.sku_id,
        skuCode: order.article_number || order.sku_id,
        title: ([order.title, order.properties].filter(Boolean).join(' ') || order.sku_id).slice(0, 200),
        quantity: qty,
        unitPriceFen: price,
        discountFen: discount,
      },
    ],
  });
}

function dewuOrderStatus(status: number): PlatformOrderStatus {
  switch (status) {
    case 1:
      return 'awaiting_payment';
    case 2:
      return 'paid';
    case 3:
      return 'shipped';
    case 4:
      return 'completed';
    case 5:
      return 'cancelled';
    default:
      throw new RangeError(`unknown dewu order status ${status}`);
  }
}

function dewuRefundStatus(status: number): RefundStatus {
  switch (status) {
    case 1:
      return 'requested';
    case 2:
      return 'refunded';
    case 3:
      return 'closed';
    default:
      return 'none';
  }
}

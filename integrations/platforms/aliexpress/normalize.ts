import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import type { AliexpressMoney, AliexpressOrder } from './wire.js';

/**
 * AliExpress order (`aliexpress.solution.order.info.get`) → our order. Pure. Confirmed-ish
 * (secondary, §9): 16-digit ids, money `{amount, currency_code}`. UNCONFIRMED: the field names and
 * the status values' meaning —
 *
 * - PLACE_ORDER_SUCCESS, RISK_CONTROL (paid, in AliExpress's risk check: may not ship yet),
 *   WAIT_SELLER_EXAMINE_MONEY → awaiting_payment; WAIT_SELLER_SEND_GOODS and IN_CANCEL (the buyer
 *   asked to cancel: a refund requested) → paid; SELLER_PART_SEND_GOODS → partially_shipped;
 *   WAIT_BUYER_ACCEPT_GOODS, IN_ISSUE (a dispute: refund requested), IN_FROZEN → shipped;
 *   FUND_PROCESSING and FINISH → completed, FINISH with an `end_reason` naming a cancellation or
 *   closing → cancelled.
 * - Money in the order's currency: goods = Σ `product_price` × `product_count`, shipping =
 *   `logistics_amount`, discount = `seller_discount_amount`, paid = `order_amount` once paid.
 * - A line (child order) `issue_status` IN_ISSUE → its refund requested.
 * - Times `yyyy-MM-dd HH:mm:ss` at the shop's `timeOffset` (default +08:00).
 * - The receiver is plain text.
 */
export function normalizeAliexpressOrder(
  order: AliexpressOrder,
  shop: { shopId: string; timeOffset: string },
): NormalizedOrder {
  const currency = (
    order.order_amount?.currency_code ||
    order.child_order_list[0]?.product_price?.currency_code ||
    'USD'
  ).toUpperCase();
  const minor = (m: AliexpressMoney) =>
    m ? Math.abs(amountToMinor(m.amount, m.currency_code.toUpperCase())) : 0;
  const status = orderStatus(order);
  const goods = order.child_order_list.reduce((t, l) => t + minor(l.product_price) * l.product_count, 0);
  const time = (v: string) => isoTime(v, shop.timeOffset);
  const unpaid = status === 'awaiting_payment' || (status === 'cancelled' && !order.gmt_pay_success);
  return NormalizedOrderSchema.parse({
    platform: 'aliexpress',
    shopId: shop.shopId,
    platformOrderId: order.id,
    status,
    refundStatus: refundStatus(order),
    type: 'normal',
    createdAt: time(order.gmt_create),
    ...(order.gmt_pay_success ? { paidAt: time(order.gmt_pay_success) } : {}),
    modifiedAt: time(order.gmt_modified || order.gmt_create),
    currency,
    amounts: {
      goodsFen: goods,
      discountFen: minor(order.seller_discount_amount),
      shippingFen: minor(order.logistics_amount),
      paidFen: unpaid ? 0 : minor(order.order_amount),
    },
    buyer: { id: order.buyer_login_id || `aliexpress-order-${order.id}` },
    receiver: aliexpressReceiver(order),
    lines: order.child_order_list.map((l) => ({
      lineId: l.id,
      platformSkuId: l.sku_id || l.product_id,
      skuCode: l.sku_code || l.sku_id || l.product_id,
      title: l.product_name.slice(0, 200),
      quantity: l.product_count,
      unitPriceFen: minor(l.product_price),
      discountFen: 0,
      ...(l.issue_status === 'IN_ISSUE' ? { refundStatus: 'requested' } : {}),
    })),
    ...(order.memo ? { buyerRemark: order.memo.slice(0, 1000) } : {}),
  });
}

function orderStatus(order: AliexpressOrder): PlatformOrderStatus {
  switch (order.order_status) {
    case 'PLACE_ORDER_SUCCESS':
    case 'RISK_CONTROL':
    case 'WAIT_SELLER_EXAMINE_MONEY':
      return 'awaiting_payment';
    case 'WAIT_SELLER_SEND_GOODS':
    case 'IN_CANCEL':
      return 'paid';
    case 'SELLER_PART_SEND_GOODS':
      return 'partially_shipped';
    case 'WAIT_BUYER_ACCEPT_GOODS':
    case 'IN_ISSUE':
    case 'IN_FROZEN':
      return 'shipped';
    case 'FUND_PROCESSING':
      return 'completed';
    case 'FINISH':
      return /cancel|close/i.test(order.end_reason) ? 'cancelled' : 'completed';
    default:
      throw new RangeError(`unknown aliexpress order status ${order.order_status}`);
  }
}

function refundStatus(order: AliexpressOrder): RefundStatus {
  if (order.order_status === 'IN_CANCEL' || order.order_status === 'IN_ISSUE') return 'requested';
  if (order.issue_status === 'IN_ISSUE') return 'requested';
  return 'none';
}

function aliexpressReceiver(order: AliexpressOrder): Receiver {
  const a = order.receipt_address;
  const country = (a?.country || 'US').slice(0, 2).toUpperCase();
  const phone = [a?.phone_country ? `+${a.phone_country.replace(/^\+/, '')}` : '', a?.mobile_no]
    .filter(Boolean)
    .join(' ');
  return {
    name: a?.contact_person || order.buyer_login_id || '-',
    phone: phone || '-',
    country,
    province: (a?.province || a?.city || country).slice(0, 50),
    city: (a?.city ?? '').slice(0, 50),
    district: '',
    detail: [a?.detail_address, a?.address2].filter(Boolean).join(', ') || '-',
    ...(a?.zip ? { postalCode: a.zip.slice(0, 20) } : {}),
    protected: false,
  };
}

/** `yyyy-MM-dd HH:mm:ss` at `offset` (`+08:00`) → ISO. */
export function isoTime(value: string, offset: string): string {
  const at = Date.parse(`${value.trim().replace(' ', 'T')}${offset}`);
  if (Number.isNaN(at)) throw new RangeError(`aliexpress time we cannot read: ${value}`);
  return new Date(at).toISOString();
}

/** Epoch ms → `yyyy-MM-dd HH:mm:ss` at `offset`. */
export function aliexpressTime(ms: number, offset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 480;
  return new Date(ms + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

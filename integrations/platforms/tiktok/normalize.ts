import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import { amountToMinor } from '../../../domain/money.js';
import type { TiktokLineItem, TiktokOrder } from './wire.js';

/**
 * TikTok Shop order → our order. Pure. Field names from copies of the doc example (§7.3,
 * secondary); the choices:
 *
 * - Status: `UNPAID` and `ON_HOLD` (the buyer's remorse period: TikTok asks sellers not to ship
 *   yet; UNCONFIRMED) → awaiting_payment; `AWAITING_SHIPMENT` → paid; `PARTIALLY_SHIPPING` →
 *   partially_shipped; `AWAITING_COLLECTION`, `IN_TRANSIT`, `DELIVERED` → shipped; `COMPLETED` →
 *   completed; `CANCELLED` → cancelled.
 * - `line_items` holds one entry per unit sold, each with its own id: each becomes a line of
 *   quantity 1, so a parcel names exactly the items it carries. A `CANCELLED` item in a live order
 *   is refunded on its line.
 * - Money: decimal strings in major units of `payment.currency`, to minor units: goods = Σ item
 *   `original_price`, discount = Σ item seller + platform discounts, shipping = `shipping_fee`,
 *   paid = `total_amount` once paid.
 * - The receiver is as TikTok gives it (`phone_number` masked); there is no decrypt call in our
 *   facts, so nothing is decrypted and the receiver is not marked protected.
 */
export function normalizeTiktokOrder(
  order: TiktokOrder,
  items: TiktokLineItem[],
  shopId: string,
): NormalizedOrder {
  if (items.length === 0) throw new RangeError(`tiktok order ${order.id} has no line items`);
  const currency = order.payment.currency.toUpperCase();
  const minor = (value: string) => amountToMinor(value, currency);
  const status = orderStatus(order);
  const sum = (pick: (i: TiktokLineItem) => string) => items.reduce((t, i) => t + minor(pick(i)), 0);
  const discountOf = (i: TiktokLineItem) => minor(i.seller_discount) + minor(i.platform_discount);
  const refunds = items.map((i) => lineRefund(i, status));
  return NormalizedOrderSchema.parse({
    platform: 'tiktok',
    shopId,
    platformOrderId: order.id,
    status,
    refundStatus: refundStatus(refunds),
    type: 'normal',
    createdAt: iso(order.create_time),
    ...(order.paid_time > 0 ? { paidAt: iso(order.paid_time) } : {}),
    modifiedAt: iso(order.update_time),
    currency,
    amounts: {
      goodsFen: sum((i) => i.original_price),
      discountFen: items.reduce((t, i) => t + discountOf(i), 0),
      shippingFen: minor(order.payment.shipping_fee),
      paidFen: status === 'awaiting_payment' ? 0 : minor(order.payment.total_amount),
    },
    buyer: { id: order.user_id || `tiktok-order-${order.id}` },
    receiver: tiktokReceiver(order),
    lines: items.map((item, index) => ({
      lineId: item.id,
      platformSkuId: item.sku_id ?? '',
      skuCode: item.seller_sku || item.sku_id || item.id,
      title: [item.product_name, item.sku_name].filter(Boolean).join(' '),
      quantity: 1,
      unitPriceFen: minor(item.original_price),
      discountFen: discountOf(item),
      ...(refunds[index] ? { refundStatus: refunds[index] } : {}),
    })),
    ...(order.buyer_message ? { buyerRemark: order.buyer_message } : {}),
    ...(order.seller_note ? { sellerMemo: order.seller_note } : {}),
    ...(order.shipping_due_time > 0 ? { shipBy: iso(order.shipping_due_time) } : {}),
  });
}

function orderStatus(order: TiktokOrder): PlatformOrderStatus {
  switch (order.status) {
    case 'UNPAID':
    case 'ON_HOLD':
      return 'awaiting_payment';
    case 'AWAITING_SHIPMENT':
      return order.is_on_hold_order ? 'awaiting_payment' : 'paid';
    case 'PARTIALLY_SHIPPING':
      return 'partially_shipped';
    case 'AWAITING_COLLECTION':
    case 'IN_TRANSIT':
    case 'DELIVERED':
      return 'shipped';
    case 'COMPLETED':
      return 'completed';
    case 'CANCELLED':
      return 'cancelled';
    default:
      throw new RangeError(`unknown TikTok Shop status ${order.status} on order ${order.id}`);
  }
}

function lineRefund(item: TiktokLineItem, status: PlatformOrderStatus): RefundStatus | undefined {
  return item.display_status === 'CANCELLED' && status !== 'cancelled' ? 'refunded' : undefined;
}

function refundStatus(lines: Array<RefundStatus | undefined>): RefundStatus {
  return lines.some((r) => r === 'refunded') ? 'refunded' : 'none';
}

/** District levels L0 country … L4; the receiver's province is L1, city L2, district L3, town L4. */
function tiktokReceiver(order: TiktokOrder): Receiver {
  const a = order.recipient_address;
  if (!a) throw new RangeError(`tiktok order ${order.id} has no recipient_address`);
  const level = (n: number) => a.district_info.find((d) => d.address_level === `L${n}`)?.address_name ?? '';
  const country = (a.region_code || 'CN').toUpperCase();
  const name = a.name || [a.first_name, a.last_name].filter(Boolean).join(' ');
  const detail =
    a.address_detail ||
    [a.address_line1, a.address_line2, a.address_line3, a.address_line4].filter(Boolean).join(' ') ||
    a.full_address;
  return {
    name: name || '-',
    phone: a.phone_number || '-',
    country,
    province: level(1) || level(0) || country,
    city: level(2),
    district: level(3),
    ...(level(4) ? { town: level(4) } : {}),
    detail: detail || '-',
    ...(a.postal_code ? { postalCode: a.postal_code } : {}),
    protected: false,
  };
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

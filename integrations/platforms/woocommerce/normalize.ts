import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderLine,
  type PlatformOrderStatus,
  type Receiver,
} from '../../../domain/order.js';
import { regionFromAddressLines, resolveProvince } from '../../../domain/regions/index.js';
import type { RefundInfo } from '../types.js';
import { WOO_CN_STATES } from './states.js';
import type { WooAddress, WooLineItem, WooOrder } from './wire.js';

/**
 * WooCommerce order → our order. Pure.
 *
 * | Woo `status`                 | ours             | why                                              |
 * |------------------------------|------------------|--------------------------------------------------|
 * | pending, checkout-draft      | awaiting_payment |                                                  |
 * | on-hold                      | awaiting_payment | waiting for the seller to confirm payment (BACS) |
 * | failed                       | awaiting_payment | payment failed; the buyer may pay again          |
 * | processing                   | paid             | paid, to fulfil                                  |
 * | completed                    | shipped          | Woo's "fulfilled"; Woo has no delivered state    |
 * | cancelled, trash             | cancelled        |                                                  |
 * | refunded                     | cancelled        | refund: refunded                                 |
 * Refund status: `refunded` status or any entry in `refunds[]` → refunded.
 *
 * Money: decimal strings in the order currency → its minor unit. Goods = Σ line `subtotal`
 * (before coupons), discount = `discount_total`, shipping = `shipping_total`, paid = `total`
 * once paid, tax = `total_tax` (each line keeps its `total_tax`). Times are the `_gmt` fields (UTC without a zone suffix).
 */
export function normalizeWooOrder(order: WooOrder, shopId: string): NormalizedOrder {
  const currency = order.currency.toUpperCase();
  const minor = (v: string) => amountToMinor(v, currency);
  const status = wooStatus(order.status);
  const lines = order.line_items.filter((l) => l.quantity > 0).map((l) => line(l, minor));
  const paid = status !== 'awaiting_payment' && !(status === 'cancelled' && !order.date_paid_gmt);
  const refunded = order.status === 'refunded' || order.refunds.length > 0;
  const billing = order.billing;
  return NormalizedOrderSchema.parse({
    platform: 'woocommerce',
    shopId,
    platformOrderId: order.id,
    status,
    refundStatus: refunded ? 'refunded' : 'none',
    type: 'normal',
    createdAt: gmt(order.date_created_gmt),
    ...(order.date_paid_gmt ? { paidAt: gmt(order.date_paid_gmt) } : {}),
    modifiedAt: gmt(order.date_modified_gmt),
    currency,
    amounts: {
      goodsFen: lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0),
      discountFen: minor(order.discount_total),
      shippingFen: minor(order.shipping_total),
      taxFen: order.total_tax ? minor(order.total_tax) : 0,
      paidFen: paid ? minor(order.total) : 0,
    },
    buyer: {
      id: order.customer_id ? String(order.customer_id) : billing?.email || `woo-order-${order.id}`,
      ...(billing?.email ? { nick: billing.email } : {}),
    },
    receiver: wooReceiver(order),
    lines,
    ...(order.customer_note ? { buyerRemark: order.customer_note } : {}),
  });
}

export function wooStatus(status: string): PlatformOrderStatus {
  switch (status) {
    case 'pending':
    case 'checkout-draft':
    case 'on-hold':
    case 'failed':
      return 'awaiting_payment';
    case 'processing':
      return 'paid';
    case 'completed':
      return 'shipped';
    case 'cancelled':
    case 'trash':
    case 'refunded':
      return 'cancelled';
    default:
      throw new RangeError(`unknown WooCommerce status ${status}`);
  }
}

const CJK = /[\u3400-\u9fff]/;
const NONE = '-';

/**
 * The shipping address, or billing when the order has none (virtual goods). Chinese receivers get
 * the province, city and district the rest of the system uses (domain/regions/address-lines.ts).
 */
export function wooReceiver(order: WooOrder): Receiver {
  const s: WooAddress | undefined = order.shipping?.address_1 ? order.shipping : (order.billing ?? undefined);
  const first = s?.first_name ?? '';
  const last = s?.last_name ?? '';
  const name = CJK.test(first + last) ? `${last}${first}` : [first, last].filter(Boolean).join(' ');
  const country = (s?.country || 'ZZ').toUpperCase();
  const lines = [s?.address_1, s?.address_2].filter((l): l is string => Boolean(l));
  // Woo's form for China has no district (it is in address_1 or the city) and codes the
  // province as its own `CN1`…`CN32`.
  const region =
    country === 'CN' && s
      ? regionFromAddressLines({
          province: resolveProvince(WOO_CN_STATES[s.state.toUpperCase()] ?? s.state)?.name ?? s.state,
          city: s.city,
          lines,
        })
      : undefined;
  return {
    name: name || NONE,
    phone: s?.phone || order.billing?.phone || NONE,
    country,
    province: region?.province || s?.state || s?.city || country,
    city: region?.city ?? s?.city ?? '',
    district: region?.district ?? '',
    detail: lines.join(' ') || NONE,
    ...(s?.postcode ? { postalCode: s.postcode } : {}),
    protected: false,
  };
}

/** `subtotal` is the line before coupons, `total` after: the unit price is rounded up and the rest is discount. */
function line(item: WooLineItem, minor: (v: string) => number): OrderLine {
  const subtotal = minor(item.subtotal);
  const unit = Math.ceil(subtotal / item.quantity);
  const platformSkuId =
    item.variation_id && item.variation_id !== '0' ? item.variation_id : (item.product_id ?? item.id);
  return {
    lineId: item.id,
    platformSkuId,
    skuCode: item.sku || platformSkuId,
    title: item.name,
    quantity: item.quantity,
    unitPriceFen: unit,
    discountFen: unit * item.quantity - minor(item.total),
    taxFen: item.total_tax ? minor(item.total_tax) : 0,
  };
}

/** Woo's `_gmt` fields are UTC without a zone designator. */
export function gmt(value: string): string {
  const at = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(at)) throw new RangeError(`not a date: ${value}`);
  return new Date(at).toISOString();
}

/**
 * Refunds as the order lists them (`refunds[]`: id, reason, negative total). The order resource
 * gives refunds no date, so the order's modified time stands in for both.
 */
export function wooRefunds(order: WooOrder): RefundInfo[] {
  const currency = order.currency.toUpperCase();
  const at = gmt(order.date_modified_gmt);
  return order.refunds.map((r) => ({
    platformRefundId: r.id,
    platformOrderId: order.id,
    status: 'refunded',
    kind: 'refund_only',
    amountMinor: Math.abs(amountToMinor(r.total, currency)),
    currency,
    ...(r.reason ? { reason: r.reason } : {}),
    createdAt: at,
    modifiedAt: at,
  }));
}

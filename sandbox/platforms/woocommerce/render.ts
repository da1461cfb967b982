import type { SimOrder } from '../../orders/model.js';
import { chineseAddressLines } from '../address-lines.js';
import { wooStateForProvince } from './states.js';

/** SimOrder → WooCommerce REST v3 order. The simulated site runs on Asia/Shanghai time. */
const ZERO_DECIMAL = new Set(['JPY', 'VND', 'KRW', 'IDR']);
export const money = (minor: number, currency: string) =>
  ZERO_DECIMAL.has(currency)
    ? String(minor)
    : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const gmt = (d: Date) => d.toISOString().slice(0, 19);
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
const CJK = /[\u3400-\u9fff]/;

export interface WooSimExtras {
  meta: Array<{ id: number; key: string; value: unknown }>;
  /** Woo's own status when it differs from what the SimOrder implies (e.g. on-hold). */
  status?: string;
}

export function wooOrderStatus(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
      return 'pending';
    case 'deposit_paid':
      return 'on-hold';
    case 'paid':
      return 'processing';
    case 'shipped':
    case 'completed':
      return 'completed';
    case 'cancelled':
      return order.refund?.status === 'refunded' ? 'refunded' : 'cancelled';
  }
}

function person(name: string) {
  if (CJK.test(name)) return { last_name: name.slice(0, 1), first_name: name.slice(1) };
  const [first = '', ...rest] = name.split(' ');
  return { first_name: first, last_name: rest.join(' ') };
}

export function renderWooOrder(order: SimOrder, extras: WooSimExtras = { meta: [] }) {
  const c = order.currency;
  const discount = order.items.reduce((s, i) => s + i.discountMinor, 0) + order.discountMinor;
  const subtotal = order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0);
  const tax = order.items.reduce((s, i) => s + (i.taxMinor ?? 0), 0);
  const total = subtotal - discount + order.shippingMinor + tax;
  const r = order.receiver;
  const cn = r.country === 'CN' ? chineseAddressLines(r, order.id) : undefined;
  const address = {
    ...person(r.name),
    company: '',
    address_1: cn?.address1 ?? r.detail,
    address_2: '',
    city: cn?.city ?? r.city,
    state: (cn && wooStateForProvince(r.province)) ?? r.province,
    postcode: r.postalCode ?? '',
    country: r.country,
  };
  return {
    id: Number(order.id),
    parent_id: 0,
    number: order.id,
    order_key: `wc_order_${order.id}`,
    status: extras.status ?? wooOrderStatus(order),
    currency: c,
    date_created: local(order.createdAt),
    date_created_gmt: gmt(order.createdAt),
    date_modified: local(order.modifiedAt),
    date_modified_gmt: gmt(order.modifiedAt),
    date_paid: order.paidAt ? local(order.paidAt) : null,
    date_paid_gmt: order.paidAt ? gmt(order.paidAt) : null,
    discount_total: money(discount, c),
    shipping_total: money(order.shippingMinor, c),
    total_tax: money(tax, c),
    total: money(total, c),
    customer_id: /^\d+$/.test(order.buyer.id) ? Number(order.buyer.id) : 0,
    customer_note: order.buyerRemark ?? '',
    billing: { ...address, email: `${order.buyer.nick}@example.com`, phone: r.phone },
    shipping: { ...address, phone: r.phone },
    payment_method: 'alipay',
    transaction_id: `2026${order.id}`,
    line_items: order.items.map((i) => ({
      id: Number(i.lineId),
      name: `${i.title}${i.spec ? ` - ${i.spec}` : ''}`,
      product_id: Number(i.platformSkuId),
      variation_id: 0,
      quantity: i.quantity,
      subtotal: money(i.unitPriceMinor * i.quantity, c),
      total: money(i.unitPriceMinor * i.quantity - i.discountMinor, c),
      total_tax: money(i.taxMinor ?? 0, c),
      sku: i.skuCode,
      price: i.unitPriceMinor / 100,
      meta_data: [],
    })),
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
    refunds:
      order.refund?.status === 'refunded'
        ? [
            {
              id: Number(order.refund.id),
              reason: order.refund.reason,
              total: `-${money(order.refund.amountMinor, c)}`,
            },
          ]
        : [],
    meta_data: extras.meta,
  };
}

/** `GET /orders/<id>/refunds/<refund_id>`: the order's refund, its lines naming the order items. */
export function renderWooRefund(order: SimOrder, refundId: string) {
  const refund = order.refund;
  if (!refund || refund.id !== refundId || refund.status !== 'refunded') return undefined;
  const c = order.currency;
  const gmt = refund.modifiedAt.toISOString().slice(0, 19);
  return {
    id: Number(refund.id),
    date_created: gmt,
    date_created_gmt: gmt,
    amount: money(refund.amountMinor, c),
    reason: refund.reason,
    refunded_by: 1,
    refunded_payment: true,
    meta_data: [],
    line_items: order.items
      .filter((i) => refund.lineIds?.includes(i.lineId))
      .map((i, n) => ({
        // Woo item ids are safe integers (the adapter rejects larger ones): number the lines 1, 2, …
        id: n + 1,
        name: i.title,
        quantity: -i.quantity,
        total: `-${money(i.unitPriceMinor * i.quantity - i.discountMinor, c)}`,
        sku: i.skuCode,
        meta_data: [{ id: n + 1, key: '_refunded_item_id', value: i.lineId }],
      })),
  };
}

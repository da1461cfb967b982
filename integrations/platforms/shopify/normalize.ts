import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderLine,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import {
  regionFromAddressLines,
  resolveProvince,
  type ChineseRegion,
} from '../../../domain/regions/index.js';
import type { RefundInfo } from '../types.js';
import type { ShopifyAddress, ShopifyLineItem, ShopifyOrder, ShopifyRefund } from './wire.js';

/**
 * Shopify order (REST resource, also the body of `orders/*` webhooks) → our order. Pure.
 *
 * Status, first rule that applies:
 * | Shopify                                              | ours              |
 * |------------------------------------------------------|-------------------|
 * | `cancelled_at` set, or financial `voided`            | cancelled         |
 * | financial `pending`, `partially_paid`, `expired`     | awaiting_payment  |
 * | fulfillment `fulfilled` and `closed_at` set          | completed         |
 * | fulfillment `fulfilled`                              | shipped           |
 * | fulfillment `partial`                                | partially_shipped |
 * | otherwise (`authorized`, `paid`, refunds; unfulfilled)| paid              |
 * `authorized` counts as paid: the money is guaranteed and captured when the seller fulfils.
 * Refund: financial `refunded`/`partially_refunded` → refunded; else none.
 * Shopify has no presale or group-buy type: every order is `normal`.
 *
 * Money: decimal strings in the shop currency → its minor unit. Goods = Σ price × qty, discount
 * = `total_discounts`, shipping = `total_shipping_price_set` (else Σ shipping_lines), paid =
 * `total_price` once paid, tax = `total_tax` (each line keeps its `tax_lines`); a shop whose
 * prices include tax (`taxes_included`) owes no tax on top, so its order-level tax is 0. Receivers are plaintext; Chinese names are
 * family name first (`last_name` + `first_name`), others "first last". Chinese receivers get the
 * province, city and district the rest of the system uses, found in the zone, city and address
 * lines (domain/regions/address-lines.ts); others are kept as sent.
 */
export function normalizeShopifyOrder(order: ShopifyOrder, shopId: string): NormalizedOrder {
  const currency = order.currency.toUpperCase();
  const minor = (v: string | null | undefined) => (v ? amountToMinor(v, currency) : 0);
  const { status, refund } = shopifyStatus(order);
  const lines = order.line_items.filter((l) => l.quantity > 0).map((l) => line(l, minor));
  const shippingFen = order.total_shipping_price_set
    ? minor(order.total_shipping_price_set.shop_money.amount)
    : order.shipping_lines.reduce((s, l) => s + minor(l.price), 0);
  const paid = status !== 'awaiting_payment' && status !== 'cancelled';
  const customer = order.customer;
  const nick = [customer?.first_name, customer?.last_name].filter(Boolean).join(' ') || order.email;
  return NormalizedOrderSchema.parse({
    platform: 'shopify',
    shopId,
    platformOrderId: order.id,
    status,
    refundStatus: refund,
    type: 'normal',
    createdAt: iso(order.created_at),
    ...(paid && order.processed_at ? { paidAt: iso(order.processed_at) } : {}),
    modifiedAt: iso(order.updated_at),
    currency,
    amounts: {
      goodsFen: lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0),
      discountFen: minor(order.total_discounts),
      shippingFen,
      taxFen: order.taxes_included ? 0 : minor(order.total_tax),
      paidFen: paid ? minor(order.total_price) : 0,
    },
    buyer: { id: customer?.id ?? (order.email || `shopify-order-${order.id}`), ...(nick ? { nick } : {}) },
    receiver: shopifyReceiver(order),
    lines,
    ...(order.note ? { buyerRemark: order.note } : {}),
  });
}

export function shopifyStatus(
  order: Pick<ShopifyOrder, 'cancelled_at' | 'closed_at' | 'financial_status' | 'fulfillment_status'>,
): {
  status: PlatformOrderStatus;
  refund: RefundStatus;
} {
  const financial = order.financial_status ?? 'pending';
  const refund: RefundStatus =
    financial === 'refunded' || financial === 'partially_refunded' ? 'refunded' : 'none';
  if (order.cancelled_at || financial === 'voided') return { status: 'cancelled', refund };
  if (financial === 'pending' || financial === 'partially_paid' || financial === 'expired') {
    return { status: 'awaiting_payment', refund };
  }
  switch (order.fulfillment_status) {
    case 'fulfilled':
      return { status: order.closed_at ? 'completed' : 'shipped', refund };
    case 'partial':
      return { status: 'partially_shipped', refund };
    default:
      return { status: 'paid', refund };
  }
}

const CJK = /[\u3400-\u9fff]/;
const NONE = '-';

export function shopifyReceiver(order: ShopifyOrder): Receiver {
  const a: ShopifyAddress | undefined = order.shipping_address ?? order.billing_address ?? undefined;
  const first = a?.first_name ?? '';
  const last = a?.last_name ?? '';
  const name = CJK.test(first + last) ? `${last}${first}` : [first, last].filter(Boolean).join(' ');
  const country = (a?.country_code || 'ZZ').toUpperCase();
  const lines = [a?.address1, a?.address2].filter((l): l is string => Boolean(l));
  const region = country === 'CN' && a ? shopifyChineseRegion(a, lines) : undefined;
  return {
    name: name || a?.name || NONE,
    phone: a?.phone || order.phone || order.billing_address?.phone || NONE,
    country,
    province: region?.province || a?.province || a?.city || country,
    city: region?.city ?? a?.city ?? '',
    district: region?.district ?? '',
    detail: lines.join(' ') || NONE,
    ...(a?.zip ? { postalCode: a.zip } : {}),
    protected: false,
  };
}

/**
 * Shopify's address form for China has no district: it is in address1 or the city. The province
 * comes as a zone (`province` "Zhejiang", `province_code` "ZJ"; Xizang is Shopify's `YZ`, ISO `XZ`).
 */
function shopifyChineseRegion(a: ShopifyAddress, lines: string[]): ChineseRegion {
  const code = a.province_code.toUpperCase() === 'YZ' ? 'XZ' : a.province_code;
  const province = resolveProvince(code)?.name ?? a.province;
  return regionFromAddressLines({ province, city: a.city, lines });
}

function line(item: ShopifyLineItem, minor: (v: string | null | undefined) => number): OrderLine {
  const allocated = item.discount_allocations.reduce((s, d) => s + minor(d.amount), 0);
  const platformSkuId = item.variant_id ?? item.product_id ?? item.id;
  return {
    lineId: item.id,
    platformSkuId,
    skuCode: item.sku || platformSkuId,
    title: [item.title, item.variant_title].filter(Boolean).join(' '),
    quantity: item.quantity,
    unitPriceFen: minor(item.price),
    discountFen: allocated || minor(item.total_discount),
    taxFen: item.tax_lines.reduce((s, t) => s + minor(t.price), 0),
  };
}

function iso(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`not an ISO date: ${value}`);
  return new Date(at).toISOString();
}

/**
 * A refund (order `refunds[]`, or the body of `refunds/create`) → refund case. Shopify refunds are
 * done deals: `refunded`. Amount = Σ successful refund transactions; line items restocked as
 * `return` make it a return.
 */
export function normalizeShopifyRefund(refund: ShopifyRefund, currency: string): RefundInfo {
  const ok = refund.transactions.filter((t) => t.kind === 'refund' && t.status === 'success');
  const cur = (ok[0]?.currency || currency).toUpperCase();
  const at = iso(refund.processed_at ?? refund.created_at);
  return {
    platformRefundId: refund.id,
    platformOrderId: refund.order_id,
    status: 'refunded',
    kind: refund.refund_line_items.some((l) => l.restock_type === 'return')
      ? 'return_and_refund'
      : 'refund_only',
    amountMinor: ok.reduce((s, t) => s + amountToMinor(t.amount, cur), 0),
    currency: cur,
    ...(refund.note ? { reason: refund.note } : {}),
    ...(refund.refund_line_items.length
      ? { lineIds: refund.refund_line_items.map((l) => l.line_item_id) }
      : {}),
    createdAt: iso(refund.created_at),
    modifiedAt: at,
  };
}

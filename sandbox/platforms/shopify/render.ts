import { latinProvince } from '../../../domain/regions/index.js';
import type { SimOrder, SimShipment } from '../../orders/model.js';
import { chineseAddressLines } from '../address-lines.js';

/** SimOrder → Shopify REST Admin order (ids as bare 64-bit JSON numbers via BigInt). */
const ZERO_DECIMAL = new Set(['JPY', 'VND', 'KRW', 'IDR']);
export const money = (minor: number, currency: string) =>
  ZERO_DECIMAL.has(currency)
    ? String(minor)
    : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
export const num = (id: string): bigint | string => (/^\d+$/.test(id) ? BigInt(id) : id);
const CJK = /[\u3400-\u9fff]/;
const COUNTRY_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

function splitName(name: string): { first_name: string; last_name: string } {
  if (CJK.test(name)) return { last_name: name.slice(0, 1), first_name: name.slice(1) };
  const [first = '', ...rest] = name.split(' ');
  return { first_name: first, last_name: rest.join(' ') };
}

function financialStatus(order: SimOrder, total: number): string {
  const refunded = order.refund?.status === 'refunded' ? order.refund.amountMinor : 0;
  if (refunded) return refunded >= total ? 'refunded' : 'partially_refunded';
  switch (order.status) {
    case 'unpaid':
      return 'pending';
    case 'deposit_paid':
      return 'partially_paid';
    case 'cancelled':
      return 'voided';
    default:
      return 'paid';
  }
}

export function fulfillmentOrderId(order: SimOrder): string {
  return `${order.id}1`;
}

/** The fulfillment order `returnProcess` opens for a return's exchange items (R4). */
export function exchangeFulfillmentOrderId(order: SimOrder): string {
  return `${order.id}2`;
}

/** The exchange items released for fulfillment (processed), as order line items. */
export function releasedExchangeItems(order: SimOrder) {
  return (order.refund?.exchangeItems ?? []).filter((e) => e.processed > 0);
}

/** A fulfillment order line item's id: its order line's, with a 1 after it. */
export function fulfillmentOrderLineItemId(lineId: string): string {
  return `${lineId}1`;
}

/** The k-th fulfillment (0-based) of an order; the first keeps the id it always had. */
export function fulfillmentId(order: SimOrder, k: number): string {
  return k === 0 ? `${order.id}7` : `${order.id}7${k}`;
}

/** The fulfillments the seller created: the first parcel, then those after it. */
export function shopifyShipments(order: SimOrder): SimShipment[] {
  return [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);
}

/** Units of each line one fulfillment carried (a parcel naming no quantities: its lines whole). */
export function shipmentUnits(order: SimOrder, shipment: SimShipment): Map<string, number> {
  const units = new Map<string, number>();
  for (const item of order.items) {
    const n = shipment.quantities
      ? (shipment.quantities[item.lineId] ?? 0)
      : !shipment.lineIds || shipment.lineIds.includes(item.lineId)
        ? item.quantity
        : 0;
    if (n > 0) units.set(item.lineId, n);
  }
  return units;
}

/**
 * Units of each line still to fulfil: the line's quantity less what the fulfillments carried. An
 * order the store itself moved to shipped or completed has nothing left.
 */
export function remainingUnits(order: SimOrder): Map<string, number> {
  const whole = order.status === 'shipped' || order.status === 'completed';
  const left = new Map(order.items.map((i) => [i.lineId, whole ? 0 : i.quantity]));
  if (whole) return left;
  for (const shipment of shopifyShipments(order)) {
    for (const [lineId, n] of shipmentUnits(order, shipment)) {
      left.set(lineId, Math.max(0, (left.get(lineId) ?? 0) - n));
    }
  }
  return left;
}

/**
 * The fulfillment order's status (shopify.dev FulfillmentOrderStatus): `open` until something is
 * fulfilled, `in_progress` while part of it is (a Shopify staff answer on community.shopify.com,
 * "What changes the FulfillmentOrderStatus from OPEN to IN_PROGRESS": partial fulfillment),
 * `closed` once nothing remains, `cancelled` with the order.
 */
export function fulfillmentOrderStatus(order: SimOrder): 'open' | 'in_progress' | 'closed' | 'cancelled' {
  if (order.status === 'cancelled') return 'cancelled';
  const left = [...remainingUnits(order).values()];
  if (left.every((n) => n === 0)) return 'closed';
  const total = order.items.reduce((s, i) => s + i.quantity, 0);
  return left.reduce((s, n) => s + n, 0) < total ? 'in_progress' : 'open';
}

export function renderShopifyRefund(order: SimOrder) {
  const refund = order.refund!;
  return {
    id: num(refund.id),
    order_id: num(order.id),
    created_at: refund.createdAt.toISOString(),
    processed_at: refund.modifiedAt.toISOString(),
    note: refund.reason,
    refund_line_items:
      refund.kind === 'return_and_refund'
        ? order.items.map((i) => ({
            line_item_id: num(i.lineId),
            quantity: i.quantity,
            restock_type: 'return',
          }))
        : [],
    transactions: [
      {
        kind: 'refund',
        status: 'success',
        amount: money(refund.amountMinor, order.currency),
        currency: order.currency,
      },
    ],
  };
}

export function renderShopifyOrder(order: SimOrder) {
  const c = order.currency;
  const subtotal = order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0);
  const discounts = order.items.reduce((s, i) => s + i.discountMinor, 0) + order.discountMinor;
  const tax = order.items.reduce((s, i) => s + (i.taxMinor ?? 0), 0);
  const total = subtotal - discounts + order.shippingMinor + tax;
  const status = fulfillmentOrderStatus(order);
  const r = order.receiver;
  const cn = r.country === 'CN' ? chineseAddressLines(r, order.id) : undefined;
  const zone = cn ? latinProvince(r.province) : undefined;
  const address = {
    ...splitName(r.name),
    address1: cn?.address1 ?? r.detail,
    address2: '',
    city: cn?.city ?? r.city,
    // Shopify's zones for China: English name and code, Xizang coded YZ (Shopify/worldwide CN.yml).
    province: zone?.name ?? r.province,
    province_code: zone ? (zone.iso === 'XZ' ? 'YZ' : zone.iso) : null,
    country: COUNTRY_NAMES.of(r.country) ?? r.country,
    country_code: r.country,
    zip: r.postalCode ?? '',
    phone: r.phone,
  };
  const n = Number(order.id.slice(-4));
  return {
    id: num(order.id),
    name: `#${n}`,
    order_number: n,
    email: `${order.buyer.id}@example.com`,
    phone: null,
    created_at: order.createdAt.toISOString(),
    updated_at: order.modifiedAt.toISOString(),
    processed_at: (order.paidAt ?? order.createdAt).toISOString(),
    cancelled_at: order.status === 'cancelled' ? order.modifiedAt.toISOString() : null,
    closed_at: order.status === 'completed' ? order.modifiedAt.toISOString() : null,
    currency: c,
    financial_status: financialStatus(order, total),
    fulfillment_status: status === 'closed' ? 'fulfilled' : status === 'in_progress' ? 'partial' : null,
    subtotal_price: money(subtotal - discounts, c),
    total_discounts: money(discounts, c),
    total_tax: money(tax, c),
    taxes_included: false,
    total_price: money(total, c),
    total_shipping_price_set: {
      shop_money: { amount: money(order.shippingMinor, c), currency_code: c },
      presentment_money: { amount: money(order.shippingMinor, c), currency_code: c },
    },
    note: order.buyerRemark ?? null,
    tags: '',
    line_items: order.items.map((i) => ({
      id: num(i.lineId),
      product_id: num(i.platformSkuId.slice(0, -2) || i.platformSkuId),
      variant_id: num(i.platformSkuId),
      sku: i.skuCode,
      title: i.title,
      variant_title: i.spec,
      quantity: i.quantity,
      price: money(i.unitPriceMinor, c),
      total_discount: money(0, c),
      discount_allocations: i.discountMinor ? [{ amount: money(i.discountMinor, c) }] : [],
      tax_lines: i.taxMinor ? [{ title: 'Sales tax', price: money(i.taxMinor, c), rate: 0.1 }] : [],
    })),
    shipping_address: address,
    billing_address: address,
    shipping_lines: [{ title: 'Standard', price: money(order.shippingMinor, c) }],
    customer: {
      id: num(order.buyer.id),
      first_name: order.buyer.nick,
      last_name: '',
      email: `${order.buyer.id}@example.com`,
    },
    fulfillments: [
      ...shopifyShipments(order).map((shipment, k) => renderFulfillment(order, shipment, k)),
      ...(order.refund?.exchangeShipment ? [renderExchangeFulfillment(order)] : []),
    ],
    refunds: order.refund?.status === 'refunded' ? [renderShopifyRefund(order)] : [],
  };
}

/** One fulfillment as REST shows it: its tracking and the order lines with the units it carried. */
export function renderFulfillment(order: SimOrder, shipment: SimShipment, k: number) {
  const n = Number(order.id.slice(-4));
  return {
    id: num(fulfillmentId(order, k)),
    order_id: num(order.id),
    name: `#${n}.${k + 1}`,
    status: 'success',
    created_at: shipment.shippedAt.toISOString(),
    tracking_company: shipment.carrierCode,
    tracking_number: shipment.trackingNumber,
    tracking_numbers: [shipment.trackingNumber],
    line_items: [...shipmentUnits(order, shipment)].map(([lineId, quantity]) => ({
      id: num(lineId),
      quantity,
    })),
  };
}

/** The fulfillment of the exchange items (the replacement's parcel). */
function renderExchangeFulfillment(order: SimOrder) {
  const shipped = order.refund!.exchangeShipment!;
  const n = Number(order.id.slice(-4));
  return {
    id: num(`${order.id}8`),
    order_id: num(order.id),
    name: `#${n}.X`,
    status: 'success',
    created_at: shipped.at.toISOString(),
    tracking_company: shipped.company,
    tracking_number: shipped.trackingNumber,
    tracking_numbers: [shipped.trackingNumber],
    line_items: releasedExchangeItems(order).map((e) => ({ id: num(e.lineItemId), quantity: e.processed })),
  };
}

/**
 * The order's one fulfillment order (one location): each line item with its `quantity` and the
 * `fulfillable_quantity` still open (official REST fixtures, S-SHOPIFY
 * `rest/admin/__tests__/2024-04/fulfillment_order.test.ts`).
 */
export function renderFulfillmentOrders(order: SimOrder) {
  const left = remainingUnits(order);
  return {
    fulfillment_orders: [
      {
        id: num(fulfillmentOrderId(order)),
        order_id: num(order.id),
        status: fulfillmentOrderStatus(order),
        line_items: order.items.map((i) => ({
          id: num(fulfillmentOrderLineItemId(i.lineId)),
          fulfillment_order_id: num(fulfillmentOrderId(order)),
          line_item_id: num(i.lineId),
          quantity: i.quantity,
          fulfillable_quantity: order.status === 'cancelled' ? 0 : (left.get(i.lineId) ?? 0),
        })),
      },
      // The exchange items' own fulfillment order, once returnProcess released them.
      ...(releasedExchangeItems(order).length
        ? [
            {
              id: num(exchangeFulfillmentOrderId(order)),
              order_id: num(order.id),
              status: order.refund!.exchangeShipment ? 'closed' : 'open',
              line_items: releasedExchangeItems(order).map((e) => ({
                id: num(fulfillmentOrderLineItemId(e.lineItemId)),
                fulfillment_order_id: num(exchangeFulfillmentOrderId(order)),
                line_item_id: num(e.lineItemId),
                quantity: e.processed,
                fulfillable_quantity: order.refund!.exchangeShipment ? 0 : e.processed,
              })),
            },
          ]
        : []),
    ],
  };
}

import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
} from '../../../domain/order.js';
import type { WalmartMoney, WalmartOrder, WalmartOrderLine } from './wire.js';

/**
 * Walmart purchase order (`GET /v3/orders`, MORE-CHANNELS §11) → our order. Pure. The lifecycle
 * (Created → Acknowledged → Shipped → Delivered, Cancelled) is confirmed; field names and the
 * charges are UNCONFIRMED, and the choices are:
 *
 * - Each order line has its statuses (`orderLineStatuses`); the line's status is the latest one.
 *   Every live line Delivered → completed; every live line Shipped/Delivered → shipped; some →
 *   partially_shipped; else (Created, Acknowledged) paid. Every line Cancelled → cancelled; a
 *   cancelled line in a live order is refunded on that line.
 * - Money: `charges.charge[]` with `{currency, amount}` decimals in major units, kept in the order's
 *   currency: chargeType PRODUCT is the line's goods (price × quantity), SHIPPING its shipping,
 *   DISCOUNT (as a positive or negative amount) its discount, `tax.taxAmount` its tax; paid = goods
 *   − discount + shipping + tax of the live lines.
 * - Times are epoch milliseconds; the order's modified time is the latest of `orderDate` and the
 *   lines' `statusDate`.
 * - The receiver is `shippingInfo.postalAddress` in plain text.
 */
export function normalizeWalmartOrder(
  order: WalmartOrder,
  shop: { shopId: string; currency: string },
): NormalizedOrder {
  if (order.orderLines.length === 0)
    throw new RangeError(`walmart order ${order.purchaseOrderId} has no lines`);
  const charges = order.orderLines.flatMap((l) => l.charges);
  const currency = (
    charges.find((c) => c.chargeAmount?.currency)?.chargeAmount?.currency || shop.currency
  ).toUpperCase();
  const minor = (money: WalmartMoney | null | undefined) =>
    money ? Math.abs(amountToMinor(money.amount, currency)) : 0;
  const sumOf = (line: WalmartOrderLine, type: string) =>
    line.charges.filter((c) => c.chargeType === type).reduce((t, c) => t + minor(c.chargeAmount), 0);
  const taxOf = (line: WalmartOrderLine) => line.charges.reduce((t, c) => t + minor(c.tax?.taxAmount), 0);
  const status = orderStatus(order.orderLines);
  const live = order.orderLines.filter((l) => lineStatus(l) !== 'Cancelled');
  const total = (pick: (l: WalmartOrderLine) => number, of = order.orderLines) =>
    of.reduce((t, l) => t + pick(l), 0);
  const tax = total(taxOf);
  const paid =
    total((l) => sumOf(l, 'PRODUCT'), live) -
    total((l) => sumOf(l, 'DISCOUNT'), live) +
    total((l) => sumOf(l, 'SHIPPING'), live) +
    total(taxOf, live);
  const modified = Math.max(
    epoch(order.orderDate),
    ...order.orderLines.map((l) => (l.statusDate != null ? epoch(l.statusDate) : 0)),
  );
  const email = order.customerEmailId;
  return NormalizedOrderSchema.parse({
    platform: 'walmart',
    shopId: shop.shopId,
    platformOrderId: order.purchaseOrderId,
    status,
    refundStatus: 'none',
    type: 'normal',
    createdAt: new Date(epoch(order.orderDate)).toISOString(),
    paidAt: new Date(epoch(order.orderDate)).toISOString(),
    modifiedAt: new Date(modified).toISOString(),
    currency,
    amounts: {
      goodsFen: total((l) => sumOf(l, 'PRODUCT')),
      discountFen: total((l) => sumOf(l, 'DISCOUNT')),
      shippingFen: total((l) => sumOf(l, 'SHIPPING')),
      ...(tax > 0 ? { taxFen: tax } : {}),
      paidFen: status === 'cancelled' ? 0 : paid,
    },
    buyer: {
      id: `walmart-${order.customerOrderId || order.purchaseOrderId}`,
      ...(email ? { nick: email.slice(0, 128) } : {}),
    },
    receiver: walmartReceiver(order),
    lines: order.orderLines.map((line) => {
      const quantity = Math.max(1, Number(line.orderLineQuantity?.amount || 1));
      const cancelled = lineStatus(line) === 'Cancelled' && status !== 'cancelled';
      return {
        lineId: line.lineNumber,
        platformSkuId: line.item?.sku ?? '',
        skuCode: line.item?.sku || `line-${line.lineNumber}`,
        title: (line.item?.productName ?? '').slice(0, 200),
        quantity,
        unitPriceFen: Math.round(sumOf(line, 'PRODUCT') / quantity),
        discountFen: sumOf(line, 'DISCOUNT'),
        ...(taxOf(line) > 0 ? { taxFen: taxOf(line) } : {}),
        ...(cancelled ? { refundStatus: 'refunded' as const } : {}),
      };
    }),
  });
}

/** The line's latest status (Walmart lists them oldest first). */
export function lineStatus(line: WalmartOrderLine): string {
  return line.orderLineStatuses.at(-1)?.status ?? 'Created';
}

function orderStatus(lines: WalmartOrderLine[]): PlatformOrderStatus {
  const live = lines.filter((l) => lineStatus(l) !== 'Cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.every((l) => lineStatus(l) === 'Delivered')) return 'completed';
  const sent = live.filter((l) => ['Shipped', 'Delivered'].includes(lineStatus(l))).length;
  if (sent === live.length) return 'shipped';
  return sent > 0 ? 'partially_shipped' : 'paid';
}

function walmartReceiver(order: WalmartOrder): Receiver {
  const a = order.shippingInfo?.postalAddress;
  if (!a) throw new RangeError(`walmart order ${order.purchaseOrderId} has no shippingInfo.postalAddress`);
  const country = a.country === 'USA' || !a.country ? 'US' : a.country.slice(0, 2).toUpperCase();
  return {
    name: a.name || '-',
    phone: order.shippingInfo?.phone || '-',
    country,
    province: (a.state || a.city || country).slice(0, 50),
    city: a.city.slice(0, 50),
    district: '',
    detail: [a.address1, a.address2].filter(Boolean).join(', ') || '-',
    ...(a.postalCode ? { postalCode: a.postalCode } : {}),
    protected: false,
  };
}

function epoch(value: number | string): number {
  const at = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(at)) throw new RangeError(`walmart time we cannot read: ${value}`);
  return at;
}

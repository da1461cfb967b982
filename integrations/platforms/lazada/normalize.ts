import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import { amountToMinor } from '../../../domain/money.js';
import type { LazadaItem, LazadaOrder } from './wire.js';

/**
 * Lazada order + its items → our order. Pure. Every field below is UNCONFIRMED (§8.3) except the
 * endpoint names; the choices:
 *
 * - Lazada lists one order item per unit sold, each with its own `order_item_id` and `status`;
 *   each becomes a line of quantity 1 (line id = `order_item_id`), so shipping names exactly the
 *   items it sends.
 * - Order status from the item statuses: any `unpaid` → awaiting_payment; every live item
 *   `delivered` → completed; every live item `shipped`/`delivered`/`failed` → shipped; some →
 *   partially_shipped; else (`pending`, `packed`, `ready_to_ship`, …) paid. Live = not `canceled`
 *   and not `returned`; no live item left → cancelled (or completed when one was returned).
 * - A `returned` or (in a live order) `canceled` item is refunded on its line; any returned item
 *   makes the order's refundStatus refunded.
 * - Money: decimal strings in major units (thousands separators dropped), in the items' `currency`
 *   or else the shop's: goods = Σ item_price, discount = Σ voucher_amount, shipping =
 *   `shipping_fee`, paid = Σ paid_price + shipping once paid.
 * - Times `2014-10-11 13:54:11 +0800` (or ISO 8601).
 */
export function normalizeLazadaOrder(
  order: LazadaOrder,
  items: LazadaItem[],
  shop: { shopId: string; country: string; currency: string },
): NormalizedOrder {
  if (items.length === 0) throw new RangeError(`lazada order ${order.order_id} has no items`);
  const currency = (items.find((i) => i.currency)?.currency || shop.currency).toUpperCase();
  const minor = (value: string) => amountToMinor(value, currency);
  const status = orderStatus(items);
  const live = items.filter((i) => !GONE.has(i.status));
  const sum = (pick: (i: LazadaItem) => string, of = items) => of.reduce((t, i) => t + minor(pick(i)), 0);
  const shipping = minor(order.shipping_fee);
  const name = [order.customer_first_name, order.customer_last_name].filter(Boolean).join(' ');
  return NormalizedOrderSchema.parse({
    platform: 'lazada',
    shopId: shop.shopId,
    platformOrderId: order.order_id,
    status,
    refundStatus: items.some((i) => i.status === 'returned') ? 'refunded' : 'none',
    type: 'normal',
    createdAt: lazadaTime(order.created_at),
    ...(status !== 'awaiting_payment' ? { paidAt: lazadaTime(order.created_at) } : {}),
    modifiedAt: lazadaTime(order.updated_at),
    currency,
    amounts: {
      goodsFen: sum((i) => i.item_price),
      discountFen: sum((i) => i.voucher_amount),
      shippingFen: shipping,
      paidFen: status === 'awaiting_payment' ? 0 : sum((i) => i.paid_price, live) + shipping,
    },
    buyer: { id: `lazada-order-${order.order_id}`, ...(name ? { nick: name } : {}) },
    receiver: lazadaReceiver(order, shop.country),
    lines: items.map((item) => {
      const refund = lineRefund(item, status);
      return {
        lineId: item.order_item_id,
        platformSkuId: item.sku_id ?? item.shop_sku,
        skuCode: item.sku || item.shop_sku || item.order_item_id,
        title: [item.name, item.variation].filter(Boolean).join(' '),
        quantity: 1,
        unitPriceFen: minor(item.item_price),
        discountFen: minor(item.voucher_amount),
        ...(refund ? { refundStatus: refund } : {}),
      };
    }),
    ...(order.remarks ? { buyerRemark: order.remarks } : {}),
  });
}

const GONE = new Set(['canceled', 'returned']);
const SENT = new Set(['shipped', 'delivered', 'failed']);

function orderStatus(items: LazadaItem[]): PlatformOrderStatus {
  if (items.some((i) => i.status === 'unpaid')) return 'awaiting_payment';
  const live = items.filter((i) => !GONE.has(i.status));
  if (live.length === 0) return items.some((i) => i.status === 'returned') ? 'completed' : 'cancelled';
  if (live.every((i) => i.status === 'delivered')) return 'completed';
  const sent = live.filter((i) => SENT.has(i.status)).length;
  if (sent === live.length) return 'shipped';
  return sent > 0 ? 'partially_shipped' : 'paid';
}

function lineRefund(item: LazadaItem, status: PlatformOrderStatus): RefundStatus | undefined {
  if (item.status === 'returned') return 'refunded';
  if (item.status === 'canceled' && status !== 'cancelled') return 'refunded';
  return undefined;
}

function lazadaReceiver(order: LazadaOrder, country: string): Receiver {
  const a = order.address_shipping;
  if (!a) throw new RangeError(`lazada order ${order.order_id} has no address_shipping`);
  const name = [a.first_name, a.last_name].filter(Boolean).join(' ');
  const city = a.address4 || a.city;
  return {
    name: name || order.customer_first_name || '-',
    phone: a.phone || a.phone2 || '-',
    country,
    province: a.address3 || city || country,
    city,
    district: a.address5,
    detail: [a.address1, a.address2].filter(Boolean).join(' ') || '-',
    ...(a.post_code ? { postalCode: a.post_code } : {}),
    protected: false,
  };
}

/** `2014-10-11 13:54:11 +0800` → ISO; ISO passes through. */
export function lazadaTime(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-])(\d{2}):?(\d{2})$/.exec(value.trim());
  const iso = m ? `${m[1]}T${m[2]}${m[3]}${m[4]}:${m[5]}` : value.trim();
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new RangeError(`lazada time we cannot read: ${value}`);
  return new Date(at).toISOString();
}

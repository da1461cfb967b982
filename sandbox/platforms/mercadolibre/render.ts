import { stringify } from 'lossless-json';
import { currencyExponent } from '../../../domain/money.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → Mercado Libre order and shipment (MORE-CHANNELS §13). The order follows the official
 * `manage-sales` sample: `id` a bare 16-digit JSON number, `status` `paid`, `order_items[]` with
 * `item {id "MLB…", title, variation_id, variation_attributes}`, `quantity`, `unit_price` and
 * `currency_id`, `total_amount`, `buyer {id, nickname}`; times with a `-03:00` offset. The rest
 * (`date_last_updated`, `coupon`, `shipping_cost`, `taxes`, `shipping.id`, the shipment) is
 * UNCONFIRMED.
 */
const num = (id: string): bigint | string => (/^\d+$/.test(id) ? BigInt(id) : id);

function major(minor: number, currency: string): number {
  const digits = currencyExponent(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** Brazil's time, as Mercado Libre Brasil writes it. */
function localTime(at: Date): string {
  return `${new Date(at.getTime() - 3 * 3_600_000).toISOString().slice(0, 23)}-03:00`;
}

export const meliItemId = (platformSkuId: string) => `MLB${platformSkuId}`;
/** The order's shipment id (the simulator's own numbering). */
export const meliShipmentId = (order: SimOrder) => `4${order.id.slice(-10)}`;

function shipmentStatus(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'pending';
    case 'cancelled':
      return 'cancelled';
    case 'completed':
      return 'delivered';
    case 'shipped':
      return 'shipped';
    default:
      return 'ready_to_ship';
  }
}

function orderStatus(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
      return 'payment_required';
    case 'deposit_paid':
      return 'payment_in_process';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'paid';
  }
}

export function meliOrderBody(order: SimOrder) {
  const c = order.currency;
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const discount = order.items.reduce((t, i) => t + i.discountMinor, 0) + order.discountMinor;
  const tax = order.items.reduce((t, i) => t + (i.taxMinor ?? 0), 0);
  const paid = ['paid', 'shipped', 'completed'].includes(order.status);
  const [first, ...rest] = order.buyer.nick.split(' ');
  return {
    id: num(order.id),
    status: orderStatus(order),
    status_detail: null,
    date_created: localTime(order.createdAt),
    date_closed: order.paidAt ? localTime(order.paidAt) : null,
    date_last_updated: localTime(order.modifiedAt),
    order_items: order.items.map((i) => ({
      item: {
        id: meliItemId(i.platformSkuId),
        title: `${i.title} ${i.spec}`.trim(),
        variation_id: null,
        variation_attributes: [],
        seller_sku: i.skuCode,
      },
      quantity: i.quantity,
      unit_price: major(i.unitPriceMinor, c),
      full_unit_price: major(i.unitPriceMinor, c),
      currency_id: c,
    })),
    total_amount: major(goods, c),
    paid_amount: paid ? major(goods - discount + order.shippingMinor + tax, c) : 0,
    shipping_cost: major(order.shippingMinor, c),
    ...(discount > 0 ? { coupon: { id: `CPN${order.id.slice(-6)}`, amount: major(discount, c) } } : {}),
    ...(tax > 0 ? { taxes: { amount: major(tax, c), currency_id: c } } : {}),
    currency_id: c,
    buyer: {
      id: num(order.buyer.id.replace(/\D/g, '') || '1'),
      nickname: order.buyer.nick.toUpperCase().replace(/\s+/g, ''),
      first_name: first,
      last_name: rest.join(' '),
    },
    seller: { id: num(order.shopKey) },
    shipping: { id: num(meliShipmentId(order)) },
    pack_id: null,
    tags: [...(paid ? ['paid'] : []), ...(order.status === 'completed' ? ['delivered'] : ['not_delivered'])],
  };
}

export function renderMeliOrder(order: SimOrder): string {
  return stringify(meliOrderBody(order))!;
}

export function renderMeliShipment(order: SimOrder, mode: 'custom' | 'me2' = 'custom'): string {
  const r = order.receiver;
  return stringify({
    id: num(meliShipmentId(order)),
    order_id: num(order.id),
    mode,
    status: shipmentStatus(order),
    tracking_number: order.shipment?.trackingNumber ?? null,
    tracking_method: order.shipment?.carrierCode ?? null,
    receiver_address: {
      receiver_name: r.name,
      receiver_phone: r.phone,
      address_line: r.detail,
      zip_code: r.postalCode ?? '',
      city: { name: r.city },
      state: { id: `${r.country}-${r.province}`, name: r.province },
      country: { id: r.country },
    },
  })!;
}

/** An `orders_v2` notification, posted to the callback URL registered with its secret. */
export function renderMeliNotification(
  app: { appId: string; callbackSecret: string },
  order: SimOrder,
): { headers: Record<string, string>; body: string; query: string } {
  const at = new Date().toISOString();
  return {
    headers: { 'content-type': 'application/json' },
    body: stringify({
      resource: `/orders/${order.id}`,
      user_id: num(order.shopKey),
      topic: 'orders_v2',
      application_id: num(app.appId),
      attempts: 1,
      sent: at,
      received: at,
    })!,
    query: new URLSearchParams({ secret: app.callbackSecret }).toString(),
  };
}

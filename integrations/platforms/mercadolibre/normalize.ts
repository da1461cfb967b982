import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
} from '../../../domain/order.js';
import type { MeliOrder, MeliShipment } from './wire.js';

/** A line's id: the listing, with its variation when it has one (Mercado Libre lines have no id). */
export const meliLineId = (line: MeliOrder['order_items'][number]) =>
  line.item.variation_id ? `${line.item.id}-${line.item.variation_id}` : line.item.id;

/**
 * Mercado Libre order (+ its shipment) → our order (MORE-CHANNELS §13). Pure.
 *
 * - Ids: `id` is a 16-digit JSON number read losslessly and kept as its digits.
 * - Status (`status` confirmed as `paid` in the sample; the other values UNCONFIRMED):
 *   `payment_required`, `payment_in_process`, `partially_paid`, `confirmed` → awaiting_payment;
 *   `cancelled`, `invalid` → cancelled; `paid` → by the shipment: `shipped` → shipped,
 *   `delivered` (or the order tag `delivered`) → completed, else paid.
 * - Money: JSON numbers in major units in `currency_id` (confirmed), kept in that currency: goods =
 *   Σ `unit_price` × `quantity`, discount = `coupon.amount`, shipping = `shipping_cost`, tax =
 *   `taxes.amount`, paid = `paid_amount` (else `total_amount`) once paid (UNCONFIRMED fields).
 * - The receiver is the shipment's `receiver_address` in plain text; an order without a shipment
 *   (delivery agreed with the buyer) has the buyer's name only.
 */
export function normalizeMeliOrder(
  order: MeliOrder,
  shipment: MeliShipment | undefined,
  shop: { shopId: string; country: string },
): NormalizedOrder {
  const currency = order.currency_id.toUpperCase();
  const minor = (value: string) => Math.abs(amountToMinor(value, currency));
  const status = orderStatus(order, shipment);
  const goods = order.order_items.reduce((t, l) => t + minor(l.unit_price) * l.quantity, 0);
  const tax = minor(order.taxes?.amount ?? '0');
  const created = isoTime(order.date_created);
  const name = [order.buyer.first_name, order.buyer.last_name].filter(Boolean).join(' ');
  return NormalizedOrderSchema.parse({
    platform: 'mercadolibre',
    shopId: shop.shopId,
    platformOrderId: order.id,
    status,
    refundStatus: 'none',
    type: 'normal',
    createdAt: created,
    ...(status !== 'awaiting_payment' && status !== 'cancelled'
      ? { paidAt: isoTime(order.date_closed || order.date_created) }
      : {}),
    modifiedAt: isoTime(order.date_last_updated || order.date_closed || order.date_created),
    currency,
    amounts: {
      goodsFen: goods,
      discountFen: minor(order.coupon?.amount ?? '0'),
      shippingFen: minor(order.shipping_cost),
      ...(tax > 0 ? { taxFen: tax } : {}),
      paidFen:
        status === 'awaiting_payment' || status === 'cancelled'
          ? 0
          : minor(order.paid_amount !== '0' ? order.paid_amount : order.total_amount),
    },
    buyer: { id: `meli-${order.buyer.id}`, ...(order.buyer.nickname ? { nick: order.buyer.nickname } : {}) },
    receiver: meliReceiver(shipment, name || order.buyer.nickname, shop.country),
    lines: order.order_items.map((line) => ({
      lineId: meliLineId(line),
      platformSkuId: line.item.variation_id ?? line.item.id,
      skuCode: line.item.seller_sku || line.item.seller_custom_field || line.item.id,
      title: line.item.title.slice(0, 200),
      quantity: line.quantity,
      unitPriceFen: minor(line.unit_price),
      discountFen: 0,
    })),
    ...(order.buyer_message ? { buyerRemark: order.buyer_message.slice(0, 1000) } : {}),
  });
}

function orderStatus(order: MeliOrder, shipment: MeliShipment | undefined): PlatformOrderStatus {
  switch (order.status) {
    case 'cancelled':
    case 'invalid':
      return 'cancelled';
    case 'paid':
      if (order.tags.includes('delivered') || shipment?.status === 'delivered') return 'completed';
      return shipment?.status === 'shipped' ? 'shipped' : 'paid';
    default:
      return 'awaiting_payment';
  }
}

function meliReceiver(shipment: MeliShipment | undefined, buyer: string, country: string): Receiver {
  const a = shipment?.receiver_address;
  if (!a) {
    return {
      name: buyer || '-',
      phone: '-',
      country,
      province: country,
      city: '',
      district: '',
      detail: '-',
      protected: false,
    };
  }
  return {
    name: a.receiver_name || buyer || '-',
    phone: a.receiver_phone || '-',
    country: (a.country?.id || country).slice(0, 2).toUpperCase(),
    province: (a.state?.name || a.city?.name || country).slice(0, 50),
    city: (a.city?.name ?? '').slice(0, 50),
    district: '',
    detail: a.address_line || '-',
    ...(a.zip_code ? { postalCode: a.zip_code } : {}),
    protected: false,
  };
}

function isoTime(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`mercadolibre time we cannot read: ${value}`);
  return new Date(at).toISOString();
}

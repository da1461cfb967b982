import { currencyExponent } from '../../../domain/money.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → Lazada `/orders/get` order and `/order/items/get` items (MORE-CHANNELS §8.3, field
 * names UNCONFIRMED): `order_id` a bare 15–16-digit JSON number, one order item per unit sold
 * (`order_item_id` = line id × 100 + unit), money as decimal strings in major units with
 * thousands separators on the order's `price`, times `YYYY-MM-DD HH:mm:ss +0800`.
 */
export function bare(id: string): bigint | string {
  return /^\d+$/.test(id) ? BigInt(id) : id;
}

const COUNTRY_NAMES: Record<string, string> = {
  SG: 'Singapore',
  MY: 'Malaysia',
  TH: 'Thailand',
  VN: 'Vietnam',
  PH: 'Philippines',
  ID: 'Indonesia',
};

/** The seller's own order-item ids: each unit of a line has its own. */
export function unitIds(order: SimOrder): Array<{ unitId: string; line: number; unit: number }> {
  return order.items.flatMap((item, line) =>
    Array.from({ length: item.quantity }, (_, unit) => ({
      unitId: String(BigInt(item.lineId) * 100n + BigInt(unit)),
      line,
      unit,
    })),
  );
}

function money(minor: number, currency: string, grouped = false): string {
  const digits = currencyExponent(currency);
  const whole = String(Math.floor(minor / 10 ** digits));
  const frac = digits ? `.${String(minor % 10 ** digits).padStart(digits, '0')}` : '';
  return `${grouped ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole}${frac}`;
}

export function lazadaTimeOf(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} +0800`;
}

function unitStatus(order: SimOrder, unitId: string, line: number): string {
  const refunded = order.refund?.status === 'refunded';
  if (refunded && (!order.refund!.lineIds || order.refund!.lineIds.includes(order.items[line]!.lineId)))
    return 'returned';
  const shipped = [order.shipment, ...(order.extraShipments ?? [])].some((s) => s?.lineIds?.includes(unitId));
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'unpaid';
    case 'cancelled':
      return 'canceled';
    case 'completed':
      return 'delivered';
    case 'shipped':
      return 'shipped';
    case 'paid':
      return shipped ? 'shipped' : 'pending';
  }
}

export function renderLazadaItems(order: SimOrder, packed: ReadonlySet<string> = new Set()) {
  const shipments = [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);
  return unitIds(order).map(({ unitId, line, unit }) => {
    const item = order.items[line]!;
    // The line's discount spread over its units (the remainder on the first); the order's own
    // discount on the order's first unit.
    const share = Math.floor(item.discountMinor / item.quantity);
    const voucher =
      share +
      (unit === 0 ? item.discountMinor - share * item.quantity : 0) +
      (line === 0 && unit === 0 ? order.discountMinor : 0);
    let status = unitStatus(order, unitId, line);
    if (status === 'pending' && packed.has(unitId)) status = 'packed';
    const shipment =
      shipments.find((s) => s.lineIds?.includes(unitId)) ??
      (status === 'shipped' ? order.shipment : undefined);
    return {
      order_item_id: bare(unitId),
      order_id: bare(order.id),
      name: item.title,
      variation: item.spec,
      sku: item.skuCode,
      shop_sku: `${item.platformSkuId}_${order.receiver.country}-${item.platformSkuId}`,
      sku_id: bare(item.platformSkuId),
      item_price: money(item.unitPriceMinor, order.currency),
      paid_price: money(Math.max(0, item.unitPriceMinor - voucher), order.currency),
      voucher_amount: money(voucher, order.currency),
      status,
      tracking_code: shipment?.trackingNumber ?? '',
      shipment_provider: shipment?.carrierCode ?? '',
      currency: order.currency,
      created_at: lazadaTimeOf(order.createdAt),
      updated_at: lazadaTimeOf(order.modifiedAt),
    };
  });
}

export function renderLazadaOrder(order: SimOrder, packed: ReadonlySet<string> = new Set()) {
  const items = renderLazadaItems(order, packed);
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const vouchers = order.items.reduce((t, i) => t + i.discountMinor, 0) + order.discountMinor;
  const r = order.receiver;
  return {
    order_id: bare(order.id),
    order_number: bare(order.id),
    created_at: lazadaTimeOf(order.createdAt),
    updated_at: lazadaTimeOf(order.modifiedAt),
    price: money(goods, order.currency, true),
    items_count: items.length,
    payment_method: 'COD',
    voucher: money(vouchers, order.currency),
    shipping_fee: money(order.shippingMinor, order.currency),
    statuses: [...new Set(items.map((i) => i.status))],
    customer_first_name: order.buyer.nick,
    customer_last_name: '',
    remarks: order.buyerRemark ?? '',
    address_shipping: {
      first_name: r.name,
      last_name: '',
      phone: r.phone,
      phone2: '',
      address1: r.detail,
      address2: '',
      address3: r.province,
      address4: r.city,
      address5: r.district,
      city: r.city,
      post_code: r.postalCode ?? '',
      country: COUNTRY_NAMES[r.country] ?? r.country,
    },
  };
}

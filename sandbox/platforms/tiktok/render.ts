import { currencyExponent } from '../../../domain/money.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a TikTok Shop 202309 order (MORE-CHANNELS §7.3; field names from copies of the doc
 * example): ids as strings (18 digits, past 2^53), one `line_items` entry per unit sold (its id =
 * the line id followed by the unit's digit), money as decimal strings in major units, times in
 * epoch seconds, the receiver's phone masked.
 */
const seconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);

const COUNTRY_NAMES: Record<string, string> = {
  MY: 'Malaysia',
  SG: 'Singapore',
  TH: 'Thailand',
  VN: 'Vietnam',
  PH: 'Philippines',
  ID: 'Indonesia',
  US: 'United States',
  GB: 'United Kingdom',
};

/** Each unit of a line is its own line item. */
export function tiktokUnits(order: SimOrder): Array<{ unitId: string; line: number; unit: number }> {
  return order.items.flatMap((item, line) =>
    Array.from({ length: item.quantity }, (_, unit) => ({ unitId: `${item.lineId}${unit}`, line, unit })),
  );
}

export function tiktokMoney(minor: number, currency: string): string {
  const digits = currencyExponent(currency);
  const whole = String(Math.floor(minor / 10 ** digits));
  return digits ? `${whole}.${String(minor % 10 ** digits).padStart(digits, '0')}` : whole;
}

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

export function tiktokShippedUnits(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? []));
}

function refundedLine(order: SimOrder, line: number): boolean {
  const refund = order.refund;
  return (
    refund?.status === 'refunded' &&
    order.status !== 'cancelled' &&
    (!refund.lineIds || refund.lineIds.includes(order.items[line]!.lineId))
  );
}

export function tiktokStatus(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'UNPAID';
    case 'cancelled':
      return 'CANCELLED';
    case 'completed':
      return 'COMPLETED';
    case 'shipped':
      return 'IN_TRANSIT';
    case 'paid': {
      const sent = tiktokShippedUnits(order);
      return [...sent].length > 0 ? 'PARTIALLY_SHIPPING' : 'AWAITING_SHIPMENT';
    }
  }
}

/** A package id (18 digits) per parcel, derived from its tracking number. */
export const tiktokPackageId = (tracking: string) =>
  `11${tracking.replace(/\D/g, '').padStart(16, '0').slice(-16)}`;

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4 ? '****' : `${digits.slice(0, 2)}*****${digits.slice(-2)}`;
}

export function renderTiktokOrder(order: SimOrder) {
  const status = tiktokStatus(order);
  const sent = tiktokShippedUnits(order);
  const shipments = shipmentsOf(order);
  const money = (minor: number) => tiktokMoney(minor, order.currency);
  let itemDiscounts = 0;
  const lineItems = tiktokUnits(order).map(({ unitId, line, unit }) => {
    const item = order.items[line]!;
    // The line's discount spread over its units (the remainder on the first); the order's own
    // discount on the order's first unit.
    const share = Math.floor(item.discountMinor / item.quantity);
    const discount =
      share +
      (unit === 0 ? item.discountMinor - share * item.quantity : 0) +
      (line === 0 && unit === 0 ? order.discountMinor : 0);
    itemDiscounts += discount;
    const shipment = shipments.find((s) => s.lineIds?.includes(unitId));
    const cancelled = refundedLine(order, line) || order.status === 'cancelled';
    const displayStatus = cancelled ? 'CANCELLED' : sent.has(unitId) ? 'IN_TRANSIT' : status;
    return {
      id: unitId,
      sku_id: item.platformSkuId,
      product_id: `18${item.platformSkuId.slice(2)}`,
      seller_sku: item.skuCode,
      sku_name: item.spec,
      product_name: item.title,
      currency: order.currency,
      original_price: money(item.unitPriceMinor),
      sale_price: money(Math.max(0, item.unitPriceMinor - discount)),
      seller_discount: money(discount),
      platform_discount: money(0),
      display_status: displayStatus,
      package_id: shipment ? tiktokPackageId(shipment.trackingNumber) : '',
      tracking_number: shipment?.trackingNumber ?? '',
      shipping_provider_id: shipment?.carrierCode ?? '',
      shipping_provider_name: shipment?.carrierCode ?? '',
      cancel_reason: cancelled ? 'Buyer requested' : '',
      is_gift: false,
    };
  });
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const total = goods - itemDiscounts + order.shippingMinor;
  const r = order.receiver;
  return {
    id: order.id,
    status,
    create_time: seconds(order.createdAt),
    update_time: seconds(order.modifiedAt),
    paid_time: seconds(order.paidAt),
    shipping_due_time: order.paidAt ? seconds(order.paidAt) + 3 * 86_400 : 0,
    payment: {
      currency: order.currency,
      original_total_product_price: money(goods),
      sub_total: money(goods - itemDiscounts),
      shipping_fee: money(order.shippingMinor),
      original_shipping_fee: money(order.shippingMinor),
      seller_discount: money(itemDiscounts),
      platform_discount: money(0),
      tax: money(0),
      total_amount: money(status === 'UNPAID' ? total : order.paidMinor || total),
    },
    recipient_address: {
      name: r.name,
      phone_number: maskPhone(r.phone),
      address_detail: r.detail,
      address_line1: r.detail,
      address_line2: '',
      full_address: [r.detail, r.district, r.city, r.province, COUNTRY_NAMES[r.country] ?? r.country]
        .filter(Boolean)
        .join(', '),
      postal_code: r.postalCode ?? '',
      region_code: r.country,
      district_info: [
        {
          address_level: 'L0',
          address_level_name: 'Country',
          address_name: COUNTRY_NAMES[r.country] ?? r.country,
        },
        { address_level: 'L1', address_level_name: 'State', address_name: r.province },
        { address_level: 'L2', address_level_name: 'City', address_name: r.city },
        ...(r.district
          ? [{ address_level: 'L3', address_level_name: 'District', address_name: r.district }]
          : []),
      ],
    },
    line_items: lineItems,
    buyer_message: order.buyerRemark ?? '',
    seller_note: order.sellerMemo ?? '',
    user_id: `7${Buffer.from(order.buyer.id).toString('hex').replace(/\D/g, '').padEnd(18, '0').slice(0, 18)}`,
    fulfillment_type: 'FULFILLMENT_BY_SELLER',
    shipping_type: 'SELLER',
    tracking_number: shipments[0]?.trackingNumber ?? '',
    shipping_provider_id: shipments[0]?.carrierCode ?? '',
    is_on_hold_order: false,
    is_cod: false,
    is_sample_order: false,
    cancel_reason: order.status === 'cancelled' ? 'Buyer requested' : '',
    packages: shipments.map((s) => ({ id: tiktokPackageId(s.trackingNumber) })),
  };
}

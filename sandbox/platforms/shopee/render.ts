import type { SimOrder, SimRefund } from '../../orders/model.js';

/** SimOrder → Shopee v2 wire objects (prices as floats in the order's currency, receivers masked). */
const sec = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : null);
const ZERO_DECIMAL = new Set(['JPY', 'VND', 'KRW', 'IDR']);

export function major(minor: number, currency: string): number {
  return ZERO_DECIMAL.has(currency) ? minor : Number((minor / 100).toFixed(2));
}

/** A float amount in the currency's minor unit (the inverse of `major`). */
export function minorOf(amount: number, currency: string): number {
  return ZERO_DECIMAL.has(currency) ? Math.round(amount) : Math.round(amount * 100);
}

export function shopeeOrderStatus(order: SimOrder): string {
  const openRefund = order.refund && !['refunded', 'closed', 'refused'].includes(order.refund.status);
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'UNPAID';
    case 'paid':
      return openRefund ? 'IN_CANCEL' : allArranged(order) ? 'PROCESSED' : 'READY_TO_SHIP';
    case 'shipped':
      return openRefund ? 'TO_RETURN' : deliveredByShopee(order) ? 'TO_CONFIRM_RECEIVE' : 'SHIPPED';
    case 'completed':
      return 'COMPLETED';
    case 'cancelled':
      return 'CANCELLED';
  }
}

/** Every package arranged with Shopee's logistics (or gone): the order shows PROCESSED. */
function allArranged(order: SimOrder): boolean {
  const arranged = order.shopeeArranged ?? {};
  if (Object.keys(arranged).length === 0) return false;
  return order.packages
    ? order.packages.every((p) => p.shipment || arranged[p.number])
    : !!arranged[`OFG${order.id}`];
}

/** Every package delivered by Shopee's logistics: the buyer has it and has not confirmed yet. */
export function deliveredByShopee(order: SimOrder): boolean {
  const arranged = order.shopeeArranged ?? {};
  const keys = order.packages ? order.packages.map((p) => p.number) : [`OFG${order.id}`];
  return keys.every((k) => !!arranged[k]?.deliveredAt);
}

function packageStatus(order: SimOrder, packageNumber: string, shipped: boolean): string {
  if (order.shopeeArranged?.[packageNumber]?.deliveredAt) return 'LOGISTICS_DELIVERY_DONE';
  if (shipped) return 'LOGISTICS_PICKUP_DONE';
  return order.shopeeArranged?.[packageNumber] ? 'LOGISTICS_REQUEST_CREATED' : 'LOGISTICS_READY';
}

/** Shopee shows only the first and last character of a name and the last two digits of a phone. */
function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}****${chars[chars.length - 1]}`;
}

export function itemId(lineId: string): bigint | string {
  return /^\d+$/.test(lineId) ? BigInt(lineId) : lineId;
}

/**
 * Who carries a shop's orders. `shopee`: Shopee's own logistics (SPX, SLS), which reaches the buyer
 * itself and shows the seller only a masked receiver. `seller`: the seller's own carrier on a
 * non-integrated channel ("Other Logistics"), which must be told the full address to deliver, and
 * whose tracking number the seller reports with `ship_order` `non_integrated`.
 */
export type ShopeeLogistics = 'shopee' | 'seller';

/**
 * The order as `get_order_detail` shows it. Like Shopee, it itemises only per-unit prices:
 * order-level vouchers (the shop's or Shopee's) are visible only as `total_amount`, what the buyer
 * pays after them, shipping included.
 */
export function renderShopeeOrder(order: SimOrder, logistics: ShopeeLogistics = 'shopee') {
  const cur = order.currency;
  const goods = order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity - i.discountMinor, 0);
  // What the buyer paid once paid (a short payment shows), what is owed before.
  const total = order.paidAt ? order.paidMinor : goods - order.discountMinor + order.shippingMinor;
  // Arranged with Shopee's logistics (ship_order pickup / dropoff): Shopee's carrier carries it.
  const carrier = logistics === 'shopee' || order.shopeeArranged ? 'Shopee Xpress' : 'Other Logistics';
  const r = order.receiver;
  return {
    order_sn: order.id,
    region: r.country,
    currency: cur,
    cod: false,
    order_status: shopeeOrderStatus(order),
    total_amount: major(total, cur),
    create_time: sec(order.createdAt),
    update_time: sec(order.modifiedAt),
    pay_time: sec(order.paidAt),
    days_to_ship: 2,
    ship_by_date: order.paidAt ? sec(order.paidAt)! + 2 * 86_400 : null,
    buyer_user_id: itemId(order.buyer.id),
    buyer_username: order.buyer.nick,
    message_to_seller: order.buyerRemark ?? '',
    note: order.sellerMemo ?? '',
    note_update_time: 0,
    shipping_carrier: carrier,
    payment_method: 'Online Payment',
    estimated_shipping_fee: major(order.shippingMinor, cur),
    actual_shipping_fee: 0,
    recipient_address: {
      name: logistics === 'shopee' ? maskName(r.name) : r.name,
      phone: logistics === 'shopee' ? `******${r.phone.slice(-2)}` : r.phone,
      town: r.town ?? '',
      district: r.district,
      city: r.city,
      state: r.province,
      region: r.country,
      zipcode: r.postalCode ?? '',
      full_address:
        logistics === 'shopee'
          ? '****'
          : [r.detail, r.town, r.district, r.city, r.province, r.postalCode].filter(Boolean).join(', '),
    },
    item_list: order.items.map((item) => ({
      item_id: itemId(item.lineId),
      item_name: item.title,
      item_sku: '',
      model_id: itemId(item.platformSkuId),
      model_name: item.spec,
      model_sku: item.skuCode,
      model_quantity_purchased: item.quantity,
      model_original_price: major(item.unitPriceMinor, cur),
      // A per-unit price: a line discount that does not divide by the quantity leaves its
      // remainder to the order's vouchers, which only `total_amount` shows.
      model_discounted_price: major(
        item.unitPriceMinor - Math.floor(item.discountMinor / item.quantity),
        cur,
      ),
      order_item_id: itemId(item.lineId),
    })),
    package_list: order.packages
      ? order.packages.map((p) => ({
          package_number: p.number,
          logistics_status: packageStatus(order, p.number, !!p.shipment),
          shipping_carrier: carrier,
          item_list: order.items
            .filter((item) => p.lineIds.includes(item.lineId))
            .map((item) => ({
              item_id: itemId(item.lineId),
              model_id: itemId(item.platformSkuId),
              order_item_id: itemId(item.lineId),
            })),
        }))
      : [
          {
            package_number: `OFG${order.id}`,
            logistics_status: packageStatus(order, `OFG${order.id}`, !!order.shipment),
            shipping_carrier: carrier,
            item_list: [],
          },
        ],
  };
}

/**
 * `payment.get_escrow_detail`'s `order_income`: the order's vouchers (the shop's, plus the part of
 * line discounts the per-unit prices cannot show), shipping the buyer paid, and what the buyer paid.
 */
export function renderShopeeEscrow(order: SimOrder) {
  const cur = order.currency;
  const original = order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0);
  const perUnit = order.items.reduce((s, i) => s + Math.floor(i.discountMinor / i.quantity) * i.quantity, 0);
  const remainder = order.items.reduce((s, i) => s + i.discountMinor, 0) - perUnit;
  return {
    order_sn: order.id,
    buyer_user_name: order.buyer.nick,
    order_income: {
      buyer_total_amount: major(order.paidMinor, cur),
      original_price: major(original, cur),
      seller_discount: major(perUnit, cur),
      shopee_discount: 0,
      voucher_from_seller: major(order.discountMinor + remainder, cur),
      voucher_from_shopee: 0,
      coins: 0,
      payment_promotion: 0,
      buyer_paid_shipping_fee: major(order.shippingMinor, cur),
      buyer_transaction_fee: 0,
      cross_border_tax: 0,
    },
  };
}

const RETURN_STATUS: Record<SimRefund['status'], string> = {
  requested: 'REQUESTED',
  agreed: 'ACCEPTED',
  returning: 'PROCESSING',
  refunded: 'REFUND_PAID',
  refused: 'SELLER_DISPUTE',
  closed: 'CLOSED',
};

export function renderShopeeReturn(order: SimOrder, refund: SimRefund) {
  return {
    return_sn: refund.id,
    order_sn: order.id,
    status: RETURN_STATUS[refund.status],
    reason: 'OTHERS',
    text_reason: refund.reason,
    refund_amount: major(refund.amountMinor, order.currency),
    currency: order.currency,
    amount_before_discount: major(refund.amountMinor, order.currency),
    create_time: sec(refund.createdAt),
    update_time: sec(refund.modifiedAt),
    due_date: sec(refund.createdAt)! + 3 * 86_400,
    // The seller's window to answer a request, the buyer's to send the goods back once accepted.
    return_seller_due_date: sec(refund.sellerDeadline) ?? sec(refund.createdAt)! + 3 * 86_400,
    return_ship_due_date: sec(refund.modifiedAt)! + 7 * 86_400,
    // The buyer's parcel back, once sent (the simulator's returns go back with Shopee's logistics).
    tracking_number: refund.buyerReturn?.trackingNo ?? '',
    needs_logistics: refund.kind === 'return_and_refund',
    // The goods come back to the seller, who validates them (not a warehouse of Shopee's).
    validation_type: 'seller_validation',
    user: { username: order.buyer.nick, email: '', portrait: '' },
    ...(refund.offer
      ? {
          negotiation: {
            negotiation_status: refund.offer.accepted ? 'TERMINATED' : 'PENDING_RESPOND',
            latest_solution: refund.offer.solution,
            latest_offer_amount: major(refund.offer.amountMinor, order.currency),
            latest_offer_creator: refund.offer.by === 'buyer' ? order.buyer.nick : `${order.shopKey}_seller`,
            counter_limit: 1,
            offer_due_date: sec(refund.offer.at)! + 2 * 86_400,
          },
        }
      : {}),
    item: order.items
      .filter((i) => !refund.lineIds || refund.lineIds.includes(i.lineId))
      .map((i) => ({
        item_id: itemId(i.lineId),
        model_id: itemId(i.platformSkuId),
        name: i.title,
      })),
  };
}

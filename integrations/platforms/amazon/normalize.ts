import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderLine,
  type PlatformOrderStatus,
  type Receiver,
} from '../../../domain/order.js';
import type { RefundInfo } from '../types.js';
import type { AmazonAddress, AmazonOrder, AmazonOrderItem, AmazonRefundEvent } from './wire.js';

/**
 * Amazon order + its items → our order. Pure.
 *
 * | OrderStatus         | ours             | meaning                                             |
 * |---------------------|------------------|-----------------------------------------------------|
 * | PendingAvailability | awaiting_payment | pre-order not yet authorised (release date ahead)   |
 * | Pending             | awaiting_payment | placed, payment not authorised                      |
 * | Unshipped           | paid             | authorised, nothing shipped                         |
 * | PartiallyShipped    | partially_shipped|                                                     |
 * | Shipped             | shipped          | Amazon has no later state for merchant orders       |
 * | InvoiceUnconfirmed  | shipped          | shipped, invoice not confirmed                      |
 * | Canceled            | cancelled        |                                                     |
 * | Unfulfillable       | cancelled        | multi-channel fulfilment could not ship it          |
 * Refunds are not on orders (they come from Finances), so refundStatus is always `none` here.
 * OrderType Preorder (and PendingAvailability) → presale; everything else → normal.
 *
 * Money: `Amount` strings in the order's currency → its minor unit. `ItemPrice` is the line total
 * (price × quantity); the unit price is rounded up to a whole minor unit and the rounding goes
 * into the line discount, so price × qty − discount is exactly what Amazon charged. Goods = Σ unit
 * × qty, discount = Σ rounding + PromotionDiscount + ShippingDiscount, shipping = Σ
 * ShippingPrice, tax = Σ ItemTax (each line keeps its own), paid = OrderTotal once authorised.
 * Where Amazon adds tax on top (US marketplace-facilitator tax), OrderTotal includes it.
 *
 * Receivers: without a Restricted Data Token Amazon sends only city, region, postal code and
 * country; the missing name, street and phone become `***` with `protected: true`, and
 * `decryptReceiver` fetches the full address with an RDT.
 */
export function normalizeAmazonOrder(
  order: AmazonOrder,
  items: AmazonOrderItem[],
  shopId: string,
): NormalizedOrder {
  const currency = (
    order.OrderTotal?.CurrencyCode ??
    items.find((i) => i.ItemPrice)?.ItemPrice?.CurrencyCode ??
    currencyOfMarketplace(order.MarketplaceId)
  ).toUpperCase();
  const minor = (money: { Amount: string } | null | undefined) =>
    money ? amountToMinor(money.Amount, currency) : 0;
  const status = amazonStatus(order.OrderStatus);
  const lines = items.filter((i) => i.QuantityOrdered > 0).map((i) => line(i, minor));
  const goodsFen = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
  const shippingFen = items.reduce((s, i) => s + minor(i.ShippingPrice), 0);
  const discountFen =
    lines.reduce((s, l) => s + l.discountFen, 0) + items.reduce((s, i) => s + minor(i.ShippingDiscount), 0);
  const taxFen = items.reduce((s, i) => s + minor(i.ItemTax), 0);
  const presale = order.OrderType === 'Preorder' || order.OrderStatus === 'PendingAvailability';
  return NormalizedOrderSchema.parse({
    platform: 'amazon',
    shopId,
    platformOrderId: order.AmazonOrderId,
    status,
    refundStatus: 'none',
    type: presale ? 'presale' : 'normal',
    createdAt: iso(order.PurchaseDate),
    ...(status !== 'awaiting_payment' && status !== 'cancelled' ? { paidAt: iso(order.PurchaseDate) } : {}),
    modifiedAt: iso(order.LastUpdateDate),
    currency,
    amounts: {
      goodsFen,
      discountFen,
      shippingFen,
      taxFen,
      paidFen: status === 'awaiting_payment' || status === 'cancelled' ? 0 : minor(order.OrderTotal),
    },
    buyer: { id: order.BuyerInfo?.BuyerEmail || `amazon-order-${order.AmazonOrderId}` },
    receiver: amazonReceiver(order.ShippingAddress, order.MarketplaceId),
    lines,
    ...(order.LatestShipDate ? { shipBy: iso(order.LatestShipDate) } : {}),
  });
}

export function amazonStatus(status: string): PlatformOrderStatus {
  switch (status) {
    case 'PendingAvailability':
    case 'Pending':
      return 'awaiting_payment';
    case 'Unshipped':
      return 'paid';
    case 'PartiallyShipped':
      return 'partially_shipped';
    case 'Shipped':
    case 'InvoiceUnconfirmed':
      return 'shipped';
    case 'Canceled':
    case 'Unfulfillable':
      return 'cancelled';
    default:
      throw new RangeError(`unknown Amazon OrderStatus ${status}`);
  }
}

const HIDDEN = '***';

export function amazonReceiver(address: AmazonAddress | null | undefined, marketplaceId: string): Receiver {
  const country = (address?.CountryCode || countryOfMarketplace(marketplaceId)).toUpperCase();
  const street = [address?.AddressLine1, address?.AddressLine2, address?.AddressLine3]
    .filter(Boolean)
    .join(', ');
  const name = address?.Name || HIDDEN;
  const phone = address?.Phone || HIDDEN;
  const detail = street || HIDDEN;
  return {
    name,
    phone,
    country,
    province: address?.StateOrRegion || address?.City || country,
    city: address?.City ?? '',
    district: address?.District || address?.County || '',
    detail,
    ...(address?.PostalCode ? { postalCode: address.PostalCode } : {}),
    protected: name === HIDDEN || detail === HIDDEN,
  };
}

function line(item: AmazonOrderItem, minor: (m: { Amount: string } | null | undefined) => number): OrderLine {
  const quantity = item.QuantityOrdered;
  const total = minor(item.ItemPrice);
  const unit = Math.ceil(total / quantity);
  return {
    lineId: item.OrderItemId,
    platformSkuId: item.ASIN,
    skuCode: item.SellerSKU || item.ASIN,
    title: item.Title,
    quantity,
    unitPriceFen: unit,
    discountFen: unit * quantity - total + minor(item.PromotionDiscount),
    taxFen: minor(item.ItemTax),
  };
}

/** Amazon dates are ISO 8601 with a Z; re-serialised so every platform's dates look alike. */
function iso(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`not an ISO date: ${value}`);
  return new Date(at).toISOString();
}

const MARKETPLACES: Record<string, { country: string; currency: string }> = {
  ATVPDKIKX0DER: { country: 'US', currency: 'USD' },
  A2EUQ1WTGCTBG2: { country: 'CA', currency: 'CAD' },
  A1AM78C64UM0Y8: { country: 'MX', currency: 'MXN' },
  A1F83G8C2ARO7P: { country: 'GB', currency: 'GBP' },
  A1PA6795UKMFR9: { country: 'DE', currency: 'EUR' },
  A13V1IB3VIYZZH: { country: 'FR', currency: 'EUR' },
  APJ6JRA9NG5V4: { country: 'IT', currency: 'EUR' },
  A1RKKUPIHCS9HS: { country: 'ES', currency: 'EUR' },
  A1VC38T7YXB528: { country: 'JP', currency: 'JPY' },
  A39IBJ37TRP1C6: { country: 'AU', currency: 'AUD' },
  A19VAU5U5O7RUS: { country: 'SG', currency: 'SGD' },
};

function countryOfMarketplace(id: string): string {
  return MARKETPLACES[id]?.country ?? 'ZZ';
}

function currencyOfMarketplace(id: string): string {
  const found = MARKETPLACES[id]?.currency;
  if (!found) throw new RangeError(`order names no currency and marketplace ${id} is unknown`);
  return found;
}

/**
 * A posted refund (Finances RefundEventList) → refund case, `refunded` by nature: Amazon posts it
 * once the money went back. The amount is the charges given back (Principal, shipping, tax…)
 * less promotions reclaimed. Amazon gives refund events no id; the order id and posting second
 * make one.
 */
export function normalizeAmazonRefund(event: AmazonRefundEvent): RefundInfo {
  const amounts = event.ShipmentItemAdjustmentList.flatMap((item) => [
    ...item.ItemChargeAdjustmentList.map((c) => c.ChargeAmount),
    ...item.PromotionAdjustmentList.map((p) => p.PromotionAmount),
  ]);
  const currency = (amounts[0]?.CurrencyCode ?? 'USD').toUpperCase();
  const total = amounts.reduce((s, a) => s + amountToMinor(a.CurrencyAmount, currency), 0);
  const posted = iso(event.PostedDate);
  const lineIds = event.ShipmentItemAdjustmentList.map((i) => i.OrderItemId).filter((v): v is string => !!v);
  return {
    platformRefundId: `${event.AmazonOrderId}_${Date.parse(posted) / 1000}`,
    platformOrderId: event.AmazonOrderId,
    status: 'refunded',
    kind: 'refund_only',
    amountMinor: Math.abs(total),
    currency,
    ...(lineIds.length ? { lineIds } : {}),
    createdAt: posted,
    modifiedAt: posted,
  };
}

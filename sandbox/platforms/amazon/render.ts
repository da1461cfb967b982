import type { SimOrder, SimOrderItem } from '../../orders/model.js';

/** SimOrder → SP-API Orders v0 / Finances v0 objects. Money as `Amount` strings in the order's currency. */
const ZERO_DECIMAL = new Set(['JPY', 'VND', 'KRW', 'IDR']);

export function amount(minor: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function amazonOrderStatus(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return order.type === 'presale' ? 'PendingAvailability' : 'Pending';
    case 'paid':
      return 'Unshipped';
    case 'shipped':
    case 'completed':
      return 'Shipped';
    case 'cancelled':
      return 'Canceled';
  }
}

const shipped = (order: SimOrder) => order.status === 'shipped' || order.status === 'completed';

export function renderAmazonOrder(order: SimOrder, marketplaceId: string, full = false) {
  const status = amazonOrderStatus(order);
  const total =
    order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity - i.discountMinor, 0) -
    order.discountMinor +
    order.shippingMinor +
    // US marketplace-facilitator tax is charged on top and is part of OrderTotal.
    order.items.reduce((s, i) => s + (i.taxMinor ?? 0), 0);
  const units = order.items.reduce((s, i) => s + i.quantity, 0);
  const withAddress = ['Unshipped', 'PartiallyShipped', 'Shipped'].includes(status);
  return {
    AmazonOrderId: order.id,
    SellerOrderId: order.id,
    PurchaseDate: isoSeconds(order.createdAt),
    LastUpdateDate: isoSeconds(order.modifiedAt),
    OrderStatus: status,
    FulfillmentChannel: 'MFN',
    OrderType: order.type === 'presale' ? 'Preorder' : 'StandardOrder',
    ...(status === 'Pending'
      ? {}
      : { OrderTotal: { CurrencyCode: order.currency, Amount: amount(total, order.currency) } }),
    NumberOfItemsShipped: shipped(order) ? units : 0,
    NumberOfItemsUnshipped: shipped(order) ? 0 : units,
    MarketplaceId: marketplaceId,
    ShipServiceLevel: 'Std US D2D Dom',
    ...(order.paidAt
      ? {
          EarliestShipDate: isoSeconds(new Date(order.paidAt.getTime() + 86_400_000)),
          LatestShipDate: isoSeconds(new Date(order.paidAt.getTime() + 3 * 86_400_000)),
        }
      : {}),
    IsPrime: false,
    IsBusinessOrder: false,
    IsReplacementOrder: false,
    ...(withAddress ? { ShippingAddress: renderAddress(order, full) } : {}),
  };
}

/** Without an RDT, only the non-PII part of the address. */
export function renderAddress(order: SimOrder, full: boolean) {
  const r = order.receiver;
  return {
    ...(full ? { Name: r.name, AddressLine1: r.detail, Phone: r.phone } : {}),
    City: r.city,
    StateOrRegion: r.province,
    ...(r.postalCode ? { PostalCode: r.postalCode } : {}),
    CountryCode: r.country,
    ...(full ? { AddressType: 'Residential' } : {}),
  };
}

export function renderAmazonItem(order: SimOrder, item: SimOrderItem, index: number) {
  const c = order.currency;
  return {
    ASIN: item.platformSkuId,
    SellerSKU: item.skuCode,
    OrderItemId: item.lineId,
    Title: item.title,
    QuantityOrdered: item.quantity,
    QuantityShipped: shipped(order) ? item.quantity : 0,
    ItemPrice: { CurrencyCode: c, Amount: amount(item.unitPriceMinor * item.quantity, c) },
    ShippingPrice: { CurrencyCode: c, Amount: amount(index === 0 ? order.shippingMinor : 0, c) },
    ItemTax: { CurrencyCode: c, Amount: amount(item.taxMinor ?? 0, c) },
    PromotionDiscount: { CurrencyCode: c, Amount: amount(item.discountMinor, c) },
    IsGift: false,
  };
}

/** A posted refund, the way Finances lists it: charges given back as negative amounts. */
export function renderRefundEvent(order: SimOrder) {
  const refund = order.refund!;
  const c = order.currency;
  const major = ZERO_DECIMAL.has(c) ? refund.amountMinor : refund.amountMinor / 100;
  const first = order.items[0]!;
  return {
    AmazonOrderId: order.id,
    SellerOrderId: order.id,
    MarketplaceName: 'Amazon.com',
    PostedDate: isoSeconds(refund.modifiedAt),
    ShipmentItemAdjustmentList: [
      {
        OrderItemId: first.lineId,
        OrderAdjustmentItemId: `${first.lineId}9`,
        SellerSKU: first.skuCode,
        QuantityShipped: first.quantity,
        ItemChargeAdjustmentList: [
          { ChargeType: 'Principal', ChargeAmount: { CurrencyCode: c, CurrencyAmount: -major } },
        ],
        ItemFeeAdjustmentList: [],
        PromotionAdjustmentList: [],
      },
    ],
  };
}

import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
} from '../../../domain/order.js';
import type { EbayAmount, EbayOrder } from './wire.js';

/**
 * eBay order (Sell Fulfillment `getOrder`/`getOrders`, MORE-CHANNELS §10) → our order. Pure. The
 * endpoint and ids are confirmed; the field choices below rest on eBay's published schema, which
 * our facts do not copy (§10 "field names UNCONFIRMED"):
 *
 * - Status: `cancelStatus.cancelState` CANCELED → cancelled; `orderPaymentStatus` PENDING or
 *   FAILED → awaiting_payment; `orderFulfillmentStatus` FULFILLED → shipped, IN_PROGRESS →
 *   partially_shipped, else paid. eBay's order list never says "delivered".
 * - Refunds: FULLY_REFUNDED → the order's refundStatus refunded; a line with `refunds[]` is refunded
 *   on that line.
 * - Money: `{value, currency}` decimal strings in major units, kept in the order's currency (its
 *   minor unit): goods = Σ `lineItemCost` (price × quantity), discount = |`priceDiscount`| (else Σ
 *   the lines' promotions), shipping = `deliveryCost` − |`deliveryDiscount`|, tax =
 *   `pricingSummary.tax`, paid = `pricingSummary.total` once paid.
 * - The receiver is `fulfillmentStartInstructions[0].shippingStep.shipTo`, in plain text.
 */
/**
 * Our key for an eBay order id. Current ids (`12-34567-89012`) are taken as they are; the legacy
 * form `6498414015!260000000562911` (§10's example) carries a `!`, which our order ids do not allow:
 * it becomes `_` (eBay ids have no `_`, so the key maps back exactly).
 */
export const ebayOrderKey = (orderId: string) => orderId.replace(/!/g, '_');
/** The eBay order id behind our key. */
export const ebayOrderId = (key: string) => key.replace(/_/g, '!');

export function normalizeEbayOrder(order: EbayOrder, shop: { shopId: string }): NormalizedOrder {
  const summary = order.pricingSummary ?? {};
  const currency = (
    summary.total?.currency ??
    order.lineItems.find((l) => l.lineItemCost)?.lineItemCost?.currency ??
    'USD'
  ).toUpperCase();
  const minor = (amount: EbayAmount | null | undefined) =>
    amount ? Math.abs(amountToMinor(amount.value, currency)) : 0;
  const status = orderStatus(order);
  const lines = order.lineItems.map((item) => {
    const cost = minor(item.lineItemCost);
    const discount = item.appliedPromotions.reduce((t, p) => t + minor(p.discountAmount), 0);
    return {
      lineId: item.lineItemId,
      platformSkuId: item.legacyVariationId || item.legacyItemId,
      skuCode: item.sku || item.legacyItemId || item.lineItemId,
      title: item.title.slice(0, 200),
      quantity: item.quantity,
      unitPriceFen: Math.round(cost / item.quantity),
      discountFen: discount,
      ...(item.refunds.length > 0 ? { refundStatus: 'refunded' as const } : {}),
    };
  });
  const goods = order.lineItems.reduce((t, i) => t + minor(i.lineItemCost), 0);
  const discount = summary.priceDiscount
    ? minor(summary.priceDiscount)
    : lines.reduce((t, l) => t + l.discountFen, 0);
  const shipping = Math.max(0, minor(summary.deliveryCost) - minor(summary.deliveryDiscount));
  const tax = minor(summary.tax);
  const paidAt = order.paymentSummary?.payments.find((p) => p.paymentDate)?.paymentDate;
  const buyer = order.buyer?.username;
  return NormalizedOrderSchema.parse({
    platform: 'ebay',
    shopId: shop.shopId,
    platformOrderId: ebayOrderKey(order.orderId),
    status,
    refundStatus: order.orderPaymentStatus === 'FULLY_REFUNDED' ? 'refunded' : 'none',
    type: 'normal',
    createdAt: isoTime(order.creationDate),
    ...(status !== 'awaiting_payment' ? { paidAt: isoTime(paidAt || order.creationDate) } : {}),
    modifiedAt: isoTime(order.lastModifiedDate),
    currency,
    amounts: {
      goodsFen: goods,
      discountFen: discount,
      shippingFen: shipping,
      ...(tax > 0 ? { taxFen: tax } : {}),
      paidFen: status === 'awaiting_payment' ? 0 : minor(summary.total),
    },
    buyer: {
      id: buyer ? `ebay-${buyer}` : `ebay-order-${ebayOrderKey(order.orderId)}`,
      ...(buyer ? { nick: buyer } : {}),
    },
    receiver: ebayReceiver(order),
    lines,
    ...(order.buyerCheckoutNotes ? { buyerRemark: order.buyerCheckoutNotes.slice(0, 1000) } : {}),
  });
}

function orderStatus(order: EbayOrder): PlatformOrderStatus {
  if (order.cancelStatus?.cancelState === 'CANCELED') return 'cancelled';
  if (['PENDING', 'FAILED'].includes(order.orderPaymentStatus)) return 'awaiting_payment';
  switch (order.orderFulfillmentStatus) {
    case 'FULFILLED':
      return 'shipped';
    case 'IN_PROGRESS':
      return 'partially_shipped';
    default:
      return 'paid';
  }
}

function ebayReceiver(order: EbayOrder): Receiver {
  const shipTo = order.fulfillmentStartInstructions.find((f) => f.shippingStep?.shipTo)?.shippingStep?.shipTo;
  if (!shipTo) throw new RangeError(`ebay order ${order.orderId} has no shipTo`);
  const a = shipTo.contactAddress;
  const country = (a?.countryCode || 'US').toUpperCase();
  return {
    name: shipTo.fullName || '-',
    phone: shipTo.primaryPhone?.phoneNumber || '-',
    country,
    province: (a?.stateOrProvince || a?.city || country).slice(0, 50),
    city: (a?.city ?? '').slice(0, 50),
    district: (a?.county ?? '').slice(0, 50),
    detail: [a?.addressLine1, a?.addressLine2].filter(Boolean).join(', ') || '-',
    ...(a?.postalCode ? { postalCode: a.postalCode } : {}),
    protected: false,
  };
}

function isoTime(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new RangeError(`ebay time we cannot read: ${value}`);
  return new Date(at).toISOString();
}

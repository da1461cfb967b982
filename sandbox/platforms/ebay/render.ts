import { currencyExponent } from '../../../domain/money.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → an eBay Sell Fulfillment order (MORE-CHANNELS §10; the response shape follows eBay's
 * getOrders doc example, field names UNCONFIRMED in our facts): string order ids, money as
 * `{value, currency}` decimal strings in major units (discounts negative, as eBay shows them),
 * ISO times with milliseconds, the buyer's address in plain text under
 * `fulfillmentStartInstructions[0].shippingStep.shipTo`.
 */
function amount(minor: number, currency: string) {
  const digits = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 10 ** digits));
  const frac = digits ? `.${String(abs % 10 ** digits).padStart(digits, '0')}` : '';
  return { value: `${sign}${whole}${frac}`, currency };
}

/** The parcels the seller reported, each naming its lines (all lines when it names none). */
export function shipmentsOf(order: SimOrder) {
  return [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);
}

function lineShipped(order: SimOrder, lineId: string): boolean {
  return shipmentsOf(order).some((s) => !s.lineIds || s.lineIds.includes(lineId));
}

function fulfillmentStatus(order: SimOrder): string {
  if (order.status === 'shipped' || order.status === 'completed') return 'FULFILLED';
  const sent = order.items.filter((i) => lineShipped(order, i.lineId)).length;
  if (sent === 0) return 'NOT_STARTED';
  return sent === order.items.length ? 'FULFILLED' : 'IN_PROGRESS';
}

function paymentStatus(order: SimOrder): string {
  if (order.status === 'unpaid' || order.status === 'deposit_paid') return 'PENDING';
  if (order.refund?.status === 'refunded')
    return order.refund.lineIds ? 'PARTIALLY_REFUNDED' : 'FULLY_REFUNDED';
  return 'PAID';
}

export function renderEbayOrder(order: SimOrder) {
  const c = order.currency;
  const subtotal = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const discounts = order.items.reduce((t, i) => t + i.discountMinor, 0) + order.discountMinor;
  const tax = order.items.reduce((t, i) => t + (i.taxMinor ?? 0), 0);
  const total = subtotal - discounts + order.shippingMinor + tax;
  const refunded = order.refund?.status === 'refunded' ? order.refund : undefined;
  const r = order.receiver;
  return {
    orderId: order.id,
    legacyOrderId: order.id,
    creationDate: order.createdAt.toISOString(),
    lastModifiedDate: order.modifiedAt.toISOString(),
    orderFulfillmentStatus: fulfillmentStatus(order),
    orderPaymentStatus: paymentStatus(order),
    sellerId: order.shopKey,
    buyer: { username: order.buyer.nick, taxAddress: { countryCode: r.country } },
    buyerCheckoutNotes: order.buyerRemark,
    pricingSummary: {
      priceSubtotal: amount(subtotal, c),
      ...(discounts > 0 ? { priceDiscount: amount(-discounts, c) } : {}),
      deliveryCost: amount(order.shippingMinor, c),
      ...(tax > 0 ? { tax: amount(tax, c) } : {}),
      total: amount(total, c),
    },
    cancelStatus: {
      cancelState: order.status === 'cancelled' ? 'CANCELED' : 'NONE_REQUESTED',
      // getOrders always leaves cancelRequests empty (§10).
      cancelRequests: [],
    },
    paymentSummary: {
      totalDueSeller: amount(total, c),
      payments: order.paidAt
        ? [
            {
              paymentMethod: 'EBAY',
              paymentDate: order.paidAt.toISOString(),
              amount: amount(total, c),
              paymentStatus: 'PAID',
            },
          ]
        : [],
      refunds: refunded
        ? [
            {
              amount: amount(refunded.amountMinor, c),
              refundDate: refunded.modifiedAt.toISOString(),
              refundStatus: 'REFUNDED',
            },
          ]
        : [],
    },
    fulfillmentStartInstructions: [
      {
        fulfillmentInstructionsType: 'SHIP_TO',
        minEstimatedDeliveryDate: new Date(order.createdAt.getTime() + 3 * 86_400_000).toISOString(),
        ebaySupportedFulfillment: false,
        shippingStep: {
          shipTo: {
            fullName: r.name,
            contactAddress: {
              addressLine1: r.detail,
              city: r.city,
              stateOrProvince: r.province,
              ...(r.district ? { county: r.district } : {}),
              postalCode: r.postalCode ?? '',
              countryCode: r.country,
            },
            primaryPhone: { phoneNumber: r.phone },
            email: `${order.buyer.id}@members.ebay.example`,
          },
          shippingCarrierCode: 'USPS',
          shippingServiceCode: 'USPSPriority',
        },
      },
    ],
    fulfillmentHrefs: shipmentsOf(order).map(
      (s) => `/sell/fulfillment/v1/order/${order.id}/shipping_fulfillment/${s.trackingNumber}`,
    ),
    lineItems: order.items.map((i) => ({
      lineItemId: i.lineId,
      legacyItemId: i.platformSkuId,
      sku: i.skuCode,
      title: `${i.title} ${i.spec}`.trim(),
      lineItemCost: amount(i.unitPriceMinor * i.quantity, c),
      quantity: i.quantity,
      soldFormat: 'FIXED_PRICE',
      listingMarketplaceId: 'EBAY_US',
      total: amount(i.unitPriceMinor * i.quantity - i.discountMinor + (i.taxMinor ?? 0), c),
      appliedPromotions:
        i.discountMinor > 0
          ? [
              {
                promotionId: `P${i.lineId}`,
                description: 'Seller promotion',
                discountAmount: amount(i.discountMinor, c),
              },
            ]
          : [],
      lineItemFulfillmentStatus: lineShipped(order, i.lineId) ? 'FULFILLED' : 'NOT_STARTED',
      refunds:
        refunded && refunded.lineIds?.includes(i.lineId)
          ? [{ amount: amount(refunded.amountMinor, c), refundDate: refunded.modifiedAt.toISOString() }]
          : [],
    })),
  };
}

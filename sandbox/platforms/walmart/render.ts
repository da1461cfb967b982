import { randomUUID } from 'node:crypto';
import { currencyExponent } from '../../../domain/money.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a Walmart purchase order (MORE-CHANNELS §11; field names follow Walmart's Orders API
 * samples and are UNCONFIRMED in our facts): numeric-string ids, epoch-millisecond times, one order
 * line per SKU with `lineNumber` "1", "2", …, charges `{currency, amount}` as JSON decimals in
 * major units (PRODUCT = price × quantity, SHIPPING on the first line, DISCOUNT negative), and the
 * line's status history under `orderLineStatuses.orderLineStatus[]`.
 */
function money(minor: number, currency: string) {
  const digits = currencyExponent(currency);
  return { currency, amount: Number((minor / 10 ** digits).toFixed(digits)) };
}

export function shippedLines(order: SimOrder) {
  const sent = new Map<string, { carrierCode: string; trackingNumber: string; shippedAt: Date }>();
  for (const s of [order.shipment, ...(order.extraShipments ?? [])]) {
    if (!s) continue;
    for (const lineId of s.lineIds ?? order.items.map((i) => i.lineId)) sent.set(lineId, s);
  }
  return sent;
}

function lineStatusOf(order: SimOrder, lineId: string, acknowledged: boolean): string {
  const refunded =
    order.refund?.status === 'refunded' && (!order.refund.lineIds || order.refund.lineIds.includes(lineId));
  if (order.status === 'cancelled' || (refunded && order.status === 'paid')) return 'Cancelled';
  if (order.status === 'completed') return 'Delivered';
  if (order.status === 'shipped' || shippedLines(order).has(lineId)) return 'Shipped';
  return acknowledged ? 'Acknowledged' : 'Created';
}

export function renderWalmartOrder(order: SimOrder, acknowledged: boolean) {
  const c = order.currency;
  const sent = shippedLines(order);
  const r = order.receiver;
  return {
    purchaseOrderId: order.id,
    customerOrderId: String(BigInt(order.id) + 3_485_000_000_000n),
    customerEmailId: `${order.buyer.id}@relay.walmart.example`,
    orderDate: order.createdAt.getTime(),
    shippingInfo: {
      phone: r.phone,
      estimatedDeliveryDate: order.createdAt.getTime() + 5 * 86_400_000,
      estimatedShipDate: order.createdAt.getTime() + 2 * 86_400_000,
      methodCode: 'Standard',
      postalAddress: {
        name: r.name,
        address1: r.detail,
        address2: null,
        city: r.city,
        state: r.province,
        postalCode: r.postalCode ?? '',
        country: r.country === 'US' ? 'USA' : r.country,
        addressType: 'RESIDENTIAL',
      },
    },
    orderLines: {
      orderLine: order.items.map((item, index) => {
        const status = lineStatusOf(order, item.lineId, acknowledged);
        const shipment = sent.get(item.lineId);
        const discount = item.discountMinor + (index === 0 ? order.discountMinor : 0);
        const quantity = { unitOfMeasurement: 'EACH', amount: String(item.quantity) };
        return {
          lineNumber: item.lineId,
          item: { productName: `${item.title} ${item.spec}`.trim(), sku: item.skuCode },
          charges: {
            charge: [
              {
                chargeType: 'PRODUCT',
                chargeName: 'ItemPrice',
                chargeAmount: money(item.unitPriceMinor * item.quantity, c),
                tax: item.taxMinor ? { taxName: 'Tax1', taxAmount: money(item.taxMinor, c) } : null,
              },
              ...(index === 0 && order.shippingMinor > 0
                ? [
                    {
                      chargeType: 'SHIPPING',
                      chargeName: 'Shipping',
                      chargeAmount: money(order.shippingMinor, c),
                      tax: null,
                    },
                  ]
                : []),
              ...(discount > 0
                ? [
                    {
                      chargeType: 'DISCOUNT',
                      chargeName: 'Promotion',
                      chargeAmount: money(-discount, c),
                      tax: null,
                    },
                  ]
                : []),
            ],
          },
          orderLineQuantity: quantity,
          statusDate: order.modifiedAt.getTime(),
          orderLineStatuses: {
            orderLineStatus: [
              {
                status,
                statusQuantity: quantity,
                ...(shipment && status !== 'Cancelled'
                  ? {
                      trackingInfo: {
                        shipDateTime: shipment.shippedAt.getTime(),
                        carrierName: { otherCarrier: null, carrier: shipment.carrierCode },
                        methodCode: 'Standard',
                        trackingNumber: shipment.trackingNumber,
                      },
                    }
                  : {}),
              },
            ],
          },
        };
      }),
    },
  };
}

/** A notification as the simulated Walmart posts it, with the subscription's Basic credentials. */
export function renderWalmartEvent(
  subscription: { credentials: string },
  order: SimOrder,
  eventType = 'PO_CREATED',
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    source: { eventType, eventId: randomUUID(), eventTime: order.modifiedAt.toISOString() },
    payload: {
      purchaseOrderId: order.id,
      sellerId: order.shopKey,
      orderDate: order.createdAt.toISOString(),
    },
  });
  return {
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(subscription.credentials, 'utf8').toString('base64')}`,
    },
    body,
  };
}

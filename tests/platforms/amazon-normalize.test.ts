import { describe, expect, it } from 'vitest';
import {
  AmazonOrderItemSchema,
  AmazonOrderSchema,
  AmazonRefundEventSchema,
  amazonCarrier,
  amazonStatus,
  normalizeAmazonOrder,
  normalizeAmazonRefund,
} from '../../integrations/platforms/amazon/index.js';

// API-FACTS §17.6: the order of `GET /orders/v0/orders` and two items shaped as listed there.
const ORDER = {
  AmazonOrderId: '902-3159896-1390916',
  SellerOrderId: '902-3159896-1390916',
  PurchaseDate: '2026-03-01T02:15:02Z',
  LastUpdateDate: '2026-03-01T02:20:41Z',
  OrderStatus: 'Unshipped',
  FulfillmentChannel: 'MFN',
  OrderType: 'StandardOrder',
  OrderTotal: { CurrencyCode: 'USD', Amount: '25.98' },
  NumberOfItemsShipped: 0,
  NumberOfItemsUnshipped: 2,
  MarketplaceId: 'ATVPDKIKX0DER',
  ShipServiceLevel: 'Std US D2D Dom',
  EarliestShipDate: '2026-03-02T08:00:00Z',
  LatestShipDate: '2026-03-04T07:59:59Z',
  IsPrime: false,
  IsBusinessOrder: false,
  IsReplacementOrder: false,
  ShippingAddress: { StateOrRegion: 'WA', City: 'SEATTLE', PostalCode: '98109', CountryCode: 'US' },
};
const ITEMS = [
  {
    ASIN: 'B07XJ8C8F5',
    SellerSKU: 'SKU-001-RED-M',
    OrderItemId: '68828574383266',
    Title: 'Cotton T-shirt',
    QuantityOrdered: 2,
    QuantityShipped: 0,
    ItemPrice: { CurrencyCode: 'USD', Amount: '25.98' },
    ShippingPrice: { CurrencyCode: 'USD', Amount: '0.00' },
    ItemTax: { CurrencyCode: 'USD', Amount: '0.00' },
    PromotionDiscount: { CurrencyCode: 'USD', Amount: '0.00' },
  },
];

describe('Amazon normalization (§17.6)', () => {
  it('maps the documented order and its items, with the PII-less address protected', () => {
    const order = normalizeAmazonOrder(
      AmazonOrderSchema.parse(ORDER),
      ITEMS.map((i) => AmazonOrderItemSchema.parse(i)),
      'shop-amz',
    );
    expect(order).toMatchObject({
      platform: 'amazon',
      shopId: 'shop-amz',
      platformOrderId: '902-3159896-1390916',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      currency: 'USD',
      createdAt: '2026-03-01T02:15:02.000Z',
      modifiedAt: '2026-03-01T02:20:41.000Z',
      shipBy: '2026-03-04T07:59:59.000Z',
      amounts: { goodsFen: 2_598, discountFen: 0, shippingFen: 0, paidFen: 2_598 },
      buyer: { id: 'amazon-order-902-3159896-1390916' },
      receiver: {
        country: 'US',
        province: 'WA',
        city: 'SEATTLE',
        postalCode: '98109',
        name: '***',
        phone: '***',
        detail: '***',
        protected: true,
      },
      lines: [
        {
          lineId: '68828574383266',
          platformSkuId: 'B07XJ8C8F5',
          skuCode: 'SKU-001-RED-M',
          quantity: 2,
          unitPriceFen: 1_299,
          discountFen: 0,
        },
      ],
    });
  });

  it('keeps line totals exact when the price does not divide by the quantity', () => {
    const order = normalizeAmazonOrder(
      AmazonOrderSchema.parse(ORDER),
      [
        AmazonOrderItemSchema.parse({
          ...ITEMS[0],
          QuantityOrdered: 3,
          ItemPrice: { CurrencyCode: 'USD', Amount: '10.00' },
          PromotionDiscount: { CurrencyCode: 'USD', Amount: '1.00' },
        }),
      ],
      's',
    );
    const l = order.lines[0]!;
    expect(l.unitPriceFen * l.quantity - l.discountFen).toBe(900);
  });

  it('reads yen without a minor unit and pre-orders as presale', () => {
    const order = normalizeAmazonOrder(
      AmazonOrderSchema.parse({
        ...ORDER,
        OrderType: 'Preorder',
        OrderTotal: { CurrencyCode: 'JPY', Amount: '2598' },
        MarketplaceId: 'A1VC38T7YXB528',
      }),
      [AmazonOrderItemSchema.parse({ ...ITEMS[0], ItemPrice: { CurrencyCode: 'JPY', Amount: '2598' } })],
      's',
    );
    expect(order).toMatchObject({
      type: 'presale',
      currency: 'JPY',
      amounts: { goodsFen: 2_598, paidFen: 2_598 },
    });
  });

  it.each([
    ['PendingAvailability', 'awaiting_payment'],
    ['Pending', 'awaiting_payment'],
    ['Unshipped', 'paid'],
    ['PartiallyShipped', 'partially_shipped'],
    ['Shipped', 'shipped'],
    ['InvoiceUnconfirmed', 'shipped'],
    ['Canceled', 'cancelled'],
    ['Unfulfillable', 'cancelled'],
  ])('%s → %s', (amazon, ours) => {
    expect(amazonStatus(amazon)).toBe(ours);
  });

  it('maps carriers to Amazon codes, others to Other with a name', () => {
    expect(amazonCarrier('SF')).toEqual({ carrierCode: 'SF Express' });
    expect(amazonCarrier('DHL')).toEqual({ carrierCode: 'DHL' });
    expect(amazonCarrier('ZTO')).toEqual({ carrierCode: 'Other', carrierName: 'ZTO Express' });
  });

  it('turns a posted refund event into a refunded case', () => {
    const refund = normalizeAmazonRefund(
      AmazonRefundEventSchema.parse({
        AmazonOrderId: '902-3159896-1390916',
        PostedDate: '2026-03-06T10:00:00Z',
        ShipmentItemAdjustmentList: [
          {
            OrderItemId: '68828574383266',
            SellerSKU: 'SKU-001-RED-M',
            ItemChargeAdjustmentList: [
              { ChargeType: 'Principal', ChargeAmount: { CurrencyCode: 'USD', CurrencyAmount: -25.98 } },
              { ChargeType: 'Tax', ChargeAmount: { CurrencyCode: 'USD', CurrencyAmount: -2.34 } },
            ],
            PromotionAdjustmentList: [{ PromotionAmount: { CurrencyCode: 'USD', CurrencyAmount: 1.0 } }],
          },
        ],
      }),
    );
    expect(refund).toEqual({
      platformRefundId: '902-3159896-1390916_1772791200',
      platformOrderId: '902-3159896-1390916',
      status: 'refunded',
      kind: 'refund_only',
      amountMinor: 2_732,
      currency: 'USD',
      lineIds: ['68828574383266'],
      createdAt: '2026-03-06T10:00:00.000Z',
      modifiedAt: '2026-03-06T10:00:00.000Z',
    });
  });
});

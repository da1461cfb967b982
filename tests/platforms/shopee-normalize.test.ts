import { describe, expect, it } from 'vitest';
import { amountDue } from '../../domain/order.js';
import {
  ShopeeEscrowSchema,
  ShopeeOrderSchema,
  ShopeeReturnSchema,
  normalizeShopeeOrder,
  normalizeShopeeReturn,
  parseShopeeJson,
  shopeeNeedsEscrow,
  shopeeStatus,
} from '../../integrations/platforms/shopee/index.js';

// API-FACTS §17.5, the order inside `response.order_list` (item name shortened as in the source).
const EXAMPLE = `{
  "order_sn": "240409ABCD1234", "region": "VN", "currency": "VND", "cod": true,
  "order_status": "READY_TO_SHIP", "total_amount": 53000,
  "create_time": 1712601591, "update_time": 1712601700, "pay_time": 1712601591,
  "days_to_ship": 2, "ship_by_date": 1712774391,
  "buyer_user_id": 1170319091, "buyer_username": "xt4fdsf96j",
  "message_to_seller": "", "note": "", "note_update_time": 0,
  "shipping_carrier": "SPX Express", "payment_method": "Cash on Delivery",
  "estimated_shipping_fee": 5000, "actual_shipping_fee": 0,
  "recipient_address": {"name": "N****n", "phone": "******89", "town": "", "district": "Quận 1",
    "city": "Hồ Chí Minh", "state": "Hồ Chí Minh", "region": "VN", "zipcode": "", "full_address": "****"},
  "item_list": [{"item_id": 23620853561, "item_name": "Kem …", "item_sku": "", "model_id": 221404189791,
    "model_name": "60g（Papaya）", "model_sku": "QAZ-SADOER-05", "model_quantity_purchased": 1,
    "model_original_price": 300000, "model_discounted_price": 48000, "order_item_id": 23620853561,
    "promotion_type": "flash_sale", "promotion_id": 779222207758537}],
  "package_list": [{"package_number": "OFG123456789", "logistics_status": "LOGISTICS_READY",
    "logistics_channel_id": 50021, "shipping_carrier": "SPX Express", "item_list": []}]
}`;

const parseExample = (patch: (o: Record<string, unknown>) => void = () => {}) => {
  const raw = parseShopeeJson(EXAMPLE) as Record<string, unknown>;
  patch(raw);
  return ShopeeOrderSchema.parse(raw);
};

describe('Shopee normalization (§17.5)', () => {
  it('maps the documented order detail to our order, VND without a minor unit', () => {
    expect(normalizeShopeeOrder(parseExample(), 'shop-sp')).toMatchObject({
      platform: 'shopee',
      shopId: 'shop-sp',
      platformOrderId: '240409ABCD1234',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      currency: 'VND',
      createdAt: '2024-04-08T18:39:51.000Z',
      paidAt: '2024-04-08T18:39:51.000Z',
      modifiedAt: '2024-04-08T18:41:40.000Z',
      shipBy: '2024-04-10T18:39:51.000Z',
      amounts: { goodsFen: 300_000, discountFen: 252_000, shippingFen: 5_000, paidFen: 53_000 },
      buyer: { id: '1170319091', nick: 'xt4fdsf96j' },
      receiver: {
        name: 'N****n',
        phone: '******89',
        country: 'VN',
        province: 'Hồ Chí Minh',
        city: 'Hồ Chí Minh',
        district: 'Quận 1',
        detail: '****',
        protected: true,
      },
      lines: [
        {
          lineId: '23620853561-221404189791',
          platformSkuId: '221404189791',
          skuCode: 'QAZ-SADOER-05',
          title: 'Kem … 60g（Papaya）',
          quantity: 1,
          unitPriceFen: 300_000,
          discountFen: 252_000,
        },
      ],
    });
  });

  it('converts two-decimal currencies from the float text exactly', () => {
    const order = normalizeShopeeOrder(
      parseExample((o) => {
        o.currency = 'SGD';
        o.total_amount = 19.99;
        o.estimated_shipping_fee = 2.5;
        const item = (o.item_list as Array<Record<string, unknown>>)[0]!;
        item.model_original_price = 19.99;
        item.model_discounted_price = 17.49;
      }),
      's',
    );
    expect(order.amounts).toEqual({ goodsFen: 1_999, discountFen: 250, shippingFen: 250, paidFen: 1_999 });
  });

  it('counts the vouchers, coins and paid shipping of the escrow detail, and never makes up a discount', () => {
    const paidLess = parseExample((o) => {
      o.total_amount = 45000;
    });
    expect(shopeeNeedsEscrow(paidLess)).toBe(true);
    expect(shopeeNeedsEscrow(parseExample(() => {}))).toBe(false);
    // Without the escrow, ₫8000 nobody explains is a gap the payment audit sees.
    const alone = normalizeShopeeOrder(paidLess, 's');
    expect(amountDue(alone.amounts) - alone.amounts.paidFen).toBe(8000);
    const escrow = ShopeeEscrowSchema.parse({
      order_sn: '240409ABCD1234',
      order_income: {
        voucher_from_shopee: 5000,
        voucher_from_seller: 1000,
        coins: 2000,
        buyer_paid_shipping_fee: 5000,
      },
    });
    const explained = normalizeShopeeOrder(paidLess, 's', escrow);
    expect(explained.amounts).toEqual({
      goodsFen: 300_000,
      discountFen: 260_000,
      shippingFen: 5_000,
      paidFen: 45_000,
    });
    expect(amountDue(explained.amounts)).toBe(explained.amounts.paidFen);
  });

  it('falls back to item_sku when the model has no sku', () => {
    const order = normalizeShopeeOrder(
      parseExample((o) => {
        const item = (o.item_list as Array<Record<string, unknown>>)[0]!;
        item.model_sku = '';
        item.item_sku = 'ITEM-SKU';
      }),
      's',
    );
    expect(order.lines[0]?.skuCode).toBe('ITEM-SKU');
  });

  it.each([
    ['UNPAID', 'awaiting_payment', 'none'],
    ['READY_TO_SHIP', 'paid', 'none'],
    ['PROCESSED', 'paid', 'none'],
    ['RETRY_SHIP', 'paid', 'none'],
    ['INVOICE_PENDING', 'paid', 'none'],
    ['IN_CANCEL', 'paid', 'requested'],
    ['SHIPPED', 'shipped', 'none'],
    ['TO_CONFIRM_RECEIVE', 'shipped', 'none'],
    ['TO_RETURN', 'shipped', 'requested'],
    ['COMPLETED', 'completed', 'none'],
    ['CANCELLED', 'cancelled', 'none'],
  ])('%s → %s (refund %s)', (shopee, status, refund) => {
    expect(shopeeStatus(shopee)).toEqual({ status, refund });
  });

  it('maps a return', () => {
    const ret = normalizeShopeeReturn(
      ShopeeReturnSchema.parse(
        parseShopeeJson(`{"return_sn":"2404100ABCDE","order_sn":"240409ABCD1234","status":"REFUND_PAID","reason":"NOT_RECEIPT",
          "text_reason":"chưa nhận được","refund_amount":48000,"currency":"VND","create_time":1712700000,"update_time":1712800000,
          "needs_logistics":false,"tracking_number":"","item":[{"item_id":23620853561,"model_id":221404189791}]}`),
      ),
    );
    expect(ret).toEqual({
      platformRefundId: '2404100ABCDE',
      platformOrderId: '240409ABCD1234',
      status: 'refunded',
      kind: 'refund_only',
      amountMinor: 48_000,
      currency: 'VND',
      reason: 'chưa nhận được',
      lineIds: ['23620853561-221404189791'],
      createdAt: '2024-04-09T22:00:00.000Z',
      modifiedAt: '2024-04-11T01:46:40.000Z',
    });
  });
});

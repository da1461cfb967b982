import { describe, expect, it } from 'vitest';
import { parsePlatformJson } from '../../integrations/platforms/taobao/json.js';
import { normalizePddOrder, normalizePddRefund } from '../../integrations/platforms/pdd/normalize.js';
import { PddOrderSchema, PddRefundSchema } from '../../integrations/platforms/pdd/wire.js';

// API-FACTS §17.2 verbatim.
const INFORMATION = `{
  "order_info_get_response": {
    "order_info": {
      "order_sn": "260301-123456789012345",
      "order_status": 1,
      "refund_status": 1,
      "after_sales_status": 0,
      "confirm_status": 1,
      "group_status": 1,
      "trade_type": 0,
      "is_pre_sale": 0,
      "pre_sale_time": "",
      "created_time": "2026-03-01 10:15:02",
      "pay_time": "2026-03-01 10:15:30",
      "confirm_time": "2026-03-01 10:15:31",
      "updated_at": "2026-03-01 10:15:31",
      "last_ship_time": "2026-03-03 10:15:31",
      "goods_amount": 198.0,
      "discount_amount": 20.0,
      "platform_discount": 5.0,
      "seller_discount": 15.0,
      "capital_free_discount": 0.0,
      "postage": 0.0,
      "pay_amount": 178.0,
      "pay_type": "WEIXIN",
      "buyer_memo": "请周末送货",
      "remark": "已核对库存",
      "remark_tag": 1,
      "receiver_name": "<ciphertext>",
      "receiver_phone": "<ciphertext>",
      "receiver_address": "<ciphertext>",
      "address": "<ciphertext>",
      "receiver_name_mask": "张*",
      "receiver_phone_mask": "138****1234",
      "receiver_address_mask": "文三路***号",
      "address_mask": "浙江省杭州市西湖区文三路***号",
      "country": "中国",
      "province": "浙江省", "province_id": 32,
      "city": "杭州市", "city_id": 405,
      "town": "西湖区", "town_id": 3418,
      "tracking_number": "",
      "logistics_id": 0,
      "item_list": [
        {"goods_id": 398765432101, "goods_name": "纯棉T恤", "goods_spec": "红色,M",
         "sku_id": 1234567890123, "outer_id": "SKU-001-RED-M", "outer_goods_id": "SPU-001",
         "goods_count": 2, "goods_price": 99.0, "goods_img": "https://img.pddpic.com/x.jpg"}
      ],
      "order_tag_list": [{"name": "free_sf", "value": 0}]
    }
  }
}`;

const base = (
  parsePlatformJson(INFORMATION) as { order_info_get_response: { order_info: Record<string, unknown> } }
).order_info_get_response.order_info;
const order = (overrides: Record<string, unknown> = {}) => PddOrderSchema.parse({ ...base, ...overrides });
const shop = { shopId: 'shop-pdd' };

describe('normalizePddOrder on the §17.2 example', () => {
  const normalized = normalizePddOrder(order(), shop);

  it('maps status, float yuan to fen, times and ship-by', () => {
    expect(normalized).toMatchObject({
      platform: 'pdd',
      platformOrderId: '260301-123456789012345',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      createdAt: '2026-03-01T02:15:02.000Z',
      paidAt: '2026-03-01T02:15:30.000Z',
      modifiedAt: '2026-03-01T02:15:31.000Z',
      shipBy: '2026-03-03T02:15:31.000Z',
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
      buyerRemark: '请周末送货',
      sellerMemo: '已核对库存',
    });
  });

  it('keeps the masked receiver, protected, with PDD town as the district', () => {
    expect(normalized.receiver).toEqual({
      name: '张*',
      phone: '138****1234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路***号',
      protected: true,
    });
  });

  it('takes outer_id as the SKU code and sku_id as the platform SKU', () => {
    expect(normalized.lines).toEqual([
      {
        lineId: '1234567890123',
        platformSkuId: '1234567890123',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤 红色,M',
        quantity: 2,
        unitPriceFen: 9_900,
        discountFen: 0,
      },
    ]);
  });
});

describe('normalizePddOrder status combinations', () => {
  it.each([
    [{ order_status: 2 }, 'shipped', 'none'],
    [{ order_status: 3 }, 'completed', 'none'],
    [{ refund_status: 2, after_sales_status: 2 }, 'paid', 'requested'],
    [{ refund_status: 3, after_sales_status: 4 }, 'paid', 'requested'],
    [{ refund_status: 4, after_sales_status: 10 }, 'cancelled', 'refunded'],
    [{ order_status: 2, refund_status: 4, after_sales_status: 10 }, 'shipped', 'refunded'],
    [{ refund_status: 1, after_sales_status: 11 }, 'paid', 'closed'],
    [{ confirm_status: 2 }, 'cancelled', 'none'],
  ])('%o → %s / %s', (overrides, status, refundStatus) => {
    const normalized = normalizePddOrder(order(overrides), shop);
    expect(normalized.status).toBe(status);
    expect(normalized.refundStatus).toBe(refundStatus);
  });

  it('reads a deposit-paid presale (trade_type 1, step 1) with deposit and balance', () => {
    const normalized = normalizePddOrder(
      order({
        trade_type: 1,
        confirm_status: 0,
        step_order_info: {
          step_trade_status: 1,
          advanced_paid_fee: 35.6,
          step_paid_fee: 142.4,
          step_discount_amount: 0,
        },
      }),
      shop,
    );
    expect(normalized).toMatchObject({
      status: 'deposit_paid',
      type: 'presale',
      presale: { depositFen: 3_560, balanceFen: 14_240 },
      amounts: { paidFen: 3_560 },
    });
  });

  it('types group orders as group_buy; a group still forming is paid, a failed one cancelled', () => {
    expect(normalizePddOrder(order({ group_order_id: 1234567, group_status: 1 }), shop).type).toBe(
      'group_buy',
    );
    expect(normalizePddOrder(order({ group_status: 0 }), shop)).toMatchObject({
      type: 'group_buy',
      status: 'paid',
    });
    expect(normalizePddOrder(order({ group_status: 2 }), shop)).toMatchObject({
      type: 'group_buy',
      status: 'cancelled',
    });
  });

  it('normalizes a short 直辖市 region', () => {
    const normalized = normalizePddOrder(
      order({ province: '上海市', city: '上海市', town: '浦东新区' }),
      shop,
    );
    expect(normalized.receiver).toMatchObject({ province: '上海市', city: '上海市', district: '浦东新区' });
  });
});

describe('normalizePddRefund', () => {
  it('maps an after-sales case', () => {
    const refund = PddRefundSchema.parse({
      id: '7381745730',
      order_sn: '260301-123456789012345',
      after_sales_status: 7,
      after_sales_type: 3,
      after_sale_reason: '质量问题',
      refund_amount: 17800,
      sku_id: '1234567890123',
      created_time: '2026-03-02 09:00:00',
      updated_time: '2026-03-02 10:00:00',
    });
    expect(normalizePddRefund(refund)).toEqual({
      platformRefundId: '7381745730',
      platformOrderId: '260301-123456789012345',
      status: 'agreed',
      kind: 'return_and_refund',
      amountMinor: 17_800,
      currency: 'CNY',
      reason: '质量问题',
      lineIds: ['1234567890123'],
      createdAt: '2026-03-02T01:00:00.000Z',
      modifiedAt: '2026-03-02T02:00:00.000Z',
    });
  });
});

describe("normalizePddOrder with the order's after-sales records (per goods)", () => {
  // Two goods: the §17.2 T-shirt and a second SKU.
  const twoLines = (overrides: Record<string, unknown>) =>
    order({
      item_list: [
        ...(base['item_list'] as unknown[]),
        {
          goods_id: 398765432102,
          goods_name: '红茶',
          goods_spec: '250g',
          sku_id: 1234567890999,
          outer_id: 'TEA-003-250G',
          goods_count: 1,
          goods_price: 168.0,
        },
      ],
      ...overrides,
    });
  const record = (after_sales_status: number, sku_id: string, updated_time = '2026-03-02 10:00:00') =>
    PddRefundSchema.parse({
      id: `73817457${after_sales_status}`,
      order_sn: '260301-123456789012345',
      after_sales_status,
      after_sales_type: 2,
      refund_amount: 16800,
      sku_id,
      created_time: '2026-03-02 09:00:00',
      updated_time,
    });

  it('holds only the line its record names; the other ships', () => {
    const asked = normalizePddOrder(twoLines({ refund_status: 2, after_sales_status: 2 }), shop, [
      record(2, '1234567890999'),
    ]);
    expect(asked.lines.map((l) => [l.lineId, l.refundStatus])).toEqual([
      ['1234567890123', 'none'],
      ['1234567890999', 'requested'],
    ]);
    expect([asked.status, asked.refundStatus]).toEqual(['paid', 'requested']);
  });

  it('a refund of one line is not a cancellation of the order (退款成功 speaks of that line)', () => {
    const refunded = normalizePddOrder(twoLines({ refund_status: 4, after_sales_status: 10 }), shop, [
      record(10, '1234567890999'),
    ]);
    expect(refunded.status).toBe('paid');
    expect(refunded.lines.map((l) => l.refundStatus)).toEqual(['none', 'refunded']);
    // Every line refunded: the order is cancelled, as before.
    const all = normalizePddOrder(twoLines({ refund_status: 4, after_sales_status: 10 }), shop, [
      record(10, '1234567890999'),
      record(10, '1234567890123'),
    ]);
    expect(all.status).toBe('cancelled');
  });

  it('the latest record of a line decides; a record without sku_id is for every line', () => {
    const latest = normalizePddOrder(twoLines({ refund_status: 2 }), shop, [
      record(2, '1234567890999', '2026-03-02 11:00:00'),
      record(11, '1234567890999', '2026-03-02 10:00:00'),
    ]);
    expect(latest.lines.map((l) => l.refundStatus)).toEqual(['none', 'requested']);
    const whole = normalizePddOrder(twoLines({ refund_status: 2 }), shop, [record(2, '0')]);
    expect(whole.lines.map((l) => l.refundStatus)).toEqual(['requested', 'requested']);
    // No record: the order-level state is every line's.
    const none = normalizePddOrder(twoLines({ refund_status: 2 }), shop, []);
    expect(none.lines.map((l) => l.refundStatus)).toEqual([undefined, undefined]);
    expect(none.refundStatus).toBe('requested');
  });
});

describe('a carrier PDD promised the buyer (order_tag_list)', () => {
  it('reads free_sf set to 1 as SF, naming the tag', () => {
    const normalized = normalizePddOrder(order({ order_tag_list: [{ name: 'free_sf', value: 1 }] }), shop);
    expect(normalized.platformCarrier).toEqual({ carrier: 'SF', source: 'pdd order_tag_list free_sf' });
  });

  it('asks for no carrier when the tag is 0 (the §17.2 example), absent, or not about carriers', () => {
    expect(normalizePddOrder(order(), shop).platformCarrier).toBeUndefined();
    expect(normalizePddOrder(order({ order_tag_list: undefined }), shop).platformCarrier).toBeUndefined();
    const other = order({ order_tag_list: [{ name: 'delivery_one_day', value: 1 }] });
    expect(normalizePddOrder(other, shop).platformCarrier).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parsePlatformJson } from '../../integrations/platforms/taobao/json.js';
import { normalizeTopRefund, normalizeTopTrade } from '../../integrations/platforms/taobao/normalize.js';
import { TopRefundSchema, TopTradeSchema } from '../../integrations/platforms/taobao/wire.js';

// API-FACTS §17.1, byte for byte except the oaid placeholder: tid/oid are bare 19-digit numbers.
const FULLINFO = `{
  "trade": {
    "tid": 3812345678901234567,
    "tid_str": "3812345678901234567",
    "status": "WAIT_SELLER_SEND_GOODS",
    "type": "fixed",
    "buyer_nick": "t**1",
    "buyer_open_uid": "AAHxxxxxxxxxxxxxxxxxxxxx",
    "seller_nick": "示例旗舰店",
    "title": "示例旗舰店",
    "created": "2026-03-01 10:15:02",
    "pay_time": "2026-03-01 10:15:40",
    "modified": "2026-03-01 10:15:41",
    "total_fee": "198.00",
    "discount_fee": "20.00",
    "adjust_fee": "0.00",
    "post_fee": "0.00",
    "payment": "178.00",
    "buyer_message": "请周末送货",
    "seller_memo": "已核对库存",
    "seller_flag": 1,
    "receiver_name": "<encrypted>",
    "receiver_mobile": "<encrypted>",
    "receiver_phone": "",
    "receiver_state": "浙江省",
    "receiver_city": "杭州市",
    "receiver_district": "西湖区",
    "receiver_town": "三墩镇",
    "receiver_address": "<encrypted>",
    "receiver_zip": "310000",
    "oaid": "1xKJdQ8oaidExample",
    "step_trade_status": "",
    "new_presell": false,
    "orders": [
      {
        "oid": 3812345678901234567,
        "status": "WAIT_SELLER_SEND_GOODS",
        "refund_status": "NO_REFUND",
        "num_iid": 712345678901,
        "sku_id": "5012345678901",
        "outer_iid": "SPU-001",
        "outer_sku_id": "SKU-001-RED-M",
        "title": "纯棉T恤",
        "sku_properties_name": "颜色:红色;尺码:M",
        "price": "99.00",
        "num": 2,
        "total_fee": "178.00",
        "payment": "178.00",
        "discount_fee": "20.00",
        "adjust_fee": "0.00",
        "divide_order_fee": "178.00"
      }
    ]
  },
  "request_id": "16abc123def"
}`;

const shop = { platform: 'taobao' as const, shopId: 'shop-1' };

function trade(overrides: Record<string, unknown> = {}) {
  const body = parsePlatformJson(FULLINFO) as { trade: Record<string, unknown> };
  return TopTradeSchema.parse({ ...body.trade, ...overrides });
}

describe('normalizeTopTrade on the §17.1 example', () => {
  const order = normalizeTopTrade(trade(), shop);

  it('keeps the 19-digit tid exact', () => {
    expect(order.platformOrderId).toBe('3812345678901234567');
    expect(order.lines[0]!.lineId).toBe('3812345678901234567');
    // What a plain JSON.parse would have done to it:
    expect(String((JSON.parse(FULLINFO) as { trade: { tid: number } }).trade.tid)).not.toBe(
      '3812345678901234567',
    );
  });

  it('maps status, money in fen and times in UTC', () => {
    expect(order).toMatchObject({
      platform: 'taobao',
      shopId: 'shop-1',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      currency: 'CNY',
      createdAt: '2026-03-01T02:15:02.000Z',
      paidAt: '2026-03-01T02:15:40.000Z',
      modifiedAt: '2026-03-01T02:15:41.000Z',
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
      buyer: { id: 'AAHxxxxxxxxxxxxxxxxxxxxx', nick: 't**1' },
      buyerRemark: '请周末送货',
      sellerMemo: '已核对库存',
    });
  });

  it('keeps the encrypted receiver as given, marked protected with the oaid as handle', () => {
    expect(order.receiver).toEqual({
      name: '<encrypted>',
      phone: '<encrypted>',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      town: '三墩镇',
      detail: '<encrypted>',
      postalCode: '310000',
      protected: true,
      addressHandle: '1xKJdQ8oaidExample',
    });
  });

  it('takes the seller outer SKU code and the platform sku id for the line', () => {
    expect(order.lines).toEqual([
      {
        lineId: '3812345678901234567',
        platformSkuId: '5012345678901',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤 颜色:红色;尺码:M',
        quantity: 2,
        unitPriceFen: 9_900,
        refundStatus: 'none',
        discountFen: 2_000,
      },
    ]);
  });
});

describe('normalizeTopTrade edge cases', () => {
  it('treats a 省直辖县 in receiver_district with no receiver_city as the city', () => {
    const order = normalizeTopTrade(
      trade({
        receiver_state: '河南省',
        receiver_city: '',
        receiver_district: '济源市',
        receiver_town: '沁园街道',
      }),
      shop,
    );
    expect(order.receiver).toMatchObject({
      province: '河南省',
      city: '济源市',
      district: '',
      town: '沁园街道',
    });
  });

  it('gives a 直辖市 its municipality as province and city', () => {
    const order = normalizeTopTrade(
      trade({
        receiver_state: '北京',
        receiver_city: '北京市',
        receiver_district: '朝阳区',
        receiver_town: '',
      }),
      shop,
    );
    expect(order.receiver).toMatchObject({ province: '北京市', city: '北京市', district: '朝阳区' });
  });

  it('reads a presale with only the deposit paid as deposit_paid', () => {
    const order = normalizeTopTrade(
      trade({
        status: 'WAIT_BUYER_PAY',
        type: 'step',
        step_trade_status: 'FRONT_PAID_FINAL_NOPAID',
        step_paid_fee: '35.60',
        pay_time: undefined,
      }),
      shop,
    );
    expect(order).toMatchObject({
      status: 'deposit_paid',
      type: 'presale',
      presale: { depositFen: 3_560, balanceFen: 14_240 },
      amounts: { paidFen: 3_560 },
    });
  });

  it('falls back to the item outer code, then the platform id, when the SKU has no outer code', () => {
    const base = trade().orders[0]!;
    const order = normalizeTopTrade(
      trade({ orders: [{ ...base, outer_sku_id: '', outer_iid: 'SPU-001' }] }),
      shop,
    );
    expect(order.lines[0]!.skuCode).toBe('SPU-001');
    const bare = normalizeTopTrade(trade({ orders: [{ ...base, outer_sku_id: '', outer_iid: '' }] }), shop);
    expect(bare.lines[0]!.skuCode).toBe('5012345678901');
  });

  it('folds a negative seller adjustment into the discount', () => {
    const order = normalizeTopTrade(trade({ adjust_fee: '-10.00', payment: '168.00' }), shop);
    expect(order.amounts).toEqual({ goodsFen: 19_800, discountFen: 3_000, shippingFen: 0, paidFen: 16_800 });
  });

  it.each([
    ['WAIT_BUYER_PAY', 'awaiting_payment', 0],
    ['TRADE_CLOSED_BY_TAOBAO', 'cancelled', 0],
    ['TRADE_CLOSED', 'cancelled', 17_800],
    ['SELLER_CONSIGNED_PART', 'partially_shipped', 17_800],
    ['WAIT_BUYER_CONFIRM_GOODS', 'shipped', 17_800],
    ['TRADE_FINISHED', 'completed', 17_800],
  ])('maps %s to %s', (status, expected, paid) => {
    const order = normalizeTopTrade(trade({ status }), shop);
    expect(order.status).toBe(expected);
    expect(order.amounts.paidFen).toBe(paid);
  });

  it('reports an open refund on any line as requested, and a finished one as refunded', () => {
    const line = trade().orders[0]!;
    const open = trade({ orders: [line, { ...line, oid: '2', refund_status: 'WAIT_SELLER_AGREE' }] });
    expect(normalizeTopTrade(open, shop).refundStatus).toBe('requested');
    expect(
      normalizeTopTrade(trade({ orders: [{ ...line, refund_status: 'SUCCESS' }] }), shop).refundStatus,
    ).toBe('refunded');
  });

  it('keeps each sub-order’s refund on its line; a refused request is refused, not open', () => {
    const line = trade().orders[0]!;
    const order = normalizeTopTrade(
      trade({
        orders: [
          line,
          { ...line, oid: '2', oid_str: '2', refund_status: 'WAIT_SELLER_AGREE' },
          { ...line, oid: '3', oid_str: '3', refund_status: 'SELLER_REFUSE_BUYER' },
        ],
      }),
      shop,
    );
    expect(order.lines.map((l) => [l.lineId, l.refundStatus])).toEqual([
      ['3812345678901234567', 'none'],
      ['2', 'requested'],
      ['3', 'refused'],
    ]);
    const refused = normalizeTopTrade(
      trade({ orders: [{ ...line, refund_status: 'SELLER_REFUSE_BUYER' }] }),
      shop,
    );
    expect(refused.refundStatus).toBe('refused');
  });

  it('refuses a status it does not know instead of guessing', () => {
    expect(() => normalizeTopTrade(trade({ status: 'SOMETHING_NEW' }), shop)).toThrow(/unknown trade status/);
  });
});

describe('normalizeTopRefund', () => {
  it('maps a return-and-refund case waiting for the goods', () => {
    const refund = TopRefundSchema.parse(
      parsePlatformJson(
        '{"refund_id":215123456789012345,"tid":3812345678901234567,"oid":3812345678901234567,"status":"WAIT_SELLER_CONFIRM_GOODS",' +
          '"refund_fee":"178.00","reason":"商品与描述不符","has_good_return":true,"created":"2026-03-03 09:00:00","modified":"2026-03-04 12:30:00"}',
      ),
    );
    expect(normalizeTopRefund(refund)).toEqual({
      platformRefundId: '215123456789012345',
      platformOrderId: '3812345678901234567',
      status: 'returning',
      kind: 'return_and_refund',
      amountMinor: 17_800,
      currency: 'CNY',
      reason: '商品与描述不符',
      lineIds: ['3812345678901234567'],
      createdAt: '2026-03-03T01:00:00.000Z',
      modifiedAt: '2026-03-04T04:30:00.000Z',
    });
  });
});

describe('a carrier the Taobao buyer chose (shipping_type)', () => {
  it('reads shipping_type ems as EMS; express, free and the §17.1 example ask for none', () => {
    expect(normalizeTopTrade(trade({ shipping_type: 'ems' }), shop).platformCarrier).toEqual({
      carrier: 'EMS',
      source: 'taobao shipping_type ems',
    });
    expect(
      normalizeTopTrade(trade({ shipping_type: 'ems' }), { ...shop, platform: 'tmall' }).platformCarrier,
    ).toEqual({ carrier: 'EMS', source: 'tmall shipping_type ems' });
    for (const shippingType of ['express', 'free', undefined]) {
      expect(normalizeTopTrade(trade({ shipping_type: shippingType }), shop).platformCarrier).toBeUndefined();
    }
  });
});

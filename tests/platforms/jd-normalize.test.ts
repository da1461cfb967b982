import { describe, expect, it } from 'vitest';
import { parsePlatformJson } from '../../integrations/platforms/taobao/json.js';
import { amountDue } from '../../domain/order.js';
import {
  normalizeJdOrder,
  normalizeJdRefundApply,
  stripRegionPrefix,
} from '../../integrations/platforms/jd/normalize.js';
import { JdOrderSchema, JdRefundApplySchema } from '../../integrations/platforms/jd/wire.js';

// API-FACTS §17.3 verbatim.
const ORDER = `{
  "orderId": "298765432101",
  "venderId": "10001234",
  "orderType": "22",
  "payType": "4",
  "orderState": "WAIT_SELLER_STOCK_OUT",
  "orderStateRemark": "等待出库",
  "orderTotalPrice": "198.00",
  "orderSellerPrice": "183.00",
  "sellerDiscount": "15.00",
  "freightPrice": "0.00",
  "orderPayment": "178.00",
  "orderRemark": "请周末送货",
  "venderRemark": "已核对库存",
  "orderStartTime": "2026-03-01 10:15:02",
  "paymentConfirmTime": "2026-03-01 10:15:30",
  "orderEndTime": "0001-01-01 00:00:00",
  "modified": "2026-03-01 10:15:31",
  "pin": "jd_xxxxx",
  "consigneeInfo": {
    "fullname": "<encrypted>", "mobile": "<encrypted>", "telephone": "",
    "fullAddress": "<encrypted>", "province": "浙江", "city": "杭州市", "county": "西湖区", "town": "",
    "provinceId": "15", "cityId": "1213", "countyId": "3411", "townId": "0"
  },
  "itemInfoList": [
    {"skuId": "100012345678", "outerSkuId": "SKU-001-RED-M", "skuName": "纯棉T恤 红色 M",
     "jdPrice": "99.00", "itemTotal": "2", "wareId": "10001234567"}
  ],
  "couponDetailList": [{"skuId": "", "couponType": "100-店铺优惠", "couponPrice": "15.00"}],
  "waybill": "",
  "logisticsId": ""
}`;

const order = (overrides: Record<string, unknown> = {}) =>
  JdOrderSchema.parse({ ...(parsePlatformJson(ORDER) as Record<string, unknown>), ...overrides });
const shop = { shopId: 'shop-jd' };

describe('normalizeJdOrder on the §17.3 example', () => {
  const normalized = normalizeJdOrder(order(), shop);

  it('maps state, money and times', () => {
    expect(normalized).toMatchObject({
      platform: 'jd',
      platformOrderId: '298765432101',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      createdAt: '2026-03-01T02:15:02.000Z',
      paidAt: '2026-03-01T02:15:30.000Z',
      modifiedAt: '2026-03-01T02:15:31.000Z',
      amounts: { goodsFen: 19_800, discountFen: 1_500, shippingFen: 0, paidFen: 17_800 },
      buyer: { id: 'jd_xxxxx', nick: 'jd_xxxxx' },
      buyerRemark: '请周末送货',
      sellerMemo: '已核对库存',
    });
  });

  it('gives the short province its full name and keeps the encrypted consignee, protected', () => {
    expect(normalized.receiver).toEqual({
      name: '<encrypted>',
      phone: '<encrypted>',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '<encrypted>',
      protected: true,
    });
  });

  it('treats a plain consignee as unprotected', () => {
    const plain = normalizeJdOrder(
      order({
        consigneeInfo: {
          fullname: '张三',
          mobile: '13800001234',
          fullAddress: '浙江杭州市西湖区文三路100号',
          province: '浙江',
          city: '杭州市',
          county: '西湖区',
        },
      }),
      shop,
    );
    expect(plain.receiver).toMatchObject({ name: '张三', detail: '文三路100号', protected: false });
  });

  it('takes outerSkuId as the SKU code', () => {
    expect(normalized.lines).toEqual([
      {
        lineId: '100012345678',
        platformSkuId: '100012345678',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤 红色 M',
        quantity: 2,
        unitPriceFen: 9_900,
        discountFen: 0,
      },
    ]);
  });
});

describe('normalizeJdOrder edge cases', () => {
  it('marks a masked consignee with an oaid protected, and cuts the region off the full address', () => {
    const normalized = normalizeJdOrder(
      order({
        oaid: 'oaid-1',
        consigneeInfo: {
          fullname: '张*',
          mobile: '138****1234',
          fullAddress: '北京朝阳区望京街道望京街***',
          province: '北京',
          city: '朝阳区',
          county: '望京街道',
          town: '',
        },
      }),
      shop,
    );
    expect(normalized.receiver).toMatchObject({
      province: '北京市',
      city: '北京市',
      district: '朝阳区',
      town: '望京街道',
      detail: '望京街***',
      protected: true,
      addressHandle: 'oaid-1',
    });
  });

  it.each([
    ['WAIT_GOODS_RECEIVE_CONFIRM', 'shipped', 'none'],
    ['FINISHED_L', 'completed', 'none'],
    ['LOCKED', 'paid', 'requested'],
    ['TRADE_CANCELED', 'cancelled', 'refunded'],
  ])('maps %s to %s / %s', (orderState, status, refundStatus) => {
    const normalized = normalizeJdOrder(order({ orderState }), shop);
    expect(normalized.status).toBe(status);
    expect(normalized.refundStatus).toBe(refundStatus);
  });

  it('computes due from goods, the coupons JD lists and freight, not from what was paid', () => {
    // The example lists ¥15 of coupons but orderPayment is ¥178 of ¥198: ¥5 nobody explains is a
    // difference the payment audit must see, not a discount made up to hide it.
    const example = normalizeJdOrder(order(), shop);
    expect(amountDue(example.amounts) - example.amounts.paidFen).toBe(500);
    const paidInFull = normalizeJdOrder(order({ orderPayment: '183.00' }), shop);
    expect(amountDue(paidInFull.amounts)).toBe(paidInFull.amounts.paidFen);
  });

  it('counts every coupon type, sellerDiscount when none are listed, and the JD balance as paid', () => {
    const coupons = normalizeJdOrder(
      order({
        freightPrice: '8.00',
        orderPayment: '161.00',
        balanceUsed: '10.00',
        couponDetailList: [
          { skuId: '', couponType: '100-店铺优惠', couponPrice: '15.00' },
          { skuId: '', couponType: '41-京东券', couponPrice: '20.00' },
        ],
      }),
      shop,
    );
    expect(coupons.amounts).toEqual({
      goodsFen: 19_800,
      discountFen: 3_500,
      shippingFen: 800,
      paidFen: 17_100,
    });
    expect(amountDue(coupons.amounts)).toBe(coupons.amounts.paidFen);
    const noList = normalizeJdOrder(order({ couponDetailList: [] }), shop);
    expect(noList.amounts.discountFen).toBe(1_500);
  });

  it('puts per-SKU coupons on their line', () => {
    const normalized = normalizeJdOrder(
      order({
        couponDetailList: [{ skuId: '100012345678', couponType: '30-单品促销', couponPrice: '20.00' }],
      }),
      shop,
    );
    expect(normalized.lines[0]!.discountFen).toBe(2_000);
  });

  it('strips only the region names that lead the address', () => {
    expect(stripRegionPrefix('广东东莞市长安镇振安中路1号', ['广东', '东莞市', '长安镇', ''])).toBe(
      '振安中路1号',
    );
    expect(stripRegionPrefix('振安中路1号', ['广东', '东莞市'])).toBe('振安中路1号');
  });
});

describe('normalizeJdRefundApply', () => {
  it('maps a checked cancellation', () => {
    const apply = JdRefundApplySchema.parse({
      id: '5001',
      orderId: '298765432101',
      status: 3,
      applyRefundSum: 17800,
      applyTime: '2026-03-01 11:00:00',
      checkTime: '2026-03-01 12:00:00',
      reason: '不想要了',
    });
    expect(normalizeJdRefundApply(apply)).toEqual({
      platformRefundId: '5001',
      platformOrderId: '298765432101',
      status: 'refunded',
      kind: 'refund_only',
      amountMinor: 17_800,
      currency: 'CNY',
      reason: '不想要了',
      createdAt: '2026-03-01T03:00:00.000Z',
      modifiedAt: '2026-03-01T04:00:00.000Z',
    });
  });
});

describe('a carrier JD requires (idSopShipmenttype)', () => {
  it('sends 京配 and 京配自提 orders by JD, naming the field', () => {
    expect(normalizeJdOrder(order({ idSopShipmenttype: 68 }), shop).platformCarrier).toEqual({
      carrier: 'JD',
      source: 'jd idSopShipmenttype 68 (京配)',
    });
    expect(normalizeJdOrder(order({ idSopShipmenttype: '69' }), shop).platformCarrier).toEqual({
      carrier: 'JD',
      source: 'jd idSopShipmenttype 69 (京配自提)',
    });
  });

  it('asks for no carrier when the seller ships with their own (the §17.3 example has none)', () => {
    expect(normalizeJdOrder(order(), shop).platformCarrier).toBeUndefined();
    expect(normalizeJdOrder(order({ idSopShipmenttype: '70' }), shop).platformCarrier).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  DouyinAfterSaleSchema,
  DouyinOrderSchema,
  normalizeDouyinAfterSale,
  normalizeDouyinOrder,
  parseDouyinJson,
} from '../../integrations/platforms/douyin/index.js';

// API-FACTS §17.4, byte for byte except the truncated ciphertexts ("…") and the open_address_id.
const EXAMPLE = `{
  "order_id": "6936476692437472563",
  "order_level": 2,
  "order_status": 2,
  "order_status_desc": "备货中",
  "main_status": 2,
  "main_status_desc": "备货中",
  "order_type": 0,
  "trade_type": 0,
  "pay_type": 1,
  "b_type": 2,
  "create_time": 1772331302,
  "pay_time": 1772331330,
  "update_time": 1772331331,
  "exp_ship_time": 1772504131,
  "order_amount": 17800,
  "pay_amount": 17800,
  "post_amount": 0,
  "promotion_amount": 2000,
  "promotion_shop_amount": 1500,
  "promotion_platform_amount": 500,
  "buyer_words": "请周末送货",
  "seller_words": "已核对库存",
  "seller_remark_stars": 5,
  "doudian_open_id": "1@#VrtJKX59ewuPyvUhIKiAtxNZ0wt2BBDARCd6qdLm",
  "encrypt_post_receiver": "##qIOpbLPevlQwA6f+yNJ7Hg==*CgYIASAHKAESPgo8AezTGgA=#1##",
  "encrypt_post_tel": "$$KlqdO3S6/9vQsJesewp8R2oB==*CgYIASAHKAESPgo85MWGGgA=$1$$",
  "open_address_id": "#OdfQ5MRY8CwIUcAc4ZWxWTkylwttMX0FRCxV1IcXrXWStlVxgZcjnYPKIV",
  "post_addr": {
    "province": {"name": "福建省", "id": "35"},
    "city": {"name": "厦门市", "id": "350200"},
    "town": {"name": "思明区", "id": "350203"},
    "street": {"name": "莲前街道", "id": "350203010"},
    "encrypt_detail": "##i688Hg7Kf5y7JCzTAYaU==*CgYIASAHKAESPgo8VOu2GgA=#1##"
  },
  "sku_order_list": [
    {
      "order_id": "6936476692437472564",
      "parent_order_id": "6936476692437472563",
      "order_level": 3,
      "order_status": 2,
      "sku_id": 3410716076201730,
      "out_sku_id": "SKU-001-RED-M",
      "code": "SKU-001-RED-M",
      "product_id": 3660207428038974464,
      "out_product_id": "SPU-001",
      "product_name": "纯棉T恤",
      "spec": [{"name": "颜色", "value": "红色"}, {"name": "尺码", "value": "M"}],
      "item_num": 2,
      "origin_amount": 9900,
      "sum_amount": 19800,
      "pay_amount": 17800,
      "pre_sale_type": 0,
      "after_sale_info": {"after_sale_status": 0, "after_sale_type": 0, "refund_status": 0}
    }
  ],
  "logistics_info": []
}`;

const parseExample = (patch: (o: Record<string, unknown>) => void = () => {}) => {
  const raw = parseDouyinJson(EXAMPLE) as Record<string, unknown>;
  patch(raw);
  return DouyinOrderSchema.parse(raw);
};

describe('Douyin normalization (§17.4)', () => {
  it('maps the documented searchList element to our order', () => {
    const order = normalizeDouyinOrder(parseExample(), 'shop-dy');
    expect(order).toMatchObject({
      platform: 'douyin',
      shopId: 'shop-dy',
      platformOrderId: '6936476692437472563',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      createdAt: '2026-03-01T02:15:02.000Z',
      paidAt: '2026-03-01T02:15:30.000Z',
      modifiedAt: '2026-03-01T02:15:31.000Z',
      shipBy: '2026-03-03T02:15:31.000Z',
      currency: 'CNY',
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
      buyer: { id: '1@#VrtJKX59ewuPyvUhIKiAtxNZ0wt2BBDARCd6qdLm' },
      buyerRemark: '请周末送货',
      sellerMemo: '已核对库存',
      receiver: {
        name: '##qIOpbLPevlQwA6f+yNJ7Hg==*CgYIASAHKAESPgo8AezTGgA=#1##',
        phone: '$$KlqdO3S6/9vQsJesewp8R2oB==*CgYIASAHKAESPgo85MWGGgA=$1$$',
        country: 'CN',
        province: '福建省',
        city: '厦门市',
        district: '思明区',
        town: '莲前街道',
        detail: '##i688Hg7Kf5y7JCzTAYaU==*CgYIASAHKAESPgo8VOu2GgA=#1##',
        protected: true,
        addressHandle: '#OdfQ5MRY8CwIUcAc4ZWxWTkylwttMX0FRCxV1IcXrXWStlVxgZcjnYPKIV',
      },
      lines: [
        {
          lineId: '6936476692437472564',
          platformSkuId: '3410716076201730',
          skuCode: 'SKU-001-RED-M',
          title: '纯棉T恤 红色 M',
          quantity: 2,
          unitPriceFen: 9_900,
          discountFen: 2_000,
        },
      ],
    });
  });

  it('keeps 19-digit ids exact', () => {
    const raw = parseDouyinJson(EXAMPLE) as { sku_order_list: Array<{ product_id: unknown }> };
    expect(raw.sku_order_list[0]?.product_id).toBe('3660207428038974464');
    const order = normalizeDouyinOrder(
      parseExample((o) => {
        (o.sku_order_list as Array<Record<string, unknown>>)[0]!.sku_id = '1766013207428038975';
      }),
      's',
    );
    expect(order.lines[0]?.platformSkuId).toBe('1766013207428038975');
  });

  it('falls back to out_sku_id when the sku code is empty', () => {
    const order = normalizeDouyinOrder(
      parseExample((o) => {
        (o.sku_order_list as Array<Record<string, unknown>>)[0]!.code = '';
        (o.sku_order_list as Array<Record<string, unknown>>)[0]!.out_sku_id = 'OUT-7';
      }),
      's',
    );
    expect(order.lines[0]?.skuCode).toBe('OUT-7');
  });

  it.each([
    [1, 1, 'awaiting_payment', 'none'],
    [105, 105, 'awaiting_payment', 'none'],
    [2, 2, 'paid', 'none'],
    [101, 101, 'partially_shipped', 'none'],
    [3, 3, 'shipped', 'none'],
    [4, 4, 'cancelled', 'none'],
    [5, 5, 'completed', 'none'],
    [4, 21, 'cancelled', 'refunded'],
    [4, 22, 'completed', 'refunded'],
    [4, 39, 'completed', 'refunded'],
  ] as const)(
    'order_status %i / main_status %i → %s, refund %s',
    (orderStatus, mainStatus, status, refund) => {
      const order = normalizeDouyinOrder(
        parseExample((o) => {
          o.order_status = orderStatus;
          o.main_status = mainStatus;
        }),
        's',
      );
      expect([order.status, order.refundStatus]).toEqual([status, refund]);
      if (status === 'awaiting_payment') expect(order.amounts.paidFen).toBe(0);
    },
  );

  it('reads group-buy and deposit presale with its phases', () => {
    expect(
      normalizeDouyinOrder(
        parseExample((o) => (o.trade_type = 1)),
        's',
      ).type,
    ).toBe('group_buy');
    const presale = normalizeDouyinOrder(
      parseExample((o) => {
        o.trade_type = 2;
        o.order_status = 1;
        o.main_status = 103;
        o.order_phase_list = [
          {
            phase_order_id: '1',
            current_phase: 1,
            pay_success: true,
            phase_order_amount: 5_000,
            phase_pay_time: 1772331330,
          },
          {
            phase_order_id: '2',
            current_phase: 2,
            pay_success: false,
            phase_order_amount: 12_800,
            phase_open_time: 1772900000,
          },
        ];
      }),
      's',
    );
    expect(presale).toMatchObject({
      type: 'presale',
      status: 'deposit_paid',
      amounts: { paidFen: 5_000 },
      presale: {
        depositFen: 5_000,
        balanceFen: 12_800,
        depositPaidAt: '2026-03-01T02:15:30.000Z',
        balanceStartsAt: '2026-03-07T16:13:20.000Z',
      },
    });
    expect(
      normalizeDouyinOrder(
        parseExample((o) => (o.order_type = 1)),
        's',
      ).type,
    ).toBe('presale');
  });

  it('rolls sku refund states up: an open request wins', () => {
    const order = normalizeDouyinOrder(
      parseExample((o) => {
        (o.sku_order_list as Array<Record<string, unknown>>)[0]!.after_sale_info = { refund_status: 2 };
      }),
      's',
    );
    expect(order.refundStatus).toBe('requested');
  });

  it('holds only the sku order its after-sale names: each line carries its own state', () => {
    const twoSkus = (first: unknown, second: unknown) =>
      normalizeDouyinOrder(
        parseExample((o) => {
          const skus = o.sku_order_list as Array<Record<string, unknown>>;
          skus.push({ ...skus[0]!, order_id: '6936476692437472565', after_sale_info: second });
          skus[0]!.after_sale_info = first;
        }),
        's',
      );
    const none = { after_sale_status: 0, after_sale_type: 0, refund_status: 0 };
    const asked = twoSkus(none, { after_sale_status: 6, after_sale_type: 2, refund_status: 1 });
    expect(asked.lines.map((l) => l.refundStatus)).toEqual(['none', 'requested']);
    expect(asked.refundStatus).toBe('requested');
    expect(
      twoSkus(none, { after_sale_status: 12, after_sale_type: 2, refund_status: 3 }).lines.map(
        (l) => l.refundStatus,
      ),
    ).toEqual(['none', 'refunded']);
    // Refused by the seller, or withdrawn (售后失败): the line ships again.
    expect(
      twoSkus(none, { after_sale_status: 27, after_sale_type: 2, refund_status: 4 }).lines[1]!.refundStatus,
    ).toBe('refused');
    expect(
      twoSkus(none, { after_sale_status: 28, after_sale_type: 2, refund_status: 0 }).lines[1]!.refundStatus,
    ).toBe('closed');
    // An exchange moves no money: its line is not a refund.
    expect(
      twoSkus(none, { after_sale_status: 6, after_sale_type: 3, refund_status: 0 }).lines[1]!.refundStatus,
    ).toBe('none');
    // No sku order says anything: the order-level state stays every line's.
    expect(twoSkus(undefined, undefined).lines.map((l) => l.refundStatus)).toEqual([undefined, undefined]);
  });

  it('maps an after-sale case', () => {
    const refund = normalizeDouyinAfterSale(
      DouyinAfterSaleSchema.parse(
        parseDouyinJson(`{"aftersale_info":{"aftersale_id":"7123456789012345678","aftersale_type":0,
          "aftersale_status":11,"related_id":6936476692437472563,"apply_time":1772331400,"update_time":1772331500,
          "refund_amount":8900,"refund_post_amount":0,"refund_status":1},
          "order_info":{"shop_order_id":"6936476692437472563","related_order_info":[{"sku_order_id":"6936476692437472564"}]},
          "text_part":{"reason_text":"尺码不合适"}}`),
      ),
    );
    expect(refund).toEqual({
      platformRefundId: '7123456789012345678',
      platformOrderId: '6936476692437472563',
      status: 'returning',
      kind: 'return_and_refund',
      amountMinor: 8_900,
      currency: 'CNY',
      reason: '尺码不合适',
      lineIds: ['6936476692437472564'],
      createdAt: '2026-03-01T02:16:40.000Z',
      modifiedAt: '2026-03-01T02:18:20.000Z',
    });
  });
});

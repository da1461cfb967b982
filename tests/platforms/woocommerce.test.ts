import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import {
  WooOrderSchema,
  createWooCommerceAdapter,
  normalizeWooOrder,
  wooCommerceWebhookParser,
  wooStatus,
  wooWebhookSignature,
} from '../../integrations/platforms/woocommerce/index.js';
import type { WooAddress } from '../../integrations/platforms/woocommerce/wire.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { validateChineseAddress } from '../../domain/regions/index.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderWooPing,
  renderWooWebhook,
  wooCommerceSimulator,
  wooSimSignature,
} from '../../sandbox/platforms/woocommerce/index.js';
import { renderWooOrder } from '../../sandbox/platforms/woocommerce/render.js';

// API-FACTS §18.2 vector #9 (shared with Shopify).
const VECTOR_9_BODY = '{"id":820982911946154508,"name":"#1001"}';
const VECTOR_9 = 'uW+cWyvqk8j3d+4fTNATtAaJshs7iMFSwdo5HotZFtU=';

// API-FACTS §17.8.
const EXAMPLE = `{
  "id": 727, "parent_id": 0, "number": "727", "order_key": "wc_order_58d2d042d1d", "status": "processing", "currency": "CNY",
  "date_created": "2026-03-01T10:15:02", "date_created_gmt": "2026-03-01T02:15:02",
  "date_modified": "2026-03-01T10:15:05", "date_modified_gmt": "2026-03-01T02:15:05",
  "date_paid": "2026-03-01T10:15:05",
  "discount_total": "20.00", "shipping_total": "0.00", "total_tax": "0.00", "total": "178.00",
  "customer_id": 0, "customer_note": "请周末送货",
  "billing": {"first_name": "三", "last_name": "张", "address_1": "文三路100号", "address_2": "", "city": "杭州市",
              "state": "ZJ", "postcode": "310000", "country": "CN", "email": "buyer@example.com", "phone": "13800001234"},
  "shipping": {"first_name": "三", "last_name": "张", "address_1": "文三路100号", "address_2": "", "city": "杭州市",
               "state": "ZJ", "postcode": "310000", "country": "CN"},
  "payment_method": "alipay", "transaction_id": "2026030122001400001234567890",
  "line_items": [{"id": 315, "name": "纯棉T恤 - 红色, M", "product_id": 93, "variation_id": 101, "quantity": 2,
                  "subtotal": "198.00", "total": "178.00", "total_tax": "0.00", "sku": "SKU-001-RED-M", "price": 89, "meta_data": []}],
  "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": [], "meta_data": []
}`;

const secrets = { appKey: 'ck', appSecret: 'cs', webhookSecret: 'shpss_test' };
const shop = { shopId: 'shop-woo', platformShopId: 'https://shop.example.com' };

describe('WooCommerce signing (§18.2 #9) and webhooks', () => {
  it('computes vector #9 in the adapter and the simulator', () => {
    expect(wooWebhookSignature('shpss_test', VECTOR_9_BODY)).toBe(VECTOR_9);
    expect(wooSimSignature('shpss_test', VECTOR_9_BODY)).toBe(VECTOR_9);
    const sim = renderWooWebhook(
      { secret: 'shpss_test', sourceUrl: 'https://shop.example.com', webhookId: 1 },
      simOrder(),
      'order.created',
    );
    expect(sim.headers['x-wc-webhook-signature']).toBe(wooSimSignature('shpss_test', sim.body));
    expect(sim.headers['x-wc-webhook-signature']).toBe(wooWebhookSignature('shpss_test', sim.body));
  });

  it('verifies vector #9 and rejects forged or missing signatures', () => {
    const request = (signature: string | undefined) => ({
      headers: { 'x-wc-webhook-signature': signature, 'x-wc-webhook-topic': 'product.updated' },
      rawBody: Buffer.from(VECTOR_9_BODY),
      url: '',
    });
    expect(wooCommerceWebhookParser.parse(request(VECTOR_9), secrets, shop)).toEqual([
      { kind: 'ignored', reason: 'woocommerce topic product.updated is not handled' },
    ]);
    expect(() => wooCommerceWebhookParser.parse(request('AAAA' + VECTOR_9.slice(4)), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    expect(() => wooCommerceWebhookParser.parse(request(undefined), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });

  it('acknowledges the creation ping and turns order.created into the whole order', () => {
    const ping = renderWooPing(42);
    expect(
      wooCommerceWebhookParser.parse(
        { headers: ping.headers, rawBody: Buffer.from(ping.body), url: '' },
        secrets,
        shop,
      ),
    ).toEqual([{ kind: 'ignored', reason: 'woocommerce ping (webhook_id=42)' }]);
    const sim = simOrder();
    const push = renderWooWebhook(
      { secret: 'shpss_test', sourceUrl: 'https://shop.example.com', webhookId: 1 },
      sim,
      'order.created',
    );
    expect(
      wooCommerceWebhookParser.parse(
        { headers: push.headers, rawBody: Buffer.from(push.body), url: '' },
        secrets,
        shop,
      ),
    ).toEqual([
      {
        kind: 'order',
        order: expect.objectContaining({ platformOrderId: sim.id, status: 'paid', shopId: 'shop-woo' }),
      },
    ]);
  });

  it('refuses a signed push whose amount is not a number as invalid data, naming the field', () => {
    const real = renderWooWebhook(
      { secret: 'shpss_test', sourceUrl: 'https://shop.example.com', webhookId: 1 },
      simOrder(),
      'order.created',
    );
    const body = JSON.stringify({ ...JSON.parse(real.body), total_tax: '1e309' });
    const headers = { ...real.headers, 'x-wc-webhook-signature': wooSimSignature('shpss_test', body) };
    const parse = () =>
      wooCommerceWebhookParser.parse({ headers, rawBody: Buffer.from(body), url: '' }, secrets, shop);
    expect(parse).toThrow(/total_tax[\s\S]*must be a decimal amount/);
  });
});

describe('WooCommerce normalization (§17.8)', () => {
  it('maps the documented order', () => {
    expect(normalizeWooOrder(WooOrderSchema.parse(JSON.parse(EXAMPLE)), 'shop-woo')).toMatchObject({
      platform: 'woocommerce',
      platformOrderId: '727',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      currency: 'CNY',
      createdAt: '2026-03-01T02:15:02.000Z',
      modifiedAt: '2026-03-01T02:15:05.000Z',
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
      buyer: { id: 'buyer@example.com', nick: 'buyer@example.com' },
      buyerRemark: '请周末送货',
      // "ZJ" as the documented example has it (WooCommerce itself sends CN12); no district named.
      receiver: {
        name: '张三',
        phone: '13800001234',
        country: 'CN',
        province: '浙江省',
        city: '杭州市',
        district: '',
        detail: '文三路100号',
        postalCode: '310000',
        protected: false,
      },
      lines: [
        {
          lineId: '315',
          platformSkuId: '101',
          skuCode: 'SKU-001-RED-M',
          title: '纯棉T恤 - 红色, M',
          quantity: 2,
          unitPriceFen: 9_900,
          discountFen: 2_000,
        },
      ],
    });
  });

  it.each([
    ['pending', 'awaiting_payment'],
    ['on-hold', 'awaiting_payment'],
    ['failed', 'awaiting_payment'],
    ['processing', 'paid'],
    ['completed', 'shipped'],
    ['cancelled', 'cancelled'],
    ['refunded', 'cancelled'],
  ])('%s → %s', (woo, ours) => expect(wooStatus(woo)).toBe(ours));
});

describe('WooCommerce Chinese receivers: CN1…CN32 states, the district from the address lines', () => {
  const example = WooOrderSchema.parse(JSON.parse(EXAMPLE));
  const shippedTo = (shipping: Partial<WooAddress>) =>
    normalizeWooOrder({ ...example, shipping: { ...example.shipping!, ...shipping } }, 'shop-woo').receiver;

  it.each([
    // state, city, address_1, address_2 → province, city, district
    ['CN12', '杭州市', '西湖区文三路100号', '', '浙江省', '杭州市', '西湖区'],
    ['CN12', '杭州', '西湖文三路100号', '', '浙江省', '杭州市', '西湖区'],
    ['CN11', 'Suzhou', '江苏省苏州市姑苏区干将东路1号', '', '江苏省', '苏州市', '姑苏区'],
    ['CN2', '北京市', '朝阳区望京街10号', '', '北京市', '北京市', '朝阳区'],
    ['CN10', '上海市浦东新区', '世纪大道100号', '', '上海市', '上海市', '浦东新区'],
    ['CN23', '重庆', '渝中民族路1号', '', '重庆市', '重庆市', '渝中区'],
    ['CN18', '仙桃市', '沙嘴街道仙桃大道1号', '', '湖北省', '仙桃市', ''],
    ['CN22', '琼海市', '嘉积镇金海路1号', '', '海南省', '琼海市', ''],
    ['CN20', '东莞市', '长安镇长安振安中路1号', '', '广东省', '东莞市', ''],
    ['CN12', '金华市', '义乌市稠城街道工人北路1号', '', '浙江省', '金华市', '义乌市'],
    ['CN32', '乌鲁木齐', '解放南路1号', '天山区', '新疆维吾尔自治区', '乌鲁木齐市', '天山区'],
    ['CN21', '南宁市', '青秀区民族大道1号', '', '广西壮族自治区', '南宁市', '青秀区'],
    ['CN12', '杭州市', '文三路100号', '', '浙江省', '杭州市', ''],
  ])('%s %s %s %s → %s %s %s', (state, city, address_1, address_2, ...expected) => {
    const r = shippedTo({ state, city, address_1, address_2 });
    expect([r.province, r.city, r.district]).toEqual(expected);
    expect(r.detail).toBe([address_1, address_2].filter(Boolean).join(' '));
  });

  it('holds an address whose lines name no district, saying so, and keeps other countries as sent', () => {
    const missing = validateChineseAddress(shippedTo({ state: 'CN12', address_1: '文三路100号' }));
    expect(missing.problems.map((p) => `${p.field} ${p.problem}`)).toEqual([
      'district is missing and could not be found in the address lines (a district of 杭州市)',
    ]);
    expect(
      shippedTo({
        country: 'US',
        state: 'CA',
        city: 'Los Angeles',
        address_1: '1234 Sunset Blvd',
        postcode: '90028',
      }),
    ).toMatchObject({
      country: 'US',
      province: 'CA',
      city: 'Los Angeles',
      district: '',
      detail: '1234 Sunset Blvd',
    });
  });

  it('the simulator sends the state code and the district inside address_1 or the city', () => {
    for (const [province, city, district, state] of [
      ['浙江省', '杭州市', '西湖区', 'CN12'],
      ['北京市', '北京市', '海淀区', 'CN2'],
      ['河南省', '济源市', '', 'CN17'],
    ] as const) {
      const sim = simOrder({
        receiver: { ...simOrder().receiver, province, city, district, town: '沁园街道' },
      });
      const rendered = renderWooOrder(sim).shipping;
      expect(rendered).not.toHaveProperty('district');
      expect(rendered.state).toBe(state);
      const r = normalizeWooOrder(
        WooOrderSchema.parse(JSON.parse(JSON.stringify(renderWooOrder(sim)))),
        'x',
      ).receiver;
      expect([r.province, r.city, r.district]).toEqual([province, city, district]);
      expect(validateChineseAddress(r).ok).toBe(true);
    }
  });
});

const SITE = 'shop.example.com';
const KEY = { consumerKey: 'ck_test', consumerSecret: 'cs_test', shopKey: SITE };
let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    id: String(700 + seq),
    shopKey: SITE,
    status: 'paid',
    type: 'normal',
    createdAt: new Date('2026-03-01T02:15:02Z'),
    paidAt: new Date('2026-03-01T02:15:05Z'),
    modifiedAt: new Date('2026-03-01T02:15:05Z'),
    currency: 'CNY',
    items: [
      {
        lineId: String(300 + seq),
        platformSkuId: '93',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        spec: '红色, M',
        quantity: 2,
        unitPriceMinor: 9_900,
        discountMinor: 2_000,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 17_800,
    buyer: { id: '12', nick: 'zhang' },
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路100号',
      postalCode: '310000',
    },
    buyerRemark: '请周末送货',
    ...overrides,
  };
}

describe('WooCommerce adapter against the simulator', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  const store = new SimOrderStore();
  const faults = new FaultPlan();

  beforeAll(async () => {
    app = Fastify();
    await app.register(wooCommerceSimulator, { store, keys: [KEY], faults });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => app.close());
  beforeEach(() => faults.clear());

  const adapter = (overrides: Partial<AdapterContext> = {}) =>
    createWooCommerceAdapter({
      shopId: 'shop-woo',
      platformShopId: SITE,
      baseUrl,
      credentials: { appKey: KEY.consumerKey, appSecret: KEY.consumerSecret },
      ...overrides,
    });
  const window = (fromMs: number, toMs: number, cursor?: string | null) => ({
    from: new Date(fromMs),
    to: new Date(toMs),
    ...(cursor !== undefined ? { cursor } : {}),
  });

  it('lists a window across X-WP-TotalPages pages, reading from the last page back', async () => {
    const base = Date.parse('2026-03-02T00:00:00Z');
    const created = Array.from({ length: 250 }, (_, i) =>
      simOrder({ id: String(10_000 + i), modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await adapter().listOrders(window(base, base + 250_000, cursor));
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(created.map((o) => o.id).sort());
  });

  it('ships: meta and a customer note record the tracking, the order is completed (shipped); retries are fine', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const woo = adapter();
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'YTO' as const,
      trackingNumber: 'YT1234567890123',
      shippedAt: new Date('2026-03-02T08:00:00Z'),
    };
    await woo.confirmShipment(confirmation);
    expect((await woo.getOrder(sim.id)).status).toBe('shipped');
    expect(store.get(SITE, sim.id)?.shipment).toMatchObject({
      carrierCode: 'YTO',
      trackingNumber: 'YT1234567890123',
    });
    const notes = (await (
      await fetch(`${baseUrl}/wp-json/wc/v3/orders/${sim.id}/notes`, {
        headers: { authorization: `Basic ${Buffer.from('ck_test:cs_test').toString('base64')}` },
      })
    ).json()) as Array<{ note: string; customer_note: boolean }>;
    expect(notes).toEqual([
      expect.objectContaining({
        note: 'Shipped with YTO Express, tracking number YT1234567890123.',
        customer_note: true,
      }),
    ]);
    await woo.confirmShipment(confirmation);
    await expect(woo.confirmShipment({ ...confirmation, trackingNumber: 'YT999' })).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
  });

  it('lists refunds from refunds[] of orders modified in the window', async () => {
    const at = new Date('2026-03-05T00:00:00Z');
    const sim = simOrder({
      status: 'cancelled',
      modifiedAt: at,
      refund: {
        id: '812',
        status: 'refunded',
        kind: 'refund_only',
        amountMinor: 17_800,
        reason: '买错了',
        createdAt: at,
        modifiedAt: at,
      },
    });
    store.upsert(sim);
    const page = await adapter().listRefunds(window(at.getTime() - 60_000, at.getTime() + 60_000));
    expect(page.refunds).toEqual([
      {
        platformRefundId: '812',
        platformOrderId: sim.id,
        status: 'refunded',
        kind: 'refund_only',
        amountMinor: 17_800,
        currency: 'CNY',
        reason: '买错了',
        createdAt: at.toISOString(),
        modifiedAt: at.toISOString(),
      },
    ]);
    expect((await adapter().getOrder(sim.id)).refundStatus).toBe('refunded');
  });

  it('rejects bad keys, and surfaces 429 and 5xx', async () => {
    await expect(
      adapter({ credentials: { appKey: 'ck_test', appSecret: 'forged' } }).getOrder('701'),
    ).rejects.toBeInstanceOf(AuthError);
    faults.fail('order', 429, 1, 5);
    const limited = await adapter()
      .getOrder('701')
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(5_000);
    faults.fail('order', 500);
    await expect(adapter().getOrder('701')).rejects.toBeInstanceOf(TransientPlatformError);
  });
});

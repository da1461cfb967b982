import Fastify, { type FastifyInstance } from 'fastify';
import { stringify } from 'lossless-json';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import {
  ShopifyOrderSchema,
  createShopifyAdapter,
  normalizeShopifyOrder,
  parseShopifyJson,
  shopifyStatus,
  shopifyWebhookHmac,
  shopifyWebhookId,
  shopifyWebhookParser,
} from '../../integrations/platforms/shopify/index.js';
import type { ShopifyAddress } from '../../integrations/platforms/shopify/wire.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { validateChineseAddress } from '../../domain/regions/index.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderShopifyWebhook,
  shopifySimHmac,
  shopifySimulator,
} from '../../sandbox/platforms/shopify/index.js';
import { renderShopifyOrder } from '../../sandbox/platforms/shopify/render.js';

// API-FACTS §18.2 vector #9 (shared with WooCommerce).
const VECTOR_9_BODY = '{"id":820982911946154508,"name":"#1001"}';
const VECTOR_9 = 'uW+cWyvqk8j3d+4fTNATtAaJshs7iMFSwdo5HotZFtU=';

// API-FACTS §17.7.
const EXAMPLE = `{
  "id": 5821000000001, "name": "#1001", "order_number": 1001, "email": "buyer@example.com",
  "created_at": "2026-03-01T10:15:02+08:00", "updated_at": "2026-03-01T10:15:05+08:00",
  "currency": "CNY", "financial_status": "paid", "fulfillment_status": null,
  "subtotal_price": "198.00", "total_discounts": "20.00", "total_tax": "0.00", "total_price": "178.00",
  "total_shipping_price_set": {"shop_money": {"amount": "0.00", "currency_code": "CNY"}, "presentment_money": {"amount": "0.00", "currency_code": "CNY"}},
  "note": "请周末送货", "tags": "",
  "line_items": [{"id": 13000000001, "product_id": 8000000001, "variant_id": 45000000001, "sku": "SKU-001-RED-M",
                  "title": "纯棉T恤", "variant_title": "红色 / M", "quantity": 2, "price": "99.00"}],
  "shipping_address": {"first_name": "三", "last_name": "张", "address1": "文三路100号", "city": "杭州市",
                       "province": "Zhejiang", "country": "China", "country_code": "CN", "zip": "310000", "phone": "+8613800001234"},
  "shipping_lines": [{"title": "Standard", "price": "0.00"}]
}`;

describe('Shopify signing (§18.2 #9) and webhooks', () => {
  const secrets = { appKey: 'key', appSecret: 'shpss_test' };
  const shop = { shopId: 'shop-shopify', platformShopId: 'demo.myshopify.com' };

  it('computes vector #9 in the adapter and the simulator', () => {
    expect(shopifyWebhookHmac('shpss_test', VECTOR_9_BODY)).toBe(VECTOR_9);
    expect(shopifySimHmac('shpss_test', VECTOR_9_BODY)).toBe(VECTOR_9);
    const sim = renderShopifyWebhook(
      { secret: 'shpss_test', shopDomain: 'demo.myshopify.com' },
      simOrder(),
      'orders/create',
    );
    // The delivery the simulator sends is signed by its own function, and the adapter agrees.
    expect(sim.headers['x-shopify-hmac-sha256']).toBe(shopifySimHmac('shpss_test', sim.body));
    expect(sim.headers['x-shopify-hmac-sha256']).toBe(shopifyWebhookHmac('shpss_test', sim.body));
  });

  it('verifies vector #9 over the raw bytes and rejects forged or missing signatures', () => {
    const request = (hmac: string | undefined, topic = 'shop/update') => ({
      headers: { 'x-shopify-hmac-sha256': hmac, 'x-shopify-topic': topic, 'x-shopify-webhook-id': 'w-1' },
      rawBody: Buffer.from(VECTOR_9_BODY),
      url: '',
    });
    expect(shopifyWebhookParser.parse(request(VECTOR_9), secrets, shop)).toEqual([
      { kind: 'ignored', reason: 'shopify topic shop/update is not handled' },
    ]);
    expect(shopifyWebhookId(request(VECTOR_9))).toBe('w-1');
    expect(() =>
      shopifyWebhookParser.parse(request('uW+cWyvqk8j3d+4fTNATtAaJshs7iMFSwdo5HotZFtA='), secrets, shop),
    ).toThrow(WebhookSignatureError);
    expect(() => shopifyWebhookParser.parse(request(undefined), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });

  it('turns orders/create into the whole order, ids exact', () => {
    const sim = simOrder({ id: '820982911946154508' });
    const push = renderShopifyWebhook(
      { secret: 'shpss_test', shopDomain: 'demo.myshopify.com' },
      sim,
      'orders/create',
    );
    const [event] = shopifyWebhookParser.parse(
      { headers: push.headers, rawBody: Buffer.from(push.body), url: '' },
      secrets,
      shop,
    );
    expect(event).toMatchObject({
      kind: 'order',
      order: { platformOrderId: '820982911946154508', status: 'paid', shopId: 'shop-shopify' },
    });
  });

  it('refuses a signed push whose amount is not a number as invalid data, naming the field', () => {
    const body = JSON.stringify({
      ...JSON.parse(
        renderShopifyWebhook(
          { secret: 'shpss_test', shopDomain: 'demo.myshopify.com' },
          simOrder(),
          'orders/create',
        ).body,
      ),
      total_tax: "' OR 1=1 --",
    });
    const headers = {
      'x-shopify-topic': 'orders/create',
      'x-shopify-hmac-sha256': shopifySimHmac('shpss_test', body),
    };
    const parse = () =>
      shopifyWebhookParser.parse({ headers, rawBody: Buffer.from(body), url: '' }, secrets, shop);
    expect(parse).toThrow(/total_tax[\s\S]*must be a decimal amount/);
  });
});

describe('Shopify normalization (§17.7)', () => {
  it('maps the documented webhook body', () => {
    expect(
      normalizeShopifyOrder(ShopifyOrderSchema.parse(parseShopifyJson(EXAMPLE)), 'shop-shopify'),
    ).toMatchObject({
      platform: 'shopify',
      platformOrderId: '5821000000001',
      status: 'paid',
      refundStatus: 'none',
      type: 'normal',
      currency: 'CNY',
      createdAt: '2026-03-01T02:15:02.000Z',
      modifiedAt: '2026-03-01T02:15:05.000Z',
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
      buyer: { id: 'buyer@example.com', nick: 'buyer@example.com' },
      buyerRemark: '请周末送货',
      // The documented body names no district anywhere: nothing to find, so the address check will
      // hold it for a person.
      receiver: {
        name: '张三',
        phone: '+8613800001234',
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
          lineId: '13000000001',
          platformSkuId: '45000000001',
          skuCode: 'SKU-001-RED-M',
          title: '纯棉T恤 红色 / M',
          quantity: 2,
          unitPriceFen: 9_900,
          discountFen: 0,
        },
      ],
    });
  });

  it.each([
    [{ financial_status: 'pending' }, 'awaiting_payment', 'none'],
    [{ financial_status: 'authorized' }, 'paid', 'none'],
    [{ financial_status: 'paid', fulfillment_status: 'partial' }, 'partially_shipped', 'none'],
    [{ financial_status: 'paid', fulfillment_status: 'fulfilled' }, 'shipped', 'none'],
    [
      { financial_status: 'paid', fulfillment_status: 'fulfilled', closed_at: '2026-03-09T00:00:00Z' },
      'completed',
      'none',
    ],
    [{ financial_status: 'partially_refunded', fulfillment_status: 'fulfilled' }, 'shipped', 'refunded'],
    [{ financial_status: 'refunded', cancelled_at: '2026-03-02T00:00:00Z' }, 'cancelled', 'refunded'],
    [{ financial_status: 'voided' }, 'cancelled', 'none'],
  ])('%o → %s / %s', (fields, status, refund) => {
    expect(
      shopifyStatus({ cancelled_at: null, closed_at: null, fulfillment_status: null, ...fields }),
    ).toEqual({ status, refund });
  });
});

describe('Shopify Chinese receivers: the district from the address lines or the city', () => {
  const example = ShopifyOrderSchema.parse(parseShopifyJson(EXAMPLE));
  const receiver = (address: Partial<ShopifyAddress>) =>
    normalizeShopifyOrder(
      { ...example, shipping_address: { ...example.shipping_address!, ...address } },
      'shop-shopify',
    ).receiver;

  const cases: Array<[string, Partial<ShopifyAddress>, string[]]> = [
    [
      'the district leads address1',
      { province: 'Zhejiang', province_code: 'ZJ', city: '杭州市', address1: '西湖区文三路100号' },
      ['浙江省', '杭州市', '西湖区'],
    ],
    [
      'the whole address in address1, the city in pinyin',
      {
        province: 'Zhejiang',
        province_code: 'ZJ',
        city: 'Hangzhou',
        address1: '浙江省杭州市西湖区文三路100号',
      },
      ['浙江省', '杭州市', '西湖区'],
    ],
    [
      'the district after the city, its short name',
      { province: 'Zhejiang', province_code: 'ZJ', city: '杭州西湖', address1: '文三路100号' },
      ['浙江省', '杭州市', '西湖区'],
    ],
    [
      '直辖市 with the district in address2',
      { province: 'Beijing', province_code: 'BJ', city: '北京', address1: '望京街10号', address2: '朝阳区' },
      ['北京市', '北京市', '朝阳区'],
    ],
    [
      'a 县级市 as the city',
      { province: 'Zhejiang', province_code: 'ZJ', city: '义乌市', address1: '稠城街道工人北路1号' },
      ['浙江省', '金华市', '义乌市'],
    ],
    [
      '省直辖县: no district level',
      { province: 'Henan', province_code: 'HA', city: '济源市', address1: '沁园街道济源大道1号' },
      ['河南省', '济源市', ''],
    ],
    [
      "Xizang by Shopify's own code YZ",
      { province: 'Xizang', province_code: 'YZ', city: '拉萨市', address1: '城关区北京中路1号' },
      ['西藏自治区', '拉萨市', '城关区'],
    ],
    [
      'a road named like a district is no district',
      { province: 'Zhejiang', province_code: 'ZJ', city: '杭州市', address1: '西湖大道1号' },
      ['浙江省', '杭州市', ''],
    ],
  ];
  it.each(cases)('%s', (_case, address, [province, city, district]) => {
    const r = receiver(address);
    expect([r.province, r.city, r.district]).toEqual([province, city, district]);
    expect(r.detail).toBe([address.address1, address.address2].filter(Boolean).join(' '));
  });

  it('passes the address check once resolved; without a district says it is not in the address lines', () => {
    expect(validateChineseAddress(receiver({ address1: '西湖区文三路100号' })).ok).toBe(true);
    expect(validateChineseAddress(receiver({ address1: '文三路100号' })).problems).toEqual([
      {
        field: 'district',
        code: 'missing',
        problem: 'is missing and could not be found in the address lines (a district of 杭州市)',
      },
    ]);
  });

  it('keeps receivers outside mainland China as sent', () => {
    expect(
      receiver({
        country: 'United States',
        country_code: 'US',
        province: 'California',
        province_code: 'CA',
        city: 'Los Angeles',
        address1: '1234 Sunset Blvd',
        address2: 'Apt 5',
        zip: '90028',
      }),
    ).toMatchObject({
      country: 'US',
      province: 'California',
      city: 'Los Angeles',
      district: '',
      detail: '1234 Sunset Blvd Apt 5',
    });
  });

  it('the simulator writes the district into address1 or the city, as buyers do, and it comes back', () => {
    const styles = new Set<string>();
    for (const id of ['5821000000101', '5821000000102', '5821000000103']) {
      const sim = simOrder({ id });
      const rendered = renderShopifyOrder(sim).shipping_address;
      expect(rendered).not.toHaveProperty('district');
      expect(rendered).toMatchObject({ province: 'Zhejiang', province_code: 'ZJ', country: 'China' });
      expect(`${rendered.city}${rendered.address1}`).toContain('西湖区');
      styles.add(
        rendered.city.includes('西湖区') ? 'city' : rendered.address1.startsWith('西湖区') ? 'line' : 'full',
      );
      const parsed = ShopifyOrderSchema.parse(parseShopifyJson(stringify(renderShopifyOrder(sim))!));
      expect(normalizeShopifyOrder(parsed, 'shop-shopify').receiver).toMatchObject({
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
      });
    }
    expect(styles).toEqual(new Set(['city', 'line', 'full']));
  });
});

const SHOP = 'demo.myshopify.com';
const TOKEN = 'shpat_test_token';
let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const id = String(5821000000000 + seq * 10);
  return {
    id,
    shopKey: SHOP,
    status: 'paid',
    type: 'normal',
    createdAt: new Date('2026-03-01T02:15:02Z'),
    paidAt: new Date('2026-03-01T02:15:05Z'),
    modifiedAt: new Date('2026-03-01T02:15:05Z'),
    currency: 'CNY',
    items: [
      {
        lineId: String(13000000000 + seq * 10),
        platformSkuId: '45000000001',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        spec: '红色 / M',
        quantity: 2,
        unitPriceMinor: 9_900,
        discountMinor: 2_000,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 17_800,
    buyer: { id: '7000000001', nick: '张三' },
    receiver: {
      name: '张三',
      phone: '+8613800001234',
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

describe('Shopify adapter against the simulator', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  const store = new SimOrderStore();
  const faults = new FaultPlan();

  beforeAll(async () => {
    app = Fastify();
    await app.register(shopifySimulator, {
      store,
      tokens: { [TOKEN]: SHOP },
      faults,
      bucket: { size: 1000, perSecond: 1000 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => app.close());
  beforeEach(() => faults.clear());

  const adapter = (overrides: Partial<AdapterContext> = {}) =>
    createShopifyAdapter({
      shopId: 'shop-shopify',
      platformShopId: SHOP,
      baseUrl,
      credentials: { appKey: 'k', appSecret: 'shpss_test', accessToken: TOKEN },
      ...overrides,
    });
  const window = (fromMs: number, toMs: number, cursor?: string | null) => ({
    from: new Date(fromMs),
    to: new Date(toMs),
    ...(cursor !== undefined ? { cursor } : {}),
  });

  it('lists a window across Link-header pages', async () => {
    const base = Date.parse('2026-03-02T00:00:00Z');
    const created = Array.from({ length: 600 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await adapter().listOrders(window(base, base + 600_000, cursor));
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(created.map((o) => o.id).sort());
  });

  it('fulfils through fulfillment orders: the order shows shipped; a retry is fine', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const shopify = adapter();
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890123',
      shippedAt: new Date(),
    };
    await shopify.confirmShipment(confirmation);
    expect(store.get(SHOP, sim.id)?.shipment).toMatchObject({
      carrierCode: 'SF Express',
      trackingNumber: 'SF1234567890123',
    });
    expect((await shopify.getOrder(sim.id)).status).toBe('shipped');
    await shopify.confirmShipment(confirmation);
    await expect(
      shopify.confirmShipment({ ...confirmation, trackingNumber: 'SF999' }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('lists refunds made in a window', async () => {
    const at = new Date('2026-03-04T03:00:00Z');
    const sim = simOrder({
      status: 'shipped',
      modifiedAt: at,
      refund: {
        id: '990000000001',
        status: 'refunded',
        kind: 'return_and_refund',
        amountMinor: 8_900,
        reason: 'too small',
        createdAt: at,
        modifiedAt: at,
      },
    });
    store.upsert(sim);
    const page = await adapter().listRefunds(window(at.getTime() - 60_000, at.getTime() + 60_000));
    expect(page.refunds).toEqual([
      {
        platformRefundId: '990000000001',
        platformOrderId: sim.id,
        status: 'refunded',
        kind: 'return_and_refund',
        amountMinor: 8_900,
        currency: 'CNY',
        reason: 'too small',
        lineIds: [sim.items[0]!.lineId],
        createdAt: at.toISOString(),
        modifiedAt: at.toISOString(),
      },
    ]);
  });

  it('rejects a bad token, and surfaces 429 and 5xx', async () => {
    await expect(
      adapter({ credentials: { appKey: 'k', appSecret: 's', accessToken: 'shpat_forged' } }).getOrder('1'),
    ).rejects.toBeInstanceOf(AuthError);
    faults.fail('order', 429, 1, 2);
    const limited = await adapter()
      .getOrder('1')
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(2_000);
    faults.fail('order', 502);
    await expect(adapter().getOrder('1')).rejects.toBeInstanceOf(TransientPlatformError);
    await expect(adapter().listOrders(window(0, 40 * 86_400_000))).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
  });
});

describe('Shopify split parcels: fulfillment-order line items by quantity (simulator over HTTP)', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  const store = new SimOrderStore();

  beforeAll(async () => {
    app = Fastify();
    await app.register(shopifySimulator, {
      store,
      tokens: { [TOKEN]: SHOP },
      bucket: { size: 1000, perSecond: 1000 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => app.close());

  const shopify = () =>
    createShopifyAdapter({
      shopId: 'shop-shopify',
      platformShopId: SHOP,
      baseUrl,
      credentials: { appKey: 'k', appSecret: 'shpss_test', accessToken: TOKEN },
    });
  const call = async (method: 'GET' | 'POST', path: string, body?: string) => {
    const res = await fetch(`${baseUrl}/admin/api/2025-01${path}`, {
      method,
      headers: { 'x-shopify-access-token': TOKEN, 'content-type': 'application/json' },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, body: parseShopifyJson(await res.text()) as Record<string, unknown> };
  };
  type FulfillmentOrder = {
    id: string;
    status: string;
    line_items: Array<{ id: string; line_item_id: string; quantity: number; fulfillable_quantity: number }>;
  };
  const fulfillmentOrder = async (orderId: string) => {
    const { body } = await call('GET', `/orders/${orderId}/fulfillment_orders.json`);
    const [fo] = (body.fulfillment_orders as FulfillmentOrder[]).map((f) => ({
      ...f,
      id: String(f.id),
      line_items: f.line_items.map((li) => ({
        ...li,
        id: String(li.id),
        line_item_id: String(li.line_item_id),
      })),
    }));
    return fo!;
  };
  const open = (fo: FulfillmentOrder) =>
    Object.fromEntries(fo.line_items.map((li) => [li.line_item_id, li.fulfillable_quantity]));

  /** Three tees on one line and a mug on another: the tees leave in two parcels (2 + 1). */
  function splitOrder(): { sim: SimOrder; tee: string; mug: string } {
    const base = simOrder();
    const tee = base.items[0]!.lineId;
    const mug = String(Number(tee) + 1);
    const sim: SimOrder = {
      ...base,
      items: [
        { ...base.items[0]!, quantity: 3, discountMinor: 0 },
        {
          lineId: mug,
          platformSkuId: '45000000002',
          skuCode: 'MUG-1',
          title: '马克杯',
          spec: '白色',
          quantity: 1,
          unitPriceMinor: 3_900,
          discountMinor: 0,
        },
      ],
      paidMinor: 3 * 9_900 + 3_900,
    };
    store.upsert(sim);
    return { sim, tee, mug };
  }
  const parcel = (platformOrderId: string, trackingNumber: string, lines: Array<[string, number]>) => ({
    platformOrderId,
    carrier: 'ZTO' as const,
    trackingNumber,
    shippedAt: new Date(),
    lineIds: lines.map(([lineId]) => lineId),
    lines: lines.map(([lineId, quantity]) => ({ lineId, quantity })),
  });

  it("confirms each parcel's own lines and units; the first leaves the rest open, the second closes the fulfillment order", async () => {
    const { sim, tee, mug } = splitOrder();
    expect((await fulfillmentOrder(sim.id)).status).toBe('open');

    await shopify().confirmShipment(
      parcel(sim.id, 'ZTO100000000001', [
        [tee, 2],
        [mug, 1],
      ]),
    );
    let fo = await fulfillmentOrder(sim.id);
    expect(fo.status).toBe('in_progress');
    expect(open(fo)).toEqual({ [tee]: 1, [mug]: 0 });
    expect(store.get(SHOP, sim.id)?.shipment).toMatchObject({
      trackingNumber: 'ZTO100000000001',
      quantities: { [tee]: 2, [mug]: 1 },
    });
    const partly = await shopify().getOrder(sim.id);
    expect(partly.status).toBe('partially_shipped');

    await shopify().confirmShipment(parcel(sim.id, 'ZTO100000000002', [[tee, 1]]));
    fo = await fulfillmentOrder(sim.id);
    expect(fo.status).toBe('closed');
    expect(open(fo)).toEqual({ [tee]: 0, [mug]: 0 });
    expect(store.get(SHOP, sim.id)?.extraShipments).toMatchObject([
      { trackingNumber: 'ZTO100000000002', quantities: { [tee]: 1 } },
    ]);
    expect((await shopify().getOrder(sim.id)).status).toBe('shipped');
    // Shopify's order shows both fulfillments, each with the units it carried.
    const { body } = await call('GET', `/orders/${sim.id}.json`);
    const fulfillments = (body.order as { fulfillments: Array<Record<string, unknown>> }).fulfillments;
    expect(
      fulfillments.map((f) => ({
        number: f.tracking_number,
        lines: (f.line_items as Array<{ id: unknown; quantity: number }>).map((li) => [
          String(li.id),
          li.quantity,
        ]),
      })),
    ).toEqual([
      {
        number: 'ZTO100000000001',
        lines: [
          [tee, 2],
          [mug, 1],
        ],
      },
      { number: 'ZTO100000000002', lines: [[tee, 1]] },
    ]);
  });

  it('a retried parcel fulfils nothing twice, before and after the order closed', async () => {
    const { sim, tee, mug } = splitOrder();
    const first = parcel(sim.id, 'ZTO100000000011', [
      [tee, 2],
      [mug, 1],
    ]);
    await shopify().confirmShipment(first);
    await shopify().confirmShipment(first);
    expect(open(await fulfillmentOrder(sim.id))).toEqual({ [tee]: 1, [mug]: 0 });
    expect(store.get(SHOP, sim.id)?.extraShipments ?? []).toEqual([]);

    const second = parcel(sim.id, 'ZTO100000000012', [[tee, 1]]);
    await shopify().confirmShipment(second);
    await shopify().confirmShipment(second);
    await shopify().confirmShipment(first);
    expect(store.get(SHOP, sim.id)?.extraShipments).toHaveLength(1);
    expect((await fulfillmentOrder(sim.id)).status).toBe('closed');
  });

  it('refuses more units than remain: Shopify answers 422 with its own words, the adapter says which line', async () => {
    const { sim, tee, mug } = splitOrder();
    const fo = await fulfillmentOrder(sim.id);
    const item = (lineId: string) => fo.line_items.find((li) => li.line_item_id === lineId)!.id;
    const post = (items: Array<{ id: string; quantity: number }>) =>
      call(
        'POST',
        '/fulfillments.json',
        `{"fulfillment":{"line_items_by_fulfillment_order":[{"fulfillment_order_id":${fo.id},"fulfillment_order_line_items":[${items
          .map((i) => `{"id":${i.id},"quantity":${i.quantity}}`)
          .join(',')}]}],"tracking_info":{"company":"ZTO Express","number":"ZTO100000000021"}}}`,
      );
    const over = await post([{ id: item(tee), quantity: 4 }]);
    expect(over).toEqual({
      status: 422,
      body: { errors: ['Invalid fulfillment order line item quantity requested.'] },
    });
    // The same line named twice counts once against what remains.
    expect(
      (
        await post([
          { id: item(tee), quantity: 2 },
          { id: item(tee), quantity: 2 },
        ])
      ).status,
    ).toBe(422);
    expect((await post([{ id: item(mug), quantity: 0 }])).status).toBe(422);
    expect(open(await fulfillmentOrder(sim.id))).toEqual({ [tee]: 3, [mug]: 1 });

    // The adapter refuses a parcel carrying more than Shopify still has open, before any fulfillment.
    const refused = await shopify()
      .confirmShipment(parcel(sim.id, 'ZTO100000000022', [[tee, 4]]))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestRejectedError);
    expect(refused).toMatchObject({ code: 'over_fulfilment' });
    expect((refused as Error).message).toContain(
      `line ${tee}: the parcel carries 4, only 3 are still to fulfil`,
    );
    expect(store.get(SHOP, sim.id)?.shipment).toBeUndefined();

    // Everything shipped: the closed fulfillment order takes nothing more.
    expect(
      (
        await post([
          { id: item(tee), quantity: 3 },
          { id: item(mug), quantity: 1 },
        ])
      ).status,
    ).toBe(201);
    expect(await post([{ id: item(tee), quantity: 1 }])).toEqual({
      status: 422,
      body: { errors: [`Fulfillment order ${fo.id} has an unfulfillable status= closed.`] },
    });
  });
});

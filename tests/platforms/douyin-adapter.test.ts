import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import {
  createDouyinAdapter,
  douyinParamJson,
  douyinWebhookParser,
  signDouyinRequest,
} from '../../integrations/platforms/douyin/index.js';
import { createDouyinClient } from '../../integrations/platforms/douyin/client.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { z } from 'zod';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { DouyinSimAuth, douyinSimulator, renderDouyinPush } from '../../sandbox/platforms/douyin/index.js';

const APP = { appKey: '7212345678901234567', appSecret: 'dy-secret' };
const SHOP = '20001234';
const T0 = Date.parse('2026-03-01T02:00:00Z');

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const id = `69364766924374${String(72563 + seq * 10).padStart(5, '0')}`;
  return {
    id,
    shopKey: SHOP,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(T0),
    paidAt: new Date(T0 + 30_000),
    modifiedAt: new Date(T0 + 60_000),
    currency: 'CNY',
    items: [
      {
        lineId: `${id.slice(0, -1)}9`,
        platformSkuId: '1766013207428038975',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        spec: '颜色:红色;尺码:M',
        quantity: 2,
        unitPriceMinor: 9_900,
        discountMinor: 2_000,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 17_800,
    buyer: { id: 'buyer-1', nick: '抖音用户' },
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '福建省',
      city: '厦门市',
      district: '思明区',
      town: '莲前街道',
      detail: '环岛南路100号',
    },
    buyerRemark: '请周末送货',
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new DouyinSimAuth();
const faults = new FaultPlan();
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(douyinSimulator, {
    store,
    app: APP,
    auth,
    faults,
    rateLimit: { limit: 1000, windowMs: 1000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => app.close());
beforeEach(() => {
  faults.clear();
  tokens = auth.grant(SHOP);
});

function adapter(overrides: Partial<AdapterContext> = {}) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-dy',
    platformShopId: SHOP,
    baseUrl,
    credentials: { ...APP, ...tokens },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
    ...overrides,
  };
  return { adapter: createDouyinAdapter(ctx), refreshed };
}

const window = (fromMs: number, toMs: number, cursor?: string | null) => ({
  from: new Date(fromMs),
  to: new Date(toMs),
  ...(cursor !== undefined ? { cursor } : {}),
});

describe('Douyin adapter against the simulator', () => {
  it('lists every order of a window across several pages, ids exact', async () => {
    const base = Date.parse('2026-03-02T00:00:00Z');
    const created = Array.from({ length: 230 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    // An order outside the window must not appear.
    store.upsert(simOrder({ modifiedAt: new Date(base + 3_600_000) }));

    const { adapter: dy } = adapter();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await dy.listOrders(window(base, base + 230_000, cursor));
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(new Set(created.map((o) => o.id)));
    expect(seen).toHaveLength(230);
  });

  it('does not lose an order modified while paging', async () => {
    const base = Date.parse('2026-03-03T00:00:00Z');
    const created = Array.from({ length: 150 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    const { adapter: dy } = adapter();
    const first = await dy.listOrders(window(base, base + 150_000));
    // Meanwhile the oldest order changes and leaves the window.
    store.update(SHOP, created[0]!.id, (o) => (o.sellerMemo = '改'), new Date(base + 500_000));
    const second = await dy.listOrders(window(base, base + 150_000, first.nextCursor));
    const seen = new Set([...first.orders, ...second.orders].map((o) => o.platformOrderId));
    for (const o of created.slice(1)) expect(seen.has(o.id)).toBe(true);
  });

  it('refuses a window longer than a day, and so does the simulator', async () => {
    const { adapter: dy } = adapter();
    await expect(dy.listOrders(window(T0, T0 + 2 * 86_400_000))).rejects.toBeInstanceOf(RequestRejectedError);

    const paramJson = douyinParamJson({
      page: 0,
      size: 10,
      update_time_start: 1772300000,
      update_time_end: 1772300000 + 2 * 86_400,
    });
    const query = new URLSearchParams({
      app_key: APP.appKey,
      method: 'order.searchList',
      access_token: tokens.accessToken,
      timestamp: '1772300000',
      v: '2',
      sign_method: 'hmac-sha256',
    });
    query.set(
      'sign',
      signDouyinRequest({
        ...APP,
        method: 'order.searchList',
        paramJson,
        timestamp: '1772300000',
        v: '2',
        signMethod: 'hmac-sha256',
      }),
    );
    const response = await fetch(`${baseUrl}/order/searchList?${query}`, {
      method: 'POST',
      body: paramJson,
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toMatchObject({ code: 40004 });
  });

  it('gets one order with an encrypted receiver, and decrypts it', async () => {
    const sim = simOrder({ id: '6936476692437472563' });
    store.upsert(sim);
    const { adapter: dy } = adapter();
    const order = await dy.getOrder('6936476692437472563');
    expect(order).toMatchObject({
      platformOrderId: '6936476692437472563',
      status: 'paid',
      amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
      lines: [
        {
          lineId: sim.items[0]!.lineId,
          platformSkuId: '1766013207428038975',
          skuCode: 'SKU-001-RED-M',
          quantity: 2,
        },
      ],
      receiver: { province: '福建省', city: '厦门市', district: '思明区', town: '莲前街道', protected: true },
      buyerRemark: '请周末送货',
    });
    expect(order.receiver.name).toMatch(/^##.+#1##$/);
    expect(order.receiver.phone).toMatch(/^\$\$.+\$1\$\$$/);
    expect(order.receiver.addressHandle).toMatch(/^#/);

    const plain = await dy.decryptReceiver(order);
    expect(plain).toMatchObject({
      name: '张三',
      phone: '13800001234',
      detail: '环岛南路100号',
      protected: false,
    });
  });

  it('confirms a shipment: the order shows shipped; a retry with the same number is fine', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: dy } = adapter();
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'ZTO' as const,
      trackingNumber: '75312345678901',
      shippedAt: new Date(),
    };
    await dy.confirmShipment(confirmation);
    expect(store.get(SHOP, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'zhongtong', trackingNumber: '75312345678901' },
    });
    expect((await dy.getOrder(sim.id)).status).toBe('shipped');

    await dy.confirmShipment(confirmation);
    await expect(
      dy.confirmShipment({ ...confirmation, trackingNumber: '75399999999999' }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
    await expect(dy.confirmShipment({ ...confirmation, carrier: 'JDKY' })).rejects.toThrow(/no company_code/);
  });

  it('ships a split order parcel by parcel through logisticsAddMultiPack, each pack naming its sku orders', async () => {
    const base = simOrder();
    const first = base.items[0]!;
    const second = { ...first, lineId: `${base.id.slice(0, -1)}8`, skuCode: 'SKU-002-BLU-L', quantity: 1 };
    const sim = { ...base, items: [first, second] };
    store.upsert(sim);
    const { adapter: dy } = adapter();
    const parcel = (lineId: string, trackingNumber: string) => ({
      platformOrderId: sim.id,
      carrier: 'ZTO' as const,
      trackingNumber,
      shippedAt: new Date(),
      lineIds: [lineId],
    });

    await dy.confirmShipment(parcel(first.lineId, '75310000000001'));
    expect(store.get(SHOP, sim.id)).toMatchObject({
      status: 'paid',
      shipment: { trackingNumber: '75310000000001', lineIds: [first.lineId] },
    });
    expect((await dy.getOrder(sim.id)).status).toBe('partially_shipped');
    // A retried activity finds its number on the order.
    await dy.confirmShipment(parcel(first.lineId, '75310000000001'));
    // The same sku order cannot ship twice under another number.
    await expect(dy.confirmShipment(parcel(first.lineId, '75310000000009'))).rejects.toBeInstanceOf(
      RequestRejectedError,
    );

    await dy.confirmShipment(parcel(second.lineId, '75310000000002'));
    expect(store.get(SHOP, sim.id)).toMatchObject({
      status: 'shipped',
      extraShipments: [{ trackingNumber: '75310000000002', lineIds: [second.lineId] }],
    });
    expect((await dy.getOrder(sim.id)).status).toBe('shipped');
  });

  it('the simulator takes a multi-pack call whole or not at all, and checks every pack itself', async () => {
    const base = simOrder();
    const second = { ...base.items[0]!, lineId: `${base.id.slice(0, -1)}7`, quantity: 1 };
    const sim = { ...base, items: [base.items[0]!, second] };
    store.upsert(sim);
    const client = createDouyinClient({
      shopId: 'shop-dy',
      platformShopId: SHOP,
      baseUrl,
      credentials: { ...APP, ...tokens },
    });
    const pack = (lineId: string, num: number, logistics_code: string) => ({
      shipped_order_info: [{ shipped_order_id: lineId, shipped_num: num }],
      company_code: 'zhongtong',
      logistics_code,
    });
    const call = (pack_list: unknown[]) =>
      client.call('order.logisticsAddMultiPack', { order_id: sim.id, pack_list }, z.unknown());
    // The second pack names a quantity the sku order does not have: neither pack ships.
    await expect(
      call([pack(sim.items[0]!.lineId, 2, '75320000000001'), pack(second.lineId, 5, '75320000000002')]),
    ).rejects.toBeInstanceOf(RequestRejectedError);
    await expect(call([pack('6936000000000000000', 1, '75320000000003')])).rejects.toThrow(/不可发货/);
    await expect(call([])).rejects.toBeInstanceOf(RequestRejectedError);
    expect(store.get(SHOP, sim.id)!.shipment).toBeUndefined();

    await call([pack(sim.items[0]!.lineId, 2, '75320000000001'), pack(second.lineId, 1, '75320000000002')]);
    expect(store.get(SHOP, sim.id)).toMatchObject({
      status: 'shipped',
      extraShipments: [{ lineIds: [second.lineId] }],
    });
  });

  it('lists refunds changed in a window', async () => {
    const at = new Date('2026-03-04T01:00:00Z');
    const sim = simOrder({
      refund: {
        id: '7123456789012345678',
        status: 'requested',
        kind: 'refund_only',
        amountMinor: 8_900,
        reason: '不想要了',
        createdAt: at,
        modifiedAt: at,
      },
    });
    store.upsert(sim);
    const { adapter: dy } = adapter();
    const page = await dy.listRefunds(window(at.getTime() - 60_000, at.getTime() + 60_000));
    expect(page.nextCursor).toBeNull();
    expect(page.refunds).toEqual([
      {
        platformRefundId: '7123456789012345678',
        platformOrderId: sim.id,
        status: 'requested',
        kind: 'refund_only',
        amountMinor: 8_900,
        currency: 'CNY',
        reason: '不想要了',
        lineIds: [sim.items[0]!.lineId],
        createdAt: at.toISOString(),
        modifiedAt: at.toISOString(),
      },
    ]);
  });

  it('refreshes an expired token once, stores the new pair, and carries on', async () => {
    const sim = simOrder();
    store.upsert(sim);
    auth.expire(tokens.accessToken);
    const before = auth.refreshCount;
    const { adapter: dy, refreshed } = adapter();
    expect((await dy.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(auth.refreshCount - before).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
    expect(Date.parse(refreshed[0]!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now());
  });

  it('reports AuthError when the refresh token is no good, or the secret is wrong', async () => {
    auth.expire(tokens.accessToken);
    const { adapter: dy } = adapter({ credentials: { ...APP, ...tokens, refreshToken: 'spent' } });
    await expect(dy.getOrder('1')).rejects.toBeInstanceOf(AuthError);
    const forged = adapter({ credentials: { ...APP, appSecret: 'wrong', ...auth.grant(SHOP) } }).adapter;
    await expect(forged.getOrder('1')).rejects.toThrow(/isv.signature-invalid/);
  });

  it('surfaces 429 with Retry-After, Douyin limit code 60000 and 5xx as typed errors', async () => {
    const { adapter: dy } = adapter();
    faults.fail('order.orderDetail', 429, 1, 3);
    const limited = await dy.getOrder('1').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(3_000);

    faults.fail('order.orderDetail', 503);
    await expect(dy.getOrder('1')).rejects.toBeInstanceOf(TransientPlatformError);

    const tight = Fastify();
    const tightAuth = new DouyinSimAuth();
    await tight.register(douyinSimulator, {
      store,
      app: APP,
      auth: tightAuth,
      rateLimit: { limit: 1, windowMs: 60_000 },
    });
    await tight.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = tight.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const sim = simOrder();
      store.upsert(sim);
      const { adapter: slow } = adapter({
        baseUrl: `http://127.0.0.1:${port}`,
        credentials: { ...APP, ...tightAuth.grant(SHOP) },
      });
      await slow.getOrder(sim.id);
      await expect(slow.getOrder(sim.id)).rejects.toBeInstanceOf(RateLimitedError);
    } finally {
      await tight.close();
    }
  });

  it('turns a signed push into an order change with the exact 19-digit id', () => {
    const sim = simOrder({ id: '6936476692437472563' });
    const push = renderDouyinPush(APP, sim, 110);
    expect(push.body).toContain('\\"p_id\\":6936476692437472563');
    const events = douyinWebhookParser.parse(
      {
        headers: push.headers,
        rawBody: Buffer.from(push.body),
        url: 'https://erp.example.com/webhooks/douyin/shop-dy',
      },
      APP,
      { shopId: 'shop-dy', platformShopId: SHOP },
    );
    expect(events).toEqual([
      {
        kind: 'order_changed',
        platformOrderId: '6936476692437472563',
        modifiedAt: sim.modifiedAt.toISOString(),
      },
    ]);

    const refund = renderDouyinPush(
      APP,
      simOrder({
        id: '6936476692437472599',
        refund: {
          id: 'AS-1',
          status: 'requested',
          kind: 'refund_only',
          amountMinor: 100,
          reason: 'x',
          createdAt: new Date(),
          modifiedAt: new Date(),
        },
      }),
      200,
    );
    expect(
      douyinWebhookParser.parse(
        { headers: refund.headers, rawBody: Buffer.from(refund.body), url: '' },
        APP,
        { shopId: 'shop-dy', platformShopId: SHOP },
      ),
    ).toEqual([{ kind: 'refund_changed', platformOrderId: '6936476692437472599', platformRefundId: 'AS-1' }]);
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import { createShopeeAdapter, shopeeWebhookParser } from '../../integrations/platforms/shopee/index.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { SHOPEE_T0, shopeeSimOrder, signedShopeeQuery } from './shopee-fixtures.js';
import {
  ShopeeSimAuth,
  renderShopeePush,
  shopeeSimulator,
  type ShopeeLogistics,
} from '../../sandbox/platforms/shopee/index.js';

const PARTNER = { partnerId: '2001887', partnerKey: 'sp-partner-key' };
const SHOP = '600000';
const T0 = SHOPEE_T0;

const simOrder = (overrides: Partial<SimOrder> = {}) => shopeeSimOrder(SHOP, overrides);

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new ShopeeSimAuth();
const faults = new FaultPlan();
let tokens: { accessToken: string; refreshToken: string };

async function start(
  options: {
    rateLimit?: { limit: number; windowMs: number };
    logistics?: ShopeeLogistics;
    splitOrder?: boolean;
  } = {},
) {
  const server = Fastify();
  await server.register(shopeeSimulator, {
    store,
    partner: PARTNER,
    auth,
    faults,
    rateLimit: options.rateLimit ?? { limit: 1000, windowMs: 1000 },
    ...(options.logistics ? { logistics: options.logistics } : {}),
    ...(options.splitOrder !== undefined ? { splitOrder: options.splitOrder } : {}),
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

beforeAll(async () => {
  ({ server: app, url: baseUrl } = await start());
});
afterAll(() => app.close());
beforeEach(() => {
  faults.clear();
  tokens = auth.grant(SHOP);
});

function adapter(overrides: Partial<AdapterContext> = {}) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-sp',
    platformShopId: SHOP,
    baseUrl,
    credentials: { appKey: PARTNER.partnerId, appSecret: PARTNER.partnerKey, ...tokens },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
    ...overrides,
  };
  return { adapter: createShopeeAdapter(ctx), refreshed };
}
const window = (fromMs: number, toMs: number, cursor?: string | null) => ({
  from: new Date(fromMs),
  to: new Date(toMs),
  ...(cursor !== undefined ? { cursor } : {}),
});

describe('Shopee adapter against the simulator', () => {
  it('lists every order of a window across cursor pages, details fetched 50 at a time', async () => {
    const base = Date.parse('2026-03-02T00:00:00Z');
    const created = Array.from({ length: 230 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    const { adapter: sp } = adapter();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await sp.listOrders(window(base, base + 230_000, cursor));
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(created.map((o) => o.id).sort());
  });

  it('refuses windows over 15 days, and so does the simulator', async () => {
    const { adapter: sp } = adapter();
    await expect(sp.listOrders(window(T0, T0 + 16 * 86_400_000))).rejects.toBeInstanceOf(
      RequestRejectedError,
    );

    const path = '/api/v2/order/get_order_list';
    const query = signedShopeeQuery({
      partner: PARTNER,
      accessToken: tokens.accessToken,
      shopId: SHOP,
      path,
    });
    for (const [k, v] of Object.entries({
      time_range_field: 'update_time',
      time_from: '1772300000',
      time_to: String(1772300000 + 16 * 86_400),
      page_size: '100',
    }))
      query.set(k, v);
    const response = await fetch(`${baseUrl}${path}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'order.order_list_invalid_time' });
  });

  it('gets an order with money in SGD cents and a masked receiver it cannot reveal', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: sp } = adapter();
    const order = await sp.getOrder(sim.id);
    expect(order).toMatchObject({
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'SGD',
      amounts: { goodsFen: 3_998, discountFen: 400, shippingFen: 250, paidFen: 3_848 },
      lines: [
        {
          skuCode: 'QAZ-SADOER-05',
          platformSkuId: '221404189791',
          quantity: 2,
          unitPriceFen: 1_999,
          discountFen: 400,
        },
      ],
      receiver: { name: 'T****i', phone: '******89', country: 'SG', province: 'Singapore', protected: true },
      buyerRemark: 'leave at door',
    });
    await expect(sp.decryptReceiver(order)).rejects.toThrow(/masks the receiver/);
  });

  it('sees the full receiver of an order its own carrier delivers (a non-integrated channel)', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const own = await start({ logistics: 'seller' });
    try {
      const { adapter: sp } = adapter({ baseUrl: own.url });
      const order = await sp.getOrder(sim.id);
      expect(order.receiver).toEqual({
        name: 'Tan Wei',
        phone: '6591234589',
        country: 'SG',
        province: 'Singapore',
        city: 'Singapore',
        district: '',
        detail: '1 Fusionopolis Way, Singapore, 138632',
        postalCode: '138632',
        protected: false,
      });
      await expect(sp.decryptReceiver(order)).resolves.toEqual(order.receiver);
    } finally {
      await own.server.close();
    }
  });

  it('ships with a tracking number: the order shows shipped; a retry with the same number is fine', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: sp } = adapter();
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890123',
      shippedAt: new Date(),
    };
    await sp.confirmShipment(confirmation);
    expect(store.get(SHOP, sim.id)?.shipment?.trackingNumber).toBe('SF1234567890123');
    expect((await sp.getOrder(sim.id)).status).toBe('shipped');
    await sp.confirmShipment(confirmation);
    await expect(
      sp.confirmShipment({ ...confirmation, trackingNumber: 'SF9999999999999' }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  describe('a parcel carrying part of an order (split shipment)', () => {
    const twoLines = () =>
      simOrder({
        items: [
          { ...simOrder().items[0]!, lineId: '23620853561', platformSkuId: '221404189791' },
          {
            lineId: '23620853999',
            platformSkuId: '221404189800',
            skuCode: 'QAZ-LOTION-01',
            title: 'Lotion',
            spec: '100ml',
            quantity: 1,
            unitPriceMinor: 1_500,
            discountMinor: 0,
          },
        ],
      });
    const parcel = (sn: string, lineIds: string[], trackingNumber: string) => ({
      platformOrderId: sn,
      carrier: 'SF' as const,
      trackingNumber,
      shippedAt: new Date(),
      lineIds,
    });

    it('a shop that splits: split_order makes the packages, each parcel ships its own; retries are harmless', async () => {
      const sim = twoLines();
      store.upsert(sim);
      const { adapter: sp } = adapter({ splitShipments: true });
      const lines = (await sp.getOrder(sim.id)).lines.map((l) => l.lineId);
      expect(lines).toEqual(['23620853561-221404189791', '23620853999-221404189800']);

      await sp.confirmShipment(parcel(sim.id, [lines[0]!], 'SF1000000000001'));
      await sp.confirmShipment(parcel(sim.id, [lines[0]!], 'SF1000000000001'));
      const half = store.get(SHOP, sim.id)!;
      expect(half.packages?.map((p) => [p.lineIds, p.shipment?.trackingNumber ?? null])).toEqual([
        [['23620853561'], 'SF1000000000001'],
        [['23620853999'], null],
      ]);
      expect((await sp.getOrder(sim.id)).status).not.toBe('shipped');

      await sp.confirmShipment(parcel(sim.id, [lines[1]!], 'SF1000000000002'));
      const done = store.get(SHOP, sim.id)!;
      expect(done.packages?.map((p) => p.shipment?.trackingNumber)).toEqual([
        'SF1000000000001',
        'SF1000000000002',
      ]);
      expect((await sp.getOrder(sim.id)).status).toBe('shipped');
    });

    it('a shop that does not split: refused as a partial shipment, nothing sent to Shopee', async () => {
      const sim = twoLines();
      store.upsert(sim);
      const { adapter: sp } = adapter();
      const lines = (await sp.getOrder(sim.id)).lines.map((l) => l.lineId);
      const refused = await sp
        .confirmShipment(parcel(sim.id, [lines[0]!], 'SF1000000000003'))
        .catch((e) => e);
      expect(refused).toBeInstanceOf(RequestRejectedError);
      expect(refused.code).toBe('partial_shipment');
      expect(store.get(SHOP, sim.id)?.packages).toBeUndefined();
      expect(store.get(SHOP, sim.id)?.shipment).toBeUndefined();
    });

    it('the simulator refuses split_order for a shop Shopee does not let split, and a whole-order ship_order once the order is split', async () => {
      const strict = await start({ splitOrder: false });
      try {
        const sim = twoLines();
        store.upsert(sim);
        const { adapter: sp } = adapter({ splitShipments: true, baseUrl: strict.url });
        const lines = (await sp.getOrder(sim.id)).lines.map((l) => l.lineId);
        const refused = await sp
          .confirmShipment(parcel(sim.id, [lines[0]!], 'SF1000000000004'))
          .catch((e) => e);
        expect(refused).toBeInstanceOf(RequestRejectedError);
        expect(refused.message).toMatch(/not allowed to split/);
        expect(store.get(SHOP, sim.id)?.shipment).toBeUndefined();
      } finally {
        await strict.server.close();
      }
      const sim = twoLines();
      store.upsert(sim);
      const { adapter: sp } = adapter({ splitShipments: true });
      const lines = (await sp.getOrder(sim.id)).lines.map((l) => l.lineId);
      await sp.confirmShipment(parcel(sim.id, [lines[0]!], 'SF1000000000005'));
      await expect(
        sp.confirmShipment({ ...parcel(sim.id, [], 'SF1000000000006'), lineIds: undefined }),
      ).rejects.toBeInstanceOf(RequestRejectedError);
    });
  });

  it('lists returns changed in a window', async () => {
    const at = new Date('2026-03-05T01:00:00Z');
    const sim = simOrder({
      status: 'shipped',
      refund: {
        id: '2603050RET01',
        status: 'agreed',
        kind: 'return_and_refund',
        amountMinor: 1_799,
        reason: 'wrong size',
        createdAt: at,
        modifiedAt: at,
      },
    });
    store.upsert(sim);
    const { adapter: sp } = adapter();
    const page = await sp.listRefunds(window(at.getTime() - 60_000, at.getTime() + 60_000));
    expect(page).toEqual({
      refunds: [
        {
          platformRefundId: '2603050RET01',
          platformOrderId: sim.id,
          status: 'agreed',
          kind: 'return_and_refund',
          amountMinor: 1_799,
          currency: 'SGD',
          reason: 'wrong size',
          lineIds: ['23620853561-221404189791'],
          createdAt: at.toISOString(),
          modifiedAt: at.toISOString(),
        },
      ],
      nextCursor: null,
    });
  });

  it('refreshes an expired token once; the spent refresh token no longer works', async () => {
    const sim = simOrder();
    store.upsert(sim);
    auth.expire(tokens.accessToken);
    const before = auth.refreshCount;
    const { adapter: sp, refreshed } = adapter();
    expect((await sp.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(auth.refreshCount - before).toBe(1);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.refreshToken).not.toBe(tokens.refreshToken);

    // Another worker still holding the old pair cannot refresh with the spent token.
    const stale = adapter().adapter;
    await expect(stale.getOrder(sim.id)).rejects.toBeInstanceOf(AuthError);
    // The stored new pair works.
    const fresh = adapter({
      credentials: { appKey: PARTNER.partnerId, appSecret: PARTNER.partnerKey, ...refreshed[0]! },
    }).adapter;
    expect((await fresh.getOrder(sim.id)).platformOrderId).toBe(sim.id);
  });

  it('rejects forged signatures and stale timestamps', async () => {
    const { adapter: forged } = adapter({
      credentials: { appKey: PARTNER.partnerId, appSecret: 'not-the-key', ...tokens },
    });
    await expect(forged.getOrder('X')).rejects.toThrow(/error_sign/);
    const { adapter: skewed } = adapter({ now: () => new Date(Date.now() - 10 * 60_000) });
    await expect(skewed.getOrder('X')).rejects.toThrow(/timestamp/);
  });

  it('surfaces 429 with Retry-After and 5xx as typed errors', async () => {
    const { adapter: sp } = adapter();
    faults.fail('/api/v2/order/get_order_detail', 429, 1, 2);
    const limited = await sp.getOrder('X').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(2_000);
    faults.fail('/api/v2/order/get_order_detail', 502);
    await expect(sp.getOrder('X')).rejects.toBeInstanceOf(TransientPlatformError);

    const tight = await start({ rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const { adapter: slow } = adapter({ baseUrl: tight.url });
      await expect(slow.getOrder('X')).rejects.toThrow(/no order/);
      await expect(slow.getOrder('X')).rejects.toBeInstanceOf(RateLimitedError);
    } finally {
      await tight.server.close();
    }
  });

  it('turns a signed push into an order change', () => {
    const sim = simOrder();
    const url = 'https://erp.example.com/webhooks/shopee/shop-sp';
    const push = renderShopeePush({ partnerKey: PARTNER.partnerKey, callbackUrl: url }, sim, 3);
    expect(
      shopeeWebhookParser.parse(
        { headers: push.headers, rawBody: Buffer.from(push.body), url },
        { appKey: PARTNER.partnerId, appSecret: PARTNER.partnerKey },
        { shopId: 'shop-sp', platformShopId: SHOP },
      ),
    ).toEqual([{ kind: 'order_changed', platformOrderId: sim.id, modifiedAt: sim.modifiedAt.toISOString() }]);
  });
});

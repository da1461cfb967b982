import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAmazonAdapter } from '../../integrations/platforms/amazon/index.js';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  AMAZON_RATE_PLANS,
  AmazonSimAuth,
  amazonSimulator,
  type AmazonOperation,
} from '../../sandbox/platforms/amazon/index.js';

const CLIENT = { clientId: 'amzn1.application-oa2-client.test', clientSecret: 'lwa-secret' };
const SELLER = 'A2SELLER0001';
const MARKETPLACE = 'ATVPDKIKX0DER';
const HOUR = 3_600_000;
const T0 = Date.now() - 48 * HOUR;

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const n = String(seq).padStart(7, '0');
  return {
    id: `902-${n}-1390916`,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(T0),
    paidAt: new Date(T0),
    modifiedAt: new Date(T0 + 60_000),
    currency: 'USD',
    items: [
      {
        lineId: `6882857${n}`,
        platformSkuId: 'B07XJ8C8F5',
        skuCode: 'SKU-001-RED-M',
        title: 'Cotton T-shirt',
        spec: '',
        quantity: 2,
        unitPriceMinor: 1_299,
        discountMinor: 0,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 2_598,
    buyer: { id: 'buyer@example.com', nick: 'Jane' },
    receiver: {
      name: 'Jane Doe',
      phone: '+1 206 555 0100',
      country: 'US',
      province: 'WA',
      city: 'SEATTLE',
      district: '',
      detail: '410 Terry Ave N',
      postalCode: '98109',
    },
    ...overrides,
  };
}

const generous = Object.fromEntries(
  Object.keys(AMAZON_RATE_PLANS).map((op) => [op, { rate: 1000, burst: 1000 }]),
) as Record<AmazonOperation, { rate: number; burst: number }>;

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new AmazonSimAuth(CLIENT);
const faults = new FaultPlan();
const refreshToken = auth.authorize(SELLER);

async function start(
  ratePlans: Partial<Record<AmazonOperation, { rate: number; burst: number }>>,
  prefix = '',
) {
  const server = Fastify();
  await server.register(amazonSimulator, {
    store,
    auth,
    marketplaceId: MARKETPLACE,
    faults,
    ratePlans,
    prefix,
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}${prefix}` };
}

beforeAll(async () => {
  ({ server: app, url: baseUrl } = await start(generous));
});
afterAll(() => app.close());
beforeEach(() => faults.clear());

function adapter(overrides: Partial<AdapterContext> = {}, url = baseUrl) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-amz',
    platformShopId: SELLER,
    baseUrl: url,
    credentials: {
      appKey: CLIENT.clientId,
      appSecret: CLIENT.clientSecret,
      refreshToken,
      extra: { marketplaceId: MARKETPLACE, lwaUrl: url },
    },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
    ...overrides,
  };
  return { adapter: createAmazonAdapter(ctx), refreshed };
}
const window = (fromMs: number, toMs: number, cursor?: string | null) => ({
  from: new Date(fromMs),
  to: new Date(toMs),
  ...(cursor !== undefined ? { cursor } : {}),
});

describe('Amazon adapter against the simulator', () => {
  it('gets an LWA token, then lists a window across NextToken pages with items', async () => {
    const base = Math.floor((Date.now() - 30 * HOUR) / 1000) * 1000;
    const created = Array.from({ length: 120 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    const { adapter: amz, refreshed } = adapter();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await amz.listOrders(window(base, base + 120_000, cursor));
      seen.push(...page.orders.map((o) => o.platformOrderId));
      for (const o of page.orders) expect(o.lines[0]?.skuCode).toBe('SKU-001-RED-M');
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(created.map((o) => o.id).sort());
    expect(refreshed).toHaveLength(1);
  });

  it('refuses windows ending within the last two minutes (the simulator too, as Amazon does) or longer than our 30-day cap', async () => {
    const { adapter: amz } = adapter();
    await expect(amz.listOrders(window(Date.now() - HOUR, Date.now()))).rejects.toThrow(/2 minutes/);
    await expect(
      amz.listOrders(window(Date.now() - 40 * 24 * HOUR, Date.now() - HOUR)),
    ).rejects.toBeInstanceOf(RequestRejectedError);

    const token = auth.exchange(CLIENT.clientId, CLIENT.clientSecret, refreshToken)!.accessToken;
    const response = await fetch(
      `${baseUrl}/orders/v0/orders?MarketplaceIds=${MARKETPLACE}&LastUpdatedAfter=${new Date(Date.now() - HOUR).toISOString()}&LastUpdatedBefore=${new Date().toISOString()}`,
      { headers: { 'x-amz-access-token': token } },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'InvalidInput' }] });
  });

  it('gets an order and fetches the full address with a restricted data token', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: amz } = adapter();
    const order = await amz.getOrder(sim.id);
    expect(order).toMatchObject({
      status: 'paid',
      currency: 'USD',
      amounts: { goodsFen: 2_598, paidFen: 2_598 },
      receiver: { protected: true, city: 'SEATTLE', province: 'WA', country: 'US' },
    });
    expect(await amz.decryptReceiver(order)).toMatchObject({
      name: 'Jane Doe',
      phone: '+1 206 555 0100',
      detail: '410 Terry Ave N',
      protected: false,
    });
  });

  it('fetches the full address when the simulator is served under a prefix, as the sandbox serves it', async () => {
    const prefixed = await start(generous, '/amazon');
    try {
      const sim = simOrder();
      store.upsert(sim);
      const { adapter: amz } = adapter({}, prefixed.url);
      const order = await amz.getOrder(sim.id);
      expect(await amz.decryptReceiver(order)).toMatchObject({ detail: '410 Terry Ave N', protected: false });
    } finally {
      await prefixed.server.close();
    }
  });

  it('confirms a shipment: the order shows shipped; a retry counts as done', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: amz } = adapter();
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'ZTO' as const,
      trackingNumber: '75312345678901',
      shippedAt: new Date(),
    };
    await amz.confirmShipment(confirmation);
    expect(store.get(SELLER, sim.id)?.shipment).toMatchObject({
      carrierCode: 'ZTO Express',
      trackingNumber: '75312345678901',
    });
    expect((await amz.getOrder(sim.id)).status).toBe('shipped');
    await amz.confirmShipment(confirmation);
  });

  it('names the carrier by Amazon’s code, the shop’s own where it set one; an unlisted carrier is Other with its name', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const recording: typeof fetch = async (url, init) => {
      if (String(url).includes('/shipmentConfirmation')) {
        sent.push(
          (JSON.parse(String(init?.body)) as { packageDetail: Record<string, unknown> }).packageDetail,
        );
      }
      return fetch(url, init);
    };
    const { adapter: amz } = adapter({
      fetch: recording,
      carrierCodes: { EMS: 'China Post', SF: 'Other' },
    });
    const confirm = async (carrier: 'SF' | 'EMS' | 'UPS' | 'YTO') => {
      const sim = simOrder();
      store.upsert(sim);
      await amz.confirmShipment({
        platformOrderId: sim.id,
        carrier,
        trackingNumber: `LX${sim.id.replace(/\D/g, '').slice(-9)}CN`,
        shippedAt: new Date(),
      });
    };
    await confirm('UPS');
    await confirm('EMS');
    await confirm('SF');
    await confirm('YTO');
    expect(sent.map((d) => [d.carrierCode, d.carrierName])).toEqual([
      ['UPS', undefined],
      ['China Post', undefined],
      ['Other', 'SF Express'],
      ['Other', 'YTO Express'],
    ]);
  });

  it('a carrier code Amazon does not list is refused, in Amazon’s words', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: amz } = adapter({ carrierCodes: { ZTO: 'ZTO' } });
    await expect(
      amz.confirmShipment({
        platformOrderId: sim.id,
        carrier: 'ZTO',
        trackingNumber: '75312345678902',
        shippedAt: new Date(),
      }),
    ).rejects.toThrow(/carrierCode ZTO is not an acceptable CarrierCode value/);
    expect(store.get(SELLER, sim.id)?.status).toBe('paid');
  });

  it('lists posted refunds in a window and per order', async () => {
    const at = new Date(Date.now() - 20 * HOUR);
    const sim = simOrder({
      status: 'shipped',
      refund: {
        id: 'r1',
        status: 'refunded',
        kind: 'refund_only',
        amountMinor: 1_299,
        reason: 'damaged',
        createdAt: at,
        modifiedAt: at,
      },
    });
    store.upsert(sim);
    const { adapter: amz } = adapter();
    const page = await amz.listRefunds(window(at.getTime() - 60_000, at.getTime() + 60_000));
    expect(page.refunds).toEqual([
      expect.objectContaining({
        platformOrderId: sim.id,
        status: 'refunded',
        amountMinor: 1_299,
        currency: 'USD',
        lineIds: [sim.items[0]!.lineId],
      }),
    ]);
    expect(await amz.listOrderRefunds(sim.id)).toEqual(page.refunds);
  });

  it('refreshes an expired LWA token once; a revoked refresh token is an AuthError', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: amz, refreshed } = adapter();
    await amz.getOrder(sim.id);
    auth.expireAll();
    await amz.getOrder(sim.id);
    expect(refreshed).toHaveLength(2);
    const { adapter: revoked } = adapter({
      credentials: {
        appKey: CLIENT.clientId,
        appSecret: CLIENT.clientSecret,
        refreshToken: 'Atzr|revoked',
        extra: { marketplaceId: MARKETPLACE, lwaUrl: baseUrl },
      },
    });
    await expect(revoked.getOrder(sim.id)).rejects.toBeInstanceOf(AuthError);
    const { adapter: forged } = adapter({
      credentials: {
        appKey: CLIENT.clientId,
        appSecret: CLIENT.clientSecret,
        accessToken: 'Atza|forged',
        accessTokenExpiresAt: new Date(Date.now() + HOUR).toISOString(),
        extra: { marketplaceId: MARKETPLACE, lwaUrl: baseUrl },
      },
    });
    await expect(forged.getOrder(sim.id)).rejects.toThrow(/Unauthorized/);
  });

  it('getOrders at 0.0167 rps after a burst: 429 with Retry-After; 5xx is transient', async () => {
    const tight = await start({ ...generous, getOrders: AMAZON_RATE_PLANS.getOrders });
    try {
      const { adapter: amz } = adapter({}, tight.url);
      const w = window(Date.now() - 3 * HOUR, Date.now() - 2 * HOUR);
      for (let i = 0; i < 20; i++) await amz.listOrders(w);
      const limited = await amz.listOrders(w).catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(59_000);
    } finally {
      await tight.server.close();
    }
    const { adapter: amz } = adapter();
    faults.fail('getOrder', 503);
    await expect(amz.getOrder('902-0000000-0000000')).rejects.toBeInstanceOf(TransientPlatformError);
  });
});

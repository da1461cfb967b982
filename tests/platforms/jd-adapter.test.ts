import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdAdapter } from '../../integrations/platforms/jd/index.js';
import { JdClient } from '../../integrations/platforms/jd/client.js';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { applyLifecycle, generateOrders } from '../../sandbox/orders/generator.js';
import { jdSimulator, type JdSimVendor } from '../../sandbox/platforms/jd/index.js';
import { visibleOnJd } from '../../sandbox/platforms/jd/render.js';

const HOUR = 3_600_000;
const APP = { appKey: 'jd-app', appSecret: 'jd-secret' };
const VENDER = '10001234';

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const faults = new FaultPlan();
const vendors: JdSimVendor[] = [{ venderId: VENDER, accessToken: 'jd-token-1' }];
const now = new Date();
const window = { from: new Date(now.getTime() - 25 * HOUR), to: new Date(now.getTime() - HOUR) };

async function startSimulator(options: Partial<Parameters<typeof jdSimulator>[1]> = {}) {
  const server = Fastify();
  await server.register(jdSimulator, { store, ...APP, vendors, faults, ...options });
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, baseUrl: `http://127.0.0.1:${(server.server.address() as { port: number }).port}` };
}

const context = (overrides: Partial<AdapterContext> = {}): AdapterContext => ({
  shopId: 'shop-jd-1',
  platformShopId: VENDER,
  baseUrl,
  credentials: { ...APP, accessToken: vendors[0]!.accessToken },
  ...overrides,
});

const inWindow = () => store.listModified(VENDER, window.from, window.to).filter(visibleOnJd);

beforeAll(async () => {
  const day = generateOrders({
    seed: 'jd-day',
    platform: 'jd',
    shopKey: VENDER,
    scenario: 'normal_day',
    count: 140,
    start: window.from,
  });
  applyLifecycle(day, new Date(window.to.getTime() - 1));
  day.forEach((o) => store.upsert(o));
  ({ server: app, baseUrl } = await startSimulator());
});
afterAll(() => app.close());

describe('JD adapter against the JOS simulator', () => {
  it('lists a day across pages, last page first', async () => {
    const pages: number[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const params = new URLSearchParams(String(init?.body ?? ''));
      if (params.get('method') === 'jingdong.pop.order.search') {
        pages.push(Number((JSON.parse(params.get('360buy_param_json')!) as { page: string }).page));
      }
      return fetch(input, init);
    };
    const adapter = createJdAdapter(context({ fetch: recordingFetch }), { pageSize: 30 });
    const expected = inWindow().map((o) => o.id);
    expect(expected.length).toBeGreaterThan(90);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await adapter.listOrders({ ...window, cursor });
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen)).toEqual(new Set(expected));
    const last = Math.ceil(expected.length / 30);
    expect(pages).toEqual([1, ...Array.from({ length: last }, (_, i) => last - i)]);
  });

  it('refuses windows over a day on both sides', async () => {
    await expect(
      createJdAdapter(context()).listOrders({ from: new Date(now.getTime() - 30 * HOUR), to: now }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
    const env = await new JdClient(context()).call('jingdong.pop.order.search', {
      start_date: '2026-01-01 00:00:00',
      end_date: '2026-01-03 00:00:00',
      page: '1',
      page_size: '10',
    });
    expect(env).toMatchObject({ searchorderinfo_result: { apiResult: { success: false } } });
  });

  it('returns detail with full province names, masked consignee and oaid, and decrypts it', async () => {
    const order = inWindow().find((o) => o.status === 'paid' && !o.refund)!;
    const adapter = createJdAdapter(context());
    const normalized = await adapter.getOrder(order.id);
    expect(normalized.receiver).toMatchObject({ province: order.receiver.province, protected: true });
    expect(normalized.receiver.addressHandle).toBeTruthy();
    expect(normalized.lines.map((l) => l.skuCode)).toEqual(order.items.map((i) => i.skuCode));
    expect(normalized.amounts.paidFen).toBe(order.paidMinor);
    const plain = await adapter.decryptReceiver(normalized);
    expect(plain).toMatchObject({
      name: order.receiver.name,
      phone: order.receiver.phone,
      detail: order.receiver.detail,
      province: order.receiver.province,
      protected: false,
    });
  });

  it('confirms a shipment; the order shows shipped and a repeat is harmless', async () => {
    const order = inWindow().find((o) => o.status === 'paid' && !o.refund)!;
    const adapter = createJdAdapter(context());
    const shipment = {
      platformOrderId: order.id,
      carrier: 'JD' as const,
      trackingNumber: 'JDVA01234567890',
      shippedAt: new Date(),
    };
    await adapter.confirmShipment(shipment);
    expect((await adapter.getOrder(order.id)).status).toBe('shipped');
    expect(store.get(VENDER, order.id)!.shipment).toMatchObject({
      carrierCode: '2087',
      trackingNumber: 'JDVA01234567890',
    });
    await expect(adapter.confirmShipment(shipment)).resolves.toBeUndefined();
    await expect(
      adapter.confirmShipment({ ...shipment, trackingNumber: 'JDVA09999999999' }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('lists refund applications made and decided in the window', async () => {
    const refunds = generateOrders({
      seed: 'jd-refunds',
      platform: 'jd',
      shopKey: VENDER,
      scenario: 'refunds',
      count: 40,
      start: new Date(now.getTime() - 20 * HOUR),
    });
    applyLifecycle(refunds, new Date(now.getTime() - 2 * HOUR));
    refunds.forEach((o) => store.upsert(o));
    // One application still waiting for the seller, whatever the generator drew, so the order's
    // own refund lock is checked on every run.
    const applied = new Date(now.getTime() - 5 * HOUR);
    const [locked] = generateOrders({
      seed: 'jd-refund-locked',
      platform: 'jd',
      shopKey: VENDER,
      scenario: 'normal_day',
      count: 1,
      start: new Date(now.getTime() - 6 * HOUR),
    });
    Object.assign(locked!, {
      status: 'paid',
      paidAt: locked!.paidAt ?? locked!.createdAt,
      paidMinor: locked!.paidMinor || locked!.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0),
      refund: {
        id: 'JD-REFUND-LOCKED',
        status: 'requested',
        kind: 'refund_only',
        amountMinor: 1_000,
        reason: '拍错了',
        createdAt: applied,
        modifiedAt: applied,
      },
      modifiedAt: applied,
      plan: [],
    });
    store.upsert(locked!);
    const adapter = createJdAdapter(context());
    const seen = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page = await adapter.listRefunds({
        from: new Date(now.getTime() - 24 * HOUR),
        to: new Date(now.getTime() - HOUR),
        cursor,
      });
      page.refunds.forEach((r) => seen.set(r.platformOrderId, r.status));
      cursor = page.nextCursor;
    } while (cursor);
    const cases = refunds.filter((o) => o.refund);
    expect(cases.length).toBeGreaterThan(10);
    const jdStatus = {
      requested: 'requested',
      agreed: 'agreed',
      returning: 'agreed',
      refused: 'refused',
      refunded: 'refunded',
      closed: 'refused',
    };
    for (const order of cases) expect(seen.get(order.id)).toBe(jdStatus[order.refund!.status]);
    expect(seen.get(locked!.id)).toBe('requested');
    expect((await adapter.getOrder(locked!.id)).refundStatus).toBe('requested');
  });

  it('refreshes an expired token through JD OAuth once, stores the new pair and repeats the call', async () => {
    const vendor: JdSimVendor = {
      venderId: VENDER,
      accessToken: 'jd-token-old',
      accessTokenExpiresAt: new Date(Date.now() - 1000),
      refreshToken: 'jd-refresh-1',
    };
    const sim = await startSimulator({ vendors: [vendor] });
    try {
      const stored: TokenSet[] = [];
      const adapter = createJdAdapter(
        context({
          baseUrl: sim.baseUrl,
          credentials: {
            ...APP,
            accessToken: 'jd-token-old',
            refreshToken: 'jd-refresh-1',
            extra: { oauthUrl: sim.baseUrl },
          },
          onTokensRefreshed: async (tokens) => {
            stored.push(tokens);
          },
        }),
      );
      const [order] = inWindow();
      // Concurrent calls that all meet the expired token share one refresh.
      const got = await Promise.all([adapter.getOrder(order!.id), adapter.getOrder(order!.id)]);
      expect(got.map((o) => o.platformOrderId)).toEqual([order!.id, order!.id]);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ accessToken: vendor.accessToken, refreshToken: vendor.refreshToken });
      expect(stored[0]!.refreshToken).not.toBe('jd-refresh-1');
      expect(Date.parse(stored[0]!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now() + 3_600_000);
    } finally {
      await sim.server.close();
    }
  });

  it('asks for re-authorization when the token is refused and there is no refresh, or JD refuses it', async () => {
    const bare = createJdAdapter(context({ credentials: { ...APP, accessToken: 'expired' } }));
    const noRefresh = await bare.getOrder('1').catch((e: unknown) => e);
    expect(noRefresh).toMatchObject({ constructor: AuthError, code: '19' });
    expect((noRefresh as Error).message).toMatch(/must authorize the app again on JD/);

    const spent = createJdAdapter(
      context({
        credentials: { ...APP, accessToken: 'expired', refreshToken: 'spent', extra: { oauthUrl: baseUrl } },
      }),
    );
    const refused = await spent.getOrder('1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as Error).message).toMatch(
      /jd refused the token refresh \(code 405: refresh_token 无效或已过期，请重新授权\); the seller must authorize the app again/,
    );
  });

  it('surfaces 429, 5xx and the call limit as retryable errors', async () => {
    const adapter = createJdAdapter(context());
    const [order] = inWindow();
    faults.fail('jingdong.pop.order.get', 429, 1, 2);
    await expect(adapter.getOrder(order!.id)).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterMs: 2_000,
    });
    faults.fail('jingdong.pop.order.get', 500);
    await expect(adapter.getOrder(order!.id)).rejects.toBeInstanceOf(TransientPlatformError);
    const limited = await startSimulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const throttled = createJdAdapter(context({ baseUrl: limited.baseUrl }));
      await throttled.getOrder(order!.id);
      await expect(throttled.getOrder(order!.id)).rejects.toBeInstanceOf(RateLimitedError);
    } finally {
      await limited.server.close();
    }
  });

  it('answers a forged signature with error_response code 12 and zh_desc', async () => {
    const res = await fetch(`${baseUrl}/routerjson`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        method: 'jingdong.pop.order.get',
        app_key: APP.appKey,
        access_token: vendors[0]!.accessToken,
        timestamp: '2026-01-01 00:00:00',
        v: '2.0',
        '360buy_param_json': '{"order_id":"1"}',
        sign: 'D70825340F4084360B9362B60DFD7930',
      }).toString(),
    });
    expect(await res.json()).toEqual({
      error_response: { code: '12', zh_desc: '无效签名', en_desc: 'Invalid signature' },
    });
  });
});

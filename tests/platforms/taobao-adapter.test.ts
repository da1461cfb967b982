import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaobaoAdapter, type TaobaoAdapter } from '../../integrations/platforms/taobao/index.js';
import { TopClient } from '../../integrations/platforms/taobao/client.js';
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
import { taobaoSimulator, type TaobaoSimShop } from '../../sandbox/platforms/taobao/index.js';

const HOUR = 3_600_000;
const APP = { appKey: '12345678', appSecret: 'tb-secret' };
const NICK = '示例旗舰店';

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const faults = new FaultPlan();
const shops: TaobaoSimShop[] = [
  { nick: NICK, userId: '2200001', accessToken: 'tb-session-1', refreshToken: 'tb-refresh-1' },
];
const now = new Date();
/** The window the paging tests list: 24 h ending an hour ago, so it lies wholly in the past. */
const window = { from: new Date(now.getTime() - 25 * HOUR), to: new Date(now.getTime() - HOUR) };

async function startSimulator(options: Partial<Parameters<typeof taobaoSimulator>[1]> = {}) {
  const server = Fastify();
  await server.register(taobaoSimulator, { store, ...APP, shops, faults, ...options });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as { port: number };
  return { server, baseUrl: `http://127.0.0.1:${port}` };
}

function context(overrides: Partial<AdapterContext> = {}): AdapterContext {
  return {
    shopId: 'shop-tb-1',
    platformShopId: NICK,
    baseUrl,
    credentials: { ...APP, accessToken: shops[0]!.accessToken, refreshToken: shops[0]!.refreshToken! },
    ...overrides,
  };
}

beforeAll(async () => {
  const day = generateOrders({
    seed: 'tb-day',
    platform: 'taobao',
    shopKey: NICK,
    scenario: 'normal_day',
    count: 160,
    start: window.from,
  });
  applyLifecycle(day, new Date(window.to.getTime() - 1));
  for (const order of day) store.upsert(order);
  ({ server: app, baseUrl } = await startSimulator());
});
afterAll(() => app.close());

async function listAll(adapter: TaobaoAdapter, range = window) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let calls = 0;
  do {
    const page = await adapter.listOrders({ ...range, cursor });
    seen.push(...page.orders.map((o) => o.platformOrderId));
    cursor = page.nextCursor;
    calls++;
  } while (cursor);
  return { seen, calls };
}

describe('Taobao adapter against the TOP simulator', () => {
  it('lists a day across pages, reading the last page first and page 1 last', async () => {
    const pages: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const params = new URLSearchParams(String(init?.body ?? ''));
      if (params.get('method') === 'taobao.trades.sold.increment.get') pages.push(params.get('page_no')!);
      return fetch(input, init);
    };
    const adapter = createTaobaoAdapter(context({ fetch: recordingFetch }), { pageSize: 40 });
    const expected = store.listModified(NICK, window.from, window.to).map((o) => o.id);
    expect(expected.length).toBeGreaterThan(100);

    const { seen } = await listAll(adapter);

    expect(new Set(seen)).toEqual(new Set(expected));
    const last = String(Math.ceil(expected.length / 40));
    expect(pages[0]).toBe('1');
    expect(pages[1]).toBe(last);
    expect(pages.at(-1)).toBe('1');
    expect(pages.slice(1).map(Number)).toEqual([...pages.slice(1).map(Number)].sort((a, b) => b - a));
  });

  it('misses nothing when orders change while it pages', async () => {
    const adapter = createTaobaoAdapter(context(), { pageSize: 25 });
    const before = store.listModified(NICK, window.from, window.to, 'desc');
    const first = await adapter.listOrders({ ...window });
    const seen = new Set(first.orders.map((o) => o.platformOrderId));
    // The newest orders (on page 1, not read yet) change now and leave the window, which shifts
    // every older order one place towards page 1.
    const moved = before.slice(0, 12);
    for (const order of moved) store.update(NICK, order.id, (o) => (o.sellerMemo = '改地址'), new Date());
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await adapter.listOrders({ ...window, cursor });
      page.orders.forEach((o) => seen.add(o.platformOrderId));
      cursor = page.nextCursor;
    }
    const unchanged = before.slice(12).map((o) => o.id);
    expect(unchanged.filter((id) => !seen.has(id))).toEqual([]);
  });

  it('refuses windows longer than a day before calling, and the simulator refuses them too', async () => {
    const adapter = createTaobaoAdapter(context());
    await expect(
      adapter.listOrders({ from: new Date(now.getTime() - 30 * HOUR), to: now }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
    const client = new TopClient(context(), 'taobao', 'md5');
    await expect(
      client.call('taobao.trades.sold.increment.get', {
        fields: 'tid',
        start_modified: '2026-01-01 00:00:00',
        end_modified: '2026-01-03 00:00:00',
      }),
    ).rejects.toThrow(/isv.invalid-parameter/);
    await expect(
      client.call('taobao.trades.sold.increment.get', {
        fields: 'tid',
        start_modified: '2026-01-01 00:00:00',
        end_modified: '2026-01-01 01:00:00',
        page_size: '101',
      }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('keeps 19-digit tids exact from the wire to the normalized order', async () => {
    const [order] = store.listModified(NICK, window.from, window.to);
    const texts: string[] = [];
    const capture: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      texts.push(await res.clone().text());
      return res;
    };
    const adapter = createTaobaoAdapter(context({ fetch: capture }));
    const normalized = await adapter.getOrder(order!.id);
    expect(order!.id).toMatch(/^\d{19}$/);
    expect(normalized.platformOrderId).toBe(order!.id);
    // On the wire the tid is a bare JSON number that JSON.parse would round.
    expect(texts[0]).toContain(`"tid":${order!.id}`);
    expect(String((JSON.parse(texts[0]!) as { trade: { tid: number } }).trade.tid)).not.toBe(order!.id);
  });

  it('returns order detail with masked receiver, oaid and catalogue SKU codes', async () => {
    const order = store.listModified(NICK, window.from, window.to).find((o) => o.items.length > 1)!;
    const normalized = await createTaobaoAdapter(context()).getOrder(order.id);
    expect(normalized.receiver.protected).toBe(true);
    expect(normalized.receiver.addressHandle).toBeTruthy();
    expect(normalized.receiver.name).not.toBe(order.receiver.name);
    expect(normalized.lines.map((l) => l.skuCode)).toEqual(order.items.map((i) => i.skuCode));
    const goods = order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0);
    expect(normalized.amounts.goodsFen).toBe(goods);
  });

  it('decrypts the receiver through the oaid, and re-fetches a stale oaid', async () => {
    const order = store.listModified(NICK, window.from, window.to).find((o) => o.status === 'paid')!;
    const adapter = createTaobaoAdapter(context());
    const normalized = await adapter.getOrder(order.id);
    const plain = await adapter.decryptReceiver(normalized);
    expect(plain).toMatchObject({
      name: order.receiver.name,
      phone: order.receiver.phone,
      detail: order.receiver.detail,
      province: order.receiver.province,
      protected: false,
    });
    // The buyer changes the address: the oaid we hold no longer matches.
    store.update(NICK, order.id, (o) => (o.receiver = { ...o.receiver, detail: '古墩路88号新地址' }));
    expect((await adapter.decryptReceiver(normalized)).detail).toBe('古墩路88号新地址');
  });

  it('confirms a shipment, after which the order shows shipped; repeating it is harmless', async () => {
    const order = store
      .listModified(NICK, window.from, window.to)
      .find((o) => o.status === 'paid' && !o.refund)!;
    const adapter = createTaobaoAdapter(context());
    const shipment = {
      platformOrderId: order.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1400123456789',
      shippedAt: new Date(),
    };
    await adapter.confirmShipment(shipment);
    expect((await adapter.getOrder(order.id)).status).toBe('shipped');
    expect(store.get(NICK, order.id)!.shipment).toMatchObject({
      carrierCode: 'SF',
      trackingNumber: 'SF1400123456789',
    });
    await expect(adapter.confirmShipment(shipment)).resolves.toBeUndefined();
    await expect(adapter.confirmShipment({ ...shipment, trackingNumber: 'SF999' })).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    await expect(adapter.confirmShipment({ ...shipment, carrier: 'SHANSONG' })).rejects.toThrow(
      /no TOP company_code/,
    );
  });

  it('ships a split order line by line: partly shipped, then shipped', async () => {
    const order = store
      .listModified(NICK, window.from, window.to)
      .find((o) => o.status === 'paid' && !o.refund && o.items.length > 1)!;
    const adapter = createTaobaoAdapter(context());
    const [first, ...rest] = order.items.map((i) => i.lineId);
    const base = { platformOrderId: order.id, carrier: 'ZTO' as const, shippedAt: new Date() };
    await adapter.confirmShipment({ ...base, trackingNumber: '7531000001', lineIds: [first!] });
    expect((await adapter.getOrder(order.id)).status).toBe('partially_shipped');
    await adapter.confirmShipment({ ...base, trackingNumber: '7531000002', lineIds: rest });
    expect((await adapter.getOrder(order.id)).status).toBe('shipped');
  });

  it('lists refunds with their case status', async () => {
    const refunds = generateOrders({
      seed: 'tb-refunds',
      platform: 'taobao',
      shopKey: NICK,
      scenario: 'refunds',
      count: 30,
      start: new Date(now.getTime() - 20 * HOUR),
    });
    applyLifecycle(refunds, new Date(now.getTime() - 2 * HOUR));
    refunds.forEach((o) => store.upsert(o));
    const adapter = createTaobaoAdapter(context(), { pageSize: 10 });
    const range = { from: new Date(now.getTime() - 24 * HOUR), to: new Date(now.getTime() - HOUR) };
    const seen = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page = await adapter.listRefunds({ ...range, cursor });
      page.refunds.forEach((r) => seen.set(r.platformOrderId, r.status));
      cursor = page.nextCursor;
    } while (cursor);
    const withRefund = refunds.filter((o) => o.refund);
    expect(withRefund.length).toBeGreaterThan(10);
    for (const order of withRefund) expect(seen.get(order.id)).toBe(order.refund!.status);
    const refunded = withRefund.find((o) => o.refund!.status === 'refunded')!;
    expect((await adapter.getOrder(refunded.id)).refundStatus).toBe('refunded');
  });

  it('refreshes an expired session once, stores the new tokens and retries', async () => {
    const refreshed: TokenSet[] = [];
    const adapter = createTaobaoAdapter(context({ onTokensRefreshed: async (t) => void refreshed.push(t) }));
    shops[0]!.accessTokenExpiresAt = new Date(now.getTime() - 1);
    const [order] = store.listModified(NICK, window.from, window.to);
    await Promise.all([adapter.getOrder(order!.id), adapter.getOrder(order!.id)]);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).toBe(shops[0]!.accessToken);
    expect(refreshed[0]!.refreshToken).toBe(shops[0]!.refreshToken);
    expect(Date.parse(refreshed[0]!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now());
  });

  it('reports an expired session it cannot refresh as AuthError', async () => {
    const adapter = createTaobaoAdapter(context({ credentials: { ...APP, accessToken: 'revoked' } }));
    await expect(adapter.getOrder('1')).rejects.toBeInstanceOf(AuthError);
  });

  it('works for Tmall shops and with HMAC signing', async () => {
    const [order] = store.listModified(NICK, window.from, window.to);
    const credentials = { ...APP, accessToken: shops[0]!.accessToken };
    const tmall = createTaobaoAdapter(context({ credentials }), { platform: 'tmall', signMethod: 'hmac' });
    const normalized = await tmall.getOrder(order!.id);
    expect(normalized.platform).toBe('tmall');
    expect(tmall.platform).toBe('tmall');
    const sha = createTaobaoAdapter(context({ credentials }), { signMethod: 'hmac-sha256' });
    expect((await sha.getOrder(order!.id)).platformOrderId).toBe(order!.id);
  });

  it('confirms a Tmall shipment signed with HMAC; the same call under another secret is refused', async () => {
    const order = store
      .listModified(NICK, window.from, window.to)
      .find((o) => o.status === 'paid' && !o.refund)!;
    const shipment = {
      platformOrderId: order.id,
      carrier: 'YTO' as const,
      trackingNumber: 'YT7000000000001',
      shippedAt: new Date(),
    };
    const forged = createTaobaoAdapter(context({ credentials: { ...APP, appSecret: 'not-the-secret' } }), {
      platform: 'tmall',
      signMethod: 'hmac',
    });
    await expect(forged.confirmShipment(shipment)).rejects.toBeInstanceOf(AuthError);
    expect(store.get(NICK, order.id)!.status).toBe('paid');
    const tmall = createTaobaoAdapter(context(), { platform: 'tmall', signMethod: 'hmac' });
    await tmall.confirmShipment(shipment);
    expect(await tmall.getOrder(order.id)).toMatchObject({ platform: 'tmall', status: 'shipped' });
    expect(store.get(NICK, order.id)!.shipment).toMatchObject({ trackingNumber: 'YT7000000000001' });
  });

  it('surfaces 429 with Retry-After as RateLimitedError and 5xx as TransientPlatformError', async () => {
    const adapter = createTaobaoAdapter(
      context({ credentials: { ...APP, accessToken: shops[0]!.accessToken } }),
    );
    const [order] = store.listModified(NICK, window.from, window.to);
    faults.fail('taobao.trade.fullinfo.get', 429, 1, 7);
    await expect(adapter.getOrder(order!.id)).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterMs: 7_000,
    });
    faults.fail('taobao.trade.fullinfo.get', 502);
    await expect(adapter.getOrder(order!.id)).rejects.toBeInstanceOf(TransientPlatformError);
    await expect(adapter.getOrder(order!.id)).resolves.toMatchObject({ platformOrderId: order!.id });
  });

  it("turns TOP's App Call Limited into RateLimitedError with the ban's length", async () => {
    const limited = await startSimulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const adapter = createTaobaoAdapter(
        context({ baseUrl: limited.baseUrl, credentials: { ...APP, accessToken: shops[0]!.accessToken } }),
      );
      const [order] = store.listModified(NICK, window.from, window.to);
      await adapter.getOrder(order!.id);
      await adapter.getOrder(order!.id);
      const err = await adapter.getOrder(order!.id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(29_000);
      expect((err as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(30_000);
    } finally {
      await limited.server.close();
    }
  });

  it('delivers TMC messages for changed trades until they are confirmed', async () => {
    const adapter = createTaobaoAdapter(
      context({ credentials: { ...APP, accessToken: shops[0]!.accessToken } }),
    );
    // Drain what earlier tests published.
    await adapter.confirmMessages((await adapter.consumeMessages({ quantity: 200 })).map((d) => d.id));
    const order = store
      .listModified(NICK, window.from, window.to)
      .find((o) => o.status === 'paid' && !o.refund)!;
    store.update(NICK, order.id, (o) => {
      o.status = 'completed';
    });
    const deliveries = await adapter.consumeMessages();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      topic: 'taobao_trade_TradeSuccess',
      userNick: NICK,
      events: [{ kind: 'order_changed', platformOrderId: order.id }],
    });
    // Not confirmed yet, but in flight: not handed out twice at once.
    expect(await adapter.consumeMessages()).toEqual([]);
    await adapter.confirmMessages(deliveries.map((d) => d.id));
    expect(await adapter.consumeMessages()).toEqual([]);
  });
});

describe('the TOP simulator rejects what TOP rejects', () => {
  const post = (params: Record<string, string>) =>
    fetch(`${baseUrl}/router/rest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

  const formatTime = (date: Date) =>
    new Date(date.getTime() + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');

  it('answers a forged signature with error_response code 25', async () => {
    const res = await post({
      method: 'taobao.trade.fullinfo.get',
      app_key: APP.appKey,
      session: shops[0]!.accessToken,
      timestamp: formatTime(new Date()),
      format: 'json',
      v: '2.0',
      sign_method: 'md5',
      fields: 'tid',
      tid: '1',
      sign: '66987CB115214E59E6EC978214934FB8',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ error_response: { code: 25, msg: 'Invalid signature' } });
  });

  it('answers a timestamp outside the tolerance with Invalid Timestamp', async () => {
    const client = new TopClient(
      context({
        now: () => new Date(Date.now() - 20 * 60_000),
        credentials: { ...APP, accessToken: shops[0]!.accessToken },
      }),
      'taobao',
      'md5',
    );
    await expect(client.call('taobao.trade.fullinfo.get', { fields: 'tid', tid: '1' })).rejects.toThrow(
      /Invalid Timestamp/,
    );
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPddAdapter } from '../../integrations/platforms/pdd/index.js';
import { PddClient } from '../../integrations/platforms/pdd/client.js';
import {
  AuthError,
  RateLimitedError,
  RequestRejectedError,
  ShipmentUnsupportedError,
  TransientPlatformError,
} from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { formParcels } from '../../domain/parcels/form.js';
import { readyOrdersFor } from '../../domain/parcels/ready.js';
import { DEFAULT_MERGE_POLICY } from '../../domain/parcels/types.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { applyLifecycle, generateOrders } from '../../sandbox/orders/generator.js';
import { visibleOnPdd } from '../../sandbox/platforms/pdd/render.js';
import { PDD_PUBLISHED_LIMITS, pddSimulator, type PddSimMall } from '../../sandbox/platforms/pdd/index.js';
import { item } from '../parcels/fixtures.js';
import { paidPddOrder } from '../support/pdd.js';
import { requestedRefund } from '../support/sim-orders.js';

const MINUTE = 60_000;
const APP = { appKey: 'pdd-client-1', appSecret: 'pdd-secret' };
const MALL = '171504183';

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const faults = new FaultPlan();
const malls: PddSimMall[] = [{ mallId: MALL, accessToken: 'pdd-token-1', refreshToken: 'pdd-refresh-1' }];
const now = new Date();
const window = { from: new Date(now.getTime() - 40 * MINUTE), to: new Date(now.getTime() - 10 * MINUTE) };

async function startSimulator(options: Partial<Parameters<typeof pddSimulator>[1]> = {}) {
  const server = Fastify();
  await server.register(pddSimulator, {
    store,
    clientId: APP.appKey,
    clientSecret: APP.appSecret,
    malls,
    faults,
    ...options,
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, baseUrl: `http://127.0.0.1:${(server.server.address() as { port: number }).port}` };
}

const context = (overrides: Partial<AdapterContext> = {}): AdapterContext => ({
  shopId: 'shop-pdd-1',
  platformShopId: MALL,
  baseUrl,
  credentials: { ...APP, accessToken: malls[0]!.accessToken, refreshToken: malls[0]!.refreshToken! },
  ...overrides,
});

const inWindow = () => store.listModified(MALL, window.from, window.to).filter(visibleOnPdd);

beforeAll(async () => {
  const burst = generateOrders({
    seed: 'pdd-live',
    platform: 'pdd',
    shopKey: MALL,
    scenario: 'livestream_burst',
    count: 430,
    start: new Date(window.from.getTime() + 5 * MINUTE),
  });
  applyLifecycle(burst, new Date(window.from.getTime() + 7 * MINUTE));
  const groups = generateOrders({
    seed: 'pdd-group',
    platform: 'pdd',
    shopKey: MALL,
    scenario: 'group_buy',
    count: 20,
    start: new Date(window.from.getTime() + 10 * MINUTE),
  });
  [...burst, ...groups].forEach((o) => store.upsert(o));
  ({ server: app, baseUrl } = await startSimulator());
});
afterAll(() => app.close());

describe('PDD adapter against the PDD simulator', () => {
  it('lists a 30-minute window across pages, backwards from the last page', async () => {
    const pages: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const params = new URLSearchParams(String(init?.body ?? ''));
      if (params.get('type') === 'pdd.order.number.list.increment.get') pages.push(params.get('page')!);
      return fetch(input, init);
    };
    const adapter = createPddAdapter(context({ fetch: recordingFetch }));
    const expected = inWindow().map((o) => o.id);
    expect(expected.length).toBeGreaterThan(400);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await adapter.listOrders({ ...window, cursor });
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen)).toEqual(new Set(expected));
    const last = Math.ceil(expected.length / 100);
    expect(pages.map(Number)).toEqual([1, ...Array.from({ length: last }, (_, i) => last - i)]);
  });

  it('normalizes the livestream and group orders it lists', async () => {
    const group = inWindow().find((o) => o.type === 'group_buy')!;
    const normalized = await createPddAdapter(context()).getOrder(group.id);
    expect(normalized).toMatchObject({
      platformOrderId: group.id,
      type: 'group_buy',
      status: 'paid',
      receiver: { protected: true, province: group.receiver.province },
    });
    expect(normalized.lines.map((l) => l.skuCode)).toEqual(group.items.map((i) => i.skuCode));
    expect(normalized.amounts.paidFen).toBe(group.paidMinor);
    expect(Date.parse(normalized.shipBy!)).toBe(
      group.paidAt!.getTime() - (group.paidAt!.getTime() % 1000) + 48 * 3_600_000,
    );
  });

  it('refuses windows over 30 minutes, on both sides', async () => {
    const adapter = createPddAdapter(context());
    await expect(
      adapter.listOrders({ from: new Date(now.getTime() - 31 * MINUTE), to: now }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
    // Straight at the simulator, bypassing the adapter's own check.
    const client = new PddClient(context());
    await expect(
      client.call('pdd.order.number.list.increment.get', {
        start_updated_at: String(Math.floor(now.getTime() / 1000) - 3600),
        end_updated_at: String(Math.floor(now.getTime() / 1000)),
      }),
    ).rejects.toThrow(/30分钟/);
    await expect(
      client.call('pdd.order.number.list.increment.get', {
        start_updated_at: String(Math.floor(now.getTime() / 1000) - 60),
        end_updated_at: String(Math.floor(now.getTime() / 1000)),
        page_size: '101',
      }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it("enforces PDD's published per-mall refund-list limit (100 per 10 s) as the sandbox runs it", async () => {
    let clock = Date.now();
    const limited = await startSimulator({
      rateLimits: PDD_PUBLISHED_LIMITS,
      now: () => new Date(clock),
    });
    try {
      const adapter = createPddAdapter(context({ baseUrl: limited.baseUrl, now: () => new Date(clock) }));
      const list = () => adapter.listRefunds(window);
      for (let i = 0; i < 100; i++) await list();
      await expect(list()).rejects.toBeInstanceOf(RateLimitedError);
      // Order detail has limits of its own, far from reached.
      await expect(adapter.getOrder(inWindow()[0]!.id)).resolves.toBeDefined();
      clock += 10_000;
      await expect(list()).resolves.toBeDefined();
    } finally {
      await limited.server.close();
    }
  });

  it('reads the carrier PDD promised the buyer from the order it serves', async () => {
    const [promised, plain] = generateOrders({
      seed: 'pdd-free-sf',
      platform: 'pdd',
      shopKey: MALL,
      scenario: 'group_buy',
      count: 10,
      start: new Date(window.from.getTime() + 12 * MINUTE),
    }).filter(visibleOnPdd);
    promised!.promisedCarrier = 'SF';
    store.upsert(promised!);
    store.upsert(plain!);
    const adapter = createPddAdapter(context());
    expect((await adapter.getOrder(promised!.id)).platformCarrier).toEqual({
      carrier: 'SF',
      source: 'pdd order_tag_list free_sf',
    });
    expect((await adapter.getOrder(plain!.id)).platformCarrier).toBeUndefined();
  });

  it('decrypts the receiver of an order awaiting shipment', async () => {
    const order = inWindow().find((o) => o.status === 'paid' && !o.refund)!;
    const adapter = createPddAdapter(context());
    const plain = await adapter.decryptReceiver(await adapter.getOrder(order.id));
    expect(plain).toMatchObject({
      name: order.receiver.name,
      phone: order.receiver.phone,
      detail: order.receiver.detail,
      province: order.receiver.province,
      protected: false,
    });
  });

  it("merges one buyer's orders by PDD's open_address_id, never by ciphertext or masks", async () => {
    const [first] = generateOrders({
      seed: 'pdd-merge',
      platform: 'pdd',
      shopKey: MALL,
      scenario: 'group_buy',
      count: 10,
      start: new Date(window.from.getTime() + 14 * MINUTE),
    }).filter((o) => visibleOnPdd(o) && o.status === 'paid' && !o.refund);
    const copy = (id: string, receiver = first!.receiver) => ({ ...first!, id, receiver: { ...receiver } });
    const again = copy(`${first!.id}-2`);
    // Another receiver whose masks read the same (same first character, same phone ends, same
    // first four and last characters of the address): only the handle tells them apart.
    const lookalike = copy(`${first!.id}-3`, {
      ...first!.receiver,
      detail: `${[...first!.receiver.detail].slice(0, 4).join('')}另一栋${[...first!.receiver.detail].at(-1)}`,
    });
    [first!, again, lookalike].forEach((o) => store.upsert(o));

    const client = new PddClient(context());
    const raw = async (sn: string) =>
      (
        (await client.call('pdd.order.information.get', { order_sn: sn })) as {
          order_info: Record<string, string>;
        }
      ).order_info;
    const [rawFirst, rawAgain] = [await raw(first!.id), await raw(again.id)];
    expect(rawAgain.receiver_name).not.toBe(rawFirst.receiver_name);
    expect(rawAgain.address).not.toBe(rawFirst.address);

    const adapter = createPddAdapter(context());
    const orders = await Promise.all([first!, again, lookalike].map((o) => adapter.getOrder(o.id)));
    expect(orders[0]!.receiver.addressHandle).toBeTruthy();
    expect(orders[1]!.receiver.addressHandle).toBe(orders[0]!.receiver.addressHandle);
    expect(orders[2]!.receiver.addressHandle).not.toBe(orders[0]!.receiver.addressHandle);
    expect(orders[2]!.receiver.detail).toBe(orders[0]!.receiver.detail);

    const ready = orders.flatMap((order) =>
      readyOrdersFor({
        orderId: `order:pdd:shop-pdd-1:${order.platformOrderId}`,
        order,
        allocationId: `${order.platformOrderId}:alloc:1`,
        shares: [{ warehouse: 'HZ', lines: [item('TEE', 1)] }],
        readyAt: '2026-11-27T08:00:00.000Z',
      }),
    );
    const parcels = formParcels(ready, {
      carrierLimits: { maxWeightG: 30_000 },
      policy: DEFAULT_MERGE_POLICY,
    });
    expect(parcels.map((p) => p.orderIds.map((id) => id.split(':').at(-1)))).toEqual([
      [first!.id, again.id],
      [lookalike.id],
    ]);
  });

  it('confirms a shipment; the order shows shipped, the receiver ciphertext is gone, repeats are harmless', async () => {
    const order = inWindow().find((o) => o.status === 'paid' && !o.refund && o.type !== 'group_buy')!;
    const adapter = createPddAdapter(context());
    const normalized = await adapter.getOrder(order.id);
    const shipment = {
      platformOrderId: order.id,
      carrier: 'ZTO' as const,
      trackingNumber: '75310000123456',
      shippedAt: new Date(),
    };
    await adapter.confirmShipment(shipment);
    expect((await adapter.getOrder(order.id)).status).toBe('shipped');
    expect(store.get(MALL, order.id)!.shipment).toMatchObject({
      carrierCode: '115',
      trackingNumber: '75310000123456',
    });
    await expect(adapter.confirmShipment(shipment)).resolves.toBeUndefined();
    await expect(adapter.decryptReceiver(normalized)).rejects.toThrow(
      /no longer carries receiver ciphertext/,
    );
  });

  it('ships a split order on its first parcel and says why a further parcel cannot be added', async () => {
    const order = inWindow().find(
      (o) => o.status === 'paid' && !o.refund && o.type !== 'group_buy' && !o.shipment,
    )!;
    const adapter = createPddAdapter(context());
    const lines = order.items.map((i) => i.lineId);
    const first = {
      platformOrderId: order.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1400000000001',
      shippedAt: new Date(),
      lineIds: lines.slice(0, 1),
    };
    // PDD has no per-line shipping: the first parcel ships the order.
    await adapter.confirmShipment(first);
    expect((await adapter.getOrder(order.id)).status).toBe('shipped');
    await expect(adapter.confirmShipment(first)).resolves.toBeUndefined();

    const second = { ...first, trackingNumber: 'SF1400000000002', lineIds: lines.slice(1) };
    const refused = await adapter.confirmShipment(second).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShipmentUnsupportedError);
    expect((refused as Error).message).toMatch(
      /already shipped under SF1400000000001; PDD's API cannot add parcel SF1400000000002/,
    );
    // The first number, which the buyer follows, is still the order's.
    expect(store.get(MALL, order.id)!.shipment!.trackingNumber).toBe('SF1400000000001');

    // Added by the seller in PDD's backend, the parcel shows in extra_delivery_list: success.
    store.update(MALL, order.id, (o) => {
      o.extraShipments = [{ carrierCode: '44', trackingNumber: 'SF1400000000002', shippedAt: new Date() }];
    });
    await expect(adapter.confirmShipment(second)).resolves.toBeUndefined();
  });

  it('replaces the waybill of a shipped order when the whole order travels under a new number', async () => {
    const order = inWindow().find(
      (o) => o.status === 'paid' && !o.refund && o.type !== 'group_buy' && !o.shipment,
    )!;
    const adapter = createPddAdapter(context());
    const shipment = {
      platformOrderId: order.id,
      carrier: 'ZTO' as const,
      trackingNumber: '75310000200001',
      shippedAt: new Date(),
    };
    await adapter.confirmShipment(shipment);
    await adapter.confirmShipment({ ...shipment, carrier: 'YTO', trackingNumber: 'YT7000000000002' });
    expect(store.get(MALL, order.id)!.shipment).toMatchObject({
      carrierCode: '85',
      trackingNumber: 'YT7000000000002',
    });
  });

  it('lists after-sales cases with their status', async () => {
    const refundStart = new Date(now.getTime() - 5 * 3_600_000);
    const refunds = generateOrders({
      seed: 'pdd-refunds',
      platform: 'pdd',
      shopKey: MALL,
      scenario: 'refunds',
      count: 40,
      start: refundStart,
    });
    applyLifecycle(refunds, now);
    refunds.forEach((o) => store.upsert(o));
    const adapter = createPddAdapter(context(), { pageSize: 5 });
    const seen = new Map<string, string>();
    for (let t = refundStart.getTime(); t < now.getTime(); t += 30 * MINUTE) {
      const range = { from: new Date(t), to: new Date(Math.min(t + 30 * MINUTE, now.getTime())) };
      let cursor: string | null = null;
      do {
        const page = await adapter.listRefunds({ ...range, cursor });
        page.refunds.forEach((r) => seen.set(r.platformOrderId, r.status));
        cursor = page.nextCursor;
      } while (cursor);
    }
    const cases = refunds.filter((o) => o.refund && o.refund.modifiedAt < now);
    expect(cases.length).toBeGreaterThan(10);
    for (const order of cases) expect(seen.get(order.id)).toBe(order.refund!.status);
  });

  it("reads an order's after-sales records: a refund on one goods holds only its line", async () => {
    const order = paidPddOrder(MALL, [
      { code: 'TS-001-RED-M', priceFen: 9_900 },
      { code: 'TEA-003-250G', priceFen: 16_800 },
    ]);
    order.refund = requestedRefund(`${Date.now()}1`, 16_800, { lineIds: [order.items[1]!.lineId] });
    store.upsert(order);
    const states = async (options: Parameters<typeof createPddAdapter>[1] = {}) => {
      const normalized = await createPddAdapter(context(), options).getOrder(order.id);
      return [normalized.status, normalized.lines.map((l) => l.refundStatus)];
    };
    expect(await states()).toEqual(['paid', ['none', 'requested']]);
    // The seller agreed and PDD refunded the goods: 退款成功 on the order speaks of that line only.
    store.update(MALL, order.id, (o) => (o.refund = { ...o.refund!, status: 'refunded' }), new Date());
    expect(await states()).toEqual(['paid', ['none', 'refunded']]);
    // The shop reads refunds per order instead: every line takes the order's state.
    expect(await states({ lineRefunds: 'order' })).toEqual(['cancelled', [undefined, undefined]]);
  });

  it('refreshes an expired token once and retries', async () => {
    const refreshed: TokenSet[] = [];
    const adapter = createPddAdapter(context({ onTokensRefreshed: async (t) => void refreshed.push(t) }));
    malls[0]!.accessTokenExpiresAt = new Date(now.getTime() - 1);
    const [order] = inWindow();
    await Promise.all([adapter.getOrder(order!.id), adapter.getOrder(order!.id)]);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).toBe(malls[0]!.accessToken);
    expect(refreshed[0]!.refreshToken).toBe(malls[0]!.refreshToken);
  });

  it('reports an expired token without a refresh token as AuthError', async () => {
    const adapter = createPddAdapter(context({ credentials: { ...APP, accessToken: 'gone' } }));
    await expect(adapter.getOrder('260301-1')).rejects.toBeInstanceOf(AuthError);
  });

  it('surfaces 429/5xx and PDD call limits as retryable errors', async () => {
    const adapter = createPddAdapter(
      context({ credentials: { ...APP, accessToken: malls[0]!.accessToken } }),
    );
    const [order] = inWindow();
    faults.fail('pdd.order.information.get', 429, 1, 3);
    await expect(adapter.getOrder(order!.id)).rejects.toMatchObject({
      constructor: RateLimitedError,
      retryAfterMs: 3_000,
    });
    faults.fail('pdd.order.information.get', 503);
    await expect(adapter.getOrder(order!.id)).rejects.toBeInstanceOf(TransientPlatformError);

    const limited = await startSimulator({ rateLimit: { limit: 1, windowMs: 10_000 } });
    try {
      const throttled = createPddAdapter(
        context({ baseUrl: limited.baseUrl, credentials: { ...APP, accessToken: malls[0]!.accessToken } }),
      );
      await throttled.getOrder(order!.id);
      await expect(throttled.getOrder(order!.id)).rejects.toBeInstanceOf(RateLimitedError);
    } finally {
      await limited.server.close();
    }
  });

  it('answers a forged signature with error_response 20004', async () => {
    const params = new URLSearchParams({
      type: 'pdd.order.information.get',
      client_id: APP.appKey,
      access_token: malls[0]!.accessToken,
      timestamp: String(Math.floor(Date.now() / 1000)),
      data_type: 'JSON',
      order_sn: '260301-1',
      sign: 'E4DE3ED21002510DED352819E7AE6775',
    });
    const res = await fetch(`${baseUrl}/api/router`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    expect(await res.json()).toMatchObject({ error_response: { error_code: 20004 } });
  });
});

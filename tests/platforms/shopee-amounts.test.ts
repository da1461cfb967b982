import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createShopeeAdapter,
  normalizeShopeeOrder,
  ShopeeOrderSchema,
} from '../../integrations/platforms/shopee/index.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { amountDue } from '../../domain/order.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  applyLifecycle,
  generateOrders,
  type GeneratedOrder,
  type Scenario,
} from '../../sandbox/orders/generator.js';
import { ShopeeSimAuth, shopeeSimulator } from '../../sandbox/platforms/shopee/index.js';
import { major, renderShopeeOrder } from '../../sandbox/platforms/shopee/render.js';

const PARTNER = { partnerId: '2001887', partnerKey: 'sp-amounts-key' };
const SHOP = '600000';
const START = new Date('2026-03-02T00:00:00Z');
// The Shopee demo shop's order mix (sandbox/stack.ts), played to the end of every order's plan.
const MIX: Array<[Scenario, number]> = [
  ['cross_border', 420],
  ['normal_day', 120],
  ['refunds', 60],
  ['cancellations', 40],
];

let server: FastifyInstance;
let orders: GeneratedOrder[];
let normalized: Map<string, NormalizedOrder>;

beforeAll(async () => {
  const store = new SimOrderStore();
  orders = MIX.flatMap(([scenario, count]) =>
    generateOrders({
      seed: `shopee-amounts-${scenario}`,
      platform: 'shopee',
      shopKey: SHOP,
      scenario,
      count,
      start: START,
    }),
  );
  applyLifecycle(orders, new Date(START.getTime() + 30 * 24 * 3_600_000));
  for (const order of orders) store.upsert(order);

  const auth = new ShopeeSimAuth();
  server = Fastify();
  await server.register(shopeeSimulator, {
    store,
    partner: PARTNER,
    auth,
    faults: new FaultPlan(),
    rateLimit: { limit: 10_000, windowMs: 1000 },
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as { port: number };
  const adapter = createShopeeAdapter({
    shopId: 'shop-sp',
    platformShopId: SHOP,
    baseUrl: `http://127.0.0.1:${port}`,
    credentials: { appKey: PARTNER.partnerId, appSecret: PARTNER.partnerKey, ...auth.grant(SHOP) },
    onTokensRefreshed: async () => {},
  });

  normalized = new Map();
  // Every order was last modified within the 15 days Shopee lets one listing span.
  const window = { from: START, to: new Date(START.getTime() + 15 * 24 * 3_600_000 - 1000) };
  let cursor: string | null = null;
  do {
    const page = await adapter.listOrders({ ...window, ...(cursor ? { cursor } : {}) });
    for (const order of page.orders) normalized.set(order.platformOrderId, order);
    cursor = page.nextCursor;
  } while (cursor);
});
afterAll(() => server.close());

describe('Shopee amounts over a generated order stream', () => {
  it('every paid order normalizes with paid = goods − discount + shipping', () => {
    const paid = orders.filter((o) => o.paidMinor > 0 && o.status !== 'unpaid');
    expect(paid.length).toBeGreaterThan(400);
    const mismatched = paid
      .map((o) => normalized.get(o.id)!)
      .filter((n) => n.amounts.paidFen !== amountDue(n.amounts))
      .map((n) => `${n.platformOrderId}: ${JSON.stringify(n.amounts)}`);
    expect(mismatched).toEqual([]);
  });

  it('counts vouchers (read from the escrow detail) and indivisible line discounts as discounts, and nothing else', () => {
    expect(normalized.size).toBe(orders.length);
    let vouchers = 0;
    let indivisible = 0;
    // Vouchers show in the escrow detail, which exists once the buyer paid.
    for (const order of orders.filter((o) => o.paidAt)) {
      const n = normalized.get(order.id)!;
      const lineDiscounts = order.items.reduce((s, i) => s + i.discountMinor, 0);
      if (order.discountMinor > 0) vouchers += 1;
      if (order.items.some((i) => i.discountMinor % i.quantity !== 0)) indivisible += 1;
      const { paidFen: _paid, ...due } = n.amounts;
      expect(due, order.id).toEqual({
        goodsFen: order.items.reduce((s, i) => s + i.unitPriceMinor * i.quantity, 0),
        discountFen: lineDiscounts + order.discountMinor,
        shippingFen: order.shippingMinor,
      });
    }
    // The stream exercises both ways the items alone understate the discount.
    expect(vouchers).toBeGreaterThan(20);
    expect(indivisible).toBeGreaterThan(5);
  });

  it('a total above the discounted items and shipping stays a mismatch for the payment audit', () => {
    const order = orders.find((o) => o.status === 'paid' && o.discountMinor === 0)!;
    const wire = JSON.parse(
      JSON.stringify(renderShopeeOrder(order), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
    wire.total_amount = major(order.paidMinor + 100, order.currency);
    const n = normalizeShopeeOrder(ShopeeOrderSchema.parse(wire), 'shop-sp');
    expect(n.amounts.discountFen).toBe(order.items.reduce((s, i) => s + i.discountMinor, 0));
    expect(n.amounts.paidFen - amountDue(n.amounts)).toBe(100);
  });
});

import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largestMinorWithin, toFen } from '../../services/capture/fx.js';
import { prepareIntake } from '../../services/capture/intake.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { amountDue, type NormalizedOrder } from '../../domain/order.js';
import { renderShopifyWebhook } from '../../sandbox/platforms/shopify/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { registerShop, waitForCaptured } from './support.js';

const RATE_DATE = '2026-01-01T00:00:00.000Z';
const usdRate = [{ currency: 'USD', rate: '7.1234', validFrom: RATE_DATE }];

function usdOrder(overrides: Partial<NormalizedOrder> = {}): NormalizedOrder {
  return {
    ...orderPush({
      currency: 'USD',
      createdAt: '2026-03-01T02:00:00Z',
      paidAt: '2026-03-01T02:01:00Z',
      modifiedAt: '2026-03-01T02:01:00Z',
      amounts: { goodsFen: 2_598, discountFen: 0, shippingFen: 0, paidFen: 2_598 },
      lines: [
        {
          lineId: '1',
          platformSkuId: '',
          skuCode: 'SKU-001-RED-M',
          title: 'Cotton T-shirt',
          quantity: 2,
          unitPriceFen: 1_299,
          discountFen: 0,
        },
      ],
      receiver: {
        name: 'Jane Doe',
        phone: '+44 20 7946 0000',
        country: 'UK',
        province: 'London',
        city: 'London',
        district: '',
        detail: '10 Downing Street',
        protected: false,
      },
      buyerRemark: 'Please gift wrap it, urgent! Call before delivery',
    }),
    platform: 'shopify',
    shopId: 'shop-1',
    ...overrides,
  };
}

describe('prepareIntake (pure)', () => {
  it('converts USD 25.98 at 7.1234 to 18507 fen exactly, keeping the rate and the original amounts', () => {
    const result = prepareIntake(usdOrder(), { rates: usdRate });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const order = result.order;
    expect(order.currency).toBe('CNY');
    expect(order.amounts).toEqual({ goodsFen: 18_507, discountFen: 0, shippingFen: 0, paidFen: 18_507 });
    expect(order.lines[0]!.unitPriceFen).toBe(9_253); // 12.99 × 7.1234 = 92.532966
    expect(order.fx).toEqual({
      originalCurrency: 'USD',
      rate: '7.1234',
      rateDate: RATE_DATE,
      originalAmounts: { goodsFen: 2_598, discountFen: 0, shippingFen: 0, paidFen: 2_598 },
    });
  });

  it('never opens a rounding gap between paid and due when the buyer paid in full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.stringMatching(/^[1-9]\.\d{1,6}$/),
        (goods, discountRaw, shipping, rate) => {
          const discount = Math.min(goods, discountRaw);
          const amounts = { goodsFen: goods, discountFen: discount, shippingFen: shipping, paidFen: 0 };
          amounts.paidFen = amountDue(amounts);
          const result = prepareIntake(usdOrder({ amounts }), {
            rates: [{ currency: 'USD', rate, validFrom: RATE_DATE }],
          });
          if (!result.ok) return false;
          return (
            result.order.amounts.paidFen === amountDue(result.order.amounts) &&
            result.order.amounts.goodsFen === toFen(goods, 'USD', rate)
          );
        },
      ),
    );
  });

  it('rounds half up once per amount, for zero-decimal currencies too', () => {
    expect(toFen(1, 'USD', '0.5')).toBe(1); // 0.5 fen → 1
    expect(toFen(1, 'USD', '0.4999')).toBe(0);
    expect(toFen(1_000, 'JPY', '0.0480')).toBe(4_800); // ¥1000 → 48.00 CNY
    expect(toFen(250_000, 'VND', '0.000290')).toBe(7_250); // 250,000 ₫ → 72.50 CNY
    expect(toFen(123_456_789, 'USD', '7.1234')).toBe(879_432_091); // 1,234,567.89 × 7.1234 = 8,794,320.907626
  });

  it('puts a CNY limit in another currency: the largest amount worth no more than it', () => {
    // S$94.34 → 500.002 CNY, which intake converts to 500.00; S$94.35 → 500.06.
    expect(largestMinorWithin(50_000, 'SGD', '5.3')).toBe(9_434);
    expect(toFen(9_435, 'SGD', '5.3')).toBeGreaterThan(50_000);
    expect(largestMinorWithin(50_000, 'USD', '7.1234')).toBe(7_019); // $70.19 → 499.99 CNY (70.20 → 500.06)
    expect(largestMinorWithin(4_800, 'JPY', '0.0480')).toBe(1_000); // exactly ¥1000 → 48.00 CNY
    expect(largestMinorWithin(0, 'USD', '7.1234')).toBe(0);
    for (const [limit, currency, rate] of [
      [50_000, 'SGD', '5.2871'],
      [123_457, 'VND', '0.000290'],
      [1, 'USD', '0.5'],
    ] as const) {
      const most = largestMinorWithin(limit, currency, rate);
      expect(toFen(most, currency, rate)).toBeLessThanOrEqual(limit);
      expect(toFen(most + 1, currency, rate)).toBeGreaterThan(limit);
    }
  });

  it('uses the rate in effect when the order was paid', () => {
    const rates = [
      { currency: 'USD', rate: '7.0000', validFrom: '2026-01-01T00:00:00Z' },
      { currency: 'USD', rate: '7.5000', validFrom: '2026-03-01T02:00:30Z' },
      { currency: 'USD', rate: '9.0000', validFrom: '2026-04-01T00:00:00Z' },
    ];
    const result = prepareIntake(usdOrder(), { rates });
    expect(result.ok && result.order.fx?.rate).toBe('7.5000');
  });

  it('turns the remark into Chinese operator instructions and keeps the remark as written', () => {
    const result = prepareIntake(usdOrder(), { rates: usdRate });
    expect(result.ok && result.order.instructions).toEqual(['礼品包装', '加急', '送货前电话联系']);
    expect(result.ok && result.order.buyerRemark).toBe('Please gift wrap it, urgent! Call before delivery');
  });

  it('writes ISO alpha-2 country codes (UK → GB)', () => {
    const result = prepareIntake(usdOrder(), { rates: usdRate });
    expect(result.ok && result.order.receiver.country).toBe('GB');
  });

  it('refuses to guess a missing rate, naming the currency; never converts twice', () => {
    const missing = prepareIntake(usdOrder({ currency: 'CHF' }), { rates: usdRate });
    expect(missing).toMatchObject({ ok: false, reason: 'no_exchange_rate', currency: 'CHF' });
    expect(!missing.ok && missing.message).toMatch(/CHF→CNY/);
    const once = prepareIntake(usdOrder(), { rates: usdRate });
    const twice = once.ok ? prepareIntake(once.order, { rates: [{ ...usdRate[0]!, rate: '9' }] }) : once;
    expect(twice.ok && twice.order.amounts.goodsFen).toBe(18_507);
  });
});

describe('cross-border intake through the API', () => {
  let h: Harness;
  let api: FastifyInstance;
  let sandbox: Sandbox;
  let ops: { authorization: string };
  let finance: { authorization: string };
  const shopifyShop = uniqueId('shopify');

  beforeAll(async () => {
    h = await createHarness();
    api = await h.api();
    sandbox = await startSandbox({ shopIds: { shopify: shopifyShop } });
    ops = bearer(await apiKeyFor(h.db, ['ops']));
    finance = bearer(await apiKeyFor(h.db, ['finance']));
    await registerShop(api, ops, sandbox.shop('shopify'), { syncEnabled: false });
    await h.startWorker();
  });
  afterAll(async () => {
    await h.teardown();
    await sandbox.stop();
  });

  const postRate = (body: Record<string, unknown>, auth = finance) =>
    api.inject({ method: 'POST', url: '/exchange-rates', headers: auth, payload: body });

  it('stores the converted amounts, the rate used, the original currency and the instructions', async () => {
    expect((await postRate({ currency: 'USD', rate: '7.1234', validFrom: RATE_DATE })).statusCode).toBe(201);
    const shopId = await createShop(h.db, 'shopify');
    const { platform: _p, shopId: _s, ...push } = usdOrder();
    const res = await submitOrder(api, { platform: 'shopify', shopId, order: push }, ops);
    expect(res.statusCode).toBe(202);
    const id = orderWorkflowId('shopify', shopId, push.platformOrderId);
    await expect
      .poll(() => h.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst(), {})
      .toBeTruthy();
    const row = await h.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      currency: 'CNY',
      goods_fen: 18_507,
      paid_fen: 18_507,
      original_currency: 'USD',
      instructions: ['礼品包装', '加急', '送货前电话联系'],
      buyer_remark: 'Please gift wrap it, urgent! Call before delivery',
    });
    expect(row.fx).toMatchObject({
      originalCurrency: 'USD',
      rate: '7.1234',
      originalAmounts: { goodsFen: 2_598 },
    });
    expect((row.receiver as { country: string }).country).toBe('GB');
  });

  it('refuses a hand-entered order in a currency without a rate (422 naming it) and raises an alert', async () => {
    const shopId = await createShop(h.db, 'own');
    const { platform: _p, shopId: _s, ...push } = usdOrder({ currency: 'CHF' });
    const res = await submitOrder(api, { platform: 'own', shopId, order: push }, ops);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/CHF/);
    expect(res.json().issues[0].field).toBe('body.order.currency');
    const alerts = await api.inject({ method: 'GET', url: `/alerts?shopId=${shopId}`, headers: ops });
    expect(alerts.json().alerts).toEqual([expect.objectContaining({ kind: 'fx_rate_missing' })]);
  });

  it('parks a pushed order without a rate, and takes it in once finance records one', async () => {
    const [order] = sandbox.placeOrders('shopify', { count: 1, scenario: 'group_buy' });
    order!.currency = 'SEK';
    const rendered = renderShopifyWebhook(
      {
        secret: sandbox.shop('shopify').credentials.appSecret,
        shopDomain: sandbox.shop('shopify').platformShopId,
      },
      order!,
      'orders/create',
    );
    const res = await api.inject({
      method: 'POST',
      url: `/webhooks/shopify/${shopifyShop}`,
      headers: rendered.headers,
      payload: rendered.body,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().orders).toEqual([expect.objectContaining({ outcome: 'parked' })]);
    const open = await api.inject({ method: 'GET', url: `/alerts?shopId=${shopifyShop}`, headers: ops });
    expect(open.json().alerts).toEqual([
      expect.objectContaining({ kind: 'fx_rate_missing', message: expect.stringMatching(/SEK.*1 order/) }),
    ]);

    expect((await postRate({ currency: 'SEK', rate: '0.68' }, ops)).statusCode).toBe(403);
    const recorded = await postRate({ currency: 'SEK', rate: '0.6800', validFrom: '2020-01-01T00:00:00Z' });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({
      rate: { currency: 'SEK', rate: '0.68' },
      released: { released: 1 },
    });

    await waitForCaptured(h.db, shopifyShop, [order!.id]);
    const row = await h.db
      .selectFrom('orders')
      .select(['currency', 'original_currency'])
      .where('shop_id', '=', shopifyShop)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ currency: 'CNY', original_currency: 'SEK' });
    const after = await api.inject({ method: 'GET', url: `/alerts?shopId=${shopifyShop}`, headers: ops });
    expect(after.json().alerts).toEqual([]);
    const rates = await api.inject({ method: 'GET', url: '/exchange-rates?currency=SEK', headers: finance });
    expect(rates.json().rates).toEqual([expect.objectContaining({ currency: 'SEK', rate: '0.68' })]);
  });
});

import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { amountDue } from '../../domain/order.js';
import { createTemuAdapter, signTemu, temuWebhookParser } from '../../integrations/platforms/temu/index.js';
import type { WebhookRequest } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { renderTemuPush, temuSimulator } from '../../sandbox/platforms/temu/index.js';
import { describeChannelContract, describeWindowRead, expectParcelByParcel } from './channel-contract.js';
import { temuSimOrder } from './temu-orders.js';

// Temu's webhooks are encrypted under the secret's first 16 bytes: a secret at least that long.
const APP = { appKey: 'f9d5cc9313893a20d5aa85c654e8f503', appSecret: 'temu-app-secret-0123456789abcdef' };
const MALL = '635517726820718';
const NOW = Date.now();
const CARRIERS = 'USPS=699272611,UPS=699272612';

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const n = String(21_905_452_099_000 + seq);
  return {
    ...temuSimOrder({
      mall: MALL,
      n,
      paidAt: new Date(NOW - 3_600_000),
      modifiedAt: new Date(NOW - 3_000_000),
      country: 'United States',
    }),
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(90 * 86_400);
const notGranted = new Set<string>();
let token: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(temuSimulator, { store, app: { ...APP, shopKey: MALL }, auth, notGranted });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  token = auth.grant(MALL).accessToken;
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const temu = createTemuAdapter({
    shopId: 'shop-temu',
    platformShopId: MALL,
    baseUrl,
    credentials: { ...APP, accessToken: token, extra: { carrierIds: CARRIERS }, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  });
  return { adapter: temu, refreshed };
}

const pushRequest = (push: { headers: Record<string, string>; body: string }): WebhookRequest => ({
  headers: push.headers,
  rawBody: Buffer.from(push.body),
  url: 'https://erp.example.com/webhooks/temu/shop-temu',
});

describeChannelContract(
  'Temu',
  () => {
    const probed = simOrder();
    store.upsert(probed);
    return {
      adapter,
      forgedAdapter: () => adapter({ appSecret: 'guessed-secret', accessToken: 'forged-token' }).adapter,
      probe: (a) => a.getOrder(probed.id),
      expireToken: () => auth.expire(token),
      push: {
        parser: temuWebhookParser,
        secrets: APP,
        shop: { shopId: 'shop-temu', platformShopId: MALL },
        signed: () => ({
          request: pushRequest(renderTemuPush(APP, probed)),
          events: [{ kind: 'order_changed', platformOrderId: probed.id }],
        }),
        forged: () => {
          const real = renderTemuPush(APP, probed);
          const { 'x-tm-signature': _, ...unsigned } = real.headers;
          return [
            pushRequest(renderTemuPush({ ...APP, appSecret: 'guessed-secret-0123456789abcdef' }, probed)),
            // Another event code under the same signature and body.
            pushRequest({
              ...real,
              headers: { ...real.headers, 'x-tm-event-code': 'bg_cancel_order_status_change' },
            }),
            pushRequest({ headers: unsigned, body: real.body }),
          ];
        },
      },
    };
  },
  { refresh: false },
);

describe('Temu signing', () => {
  it('reproduces the partner docs’ worked example (bg.logistics.shipment.confirm → 4CCF2199…838F)', () => {
    // The docs sign the nested list as the JSON text they show (its key order), so it is given as text.
    const params = {
      access_token: '2nifvmpyymvypwmcms5ct4uqqudrwgpmzbcnmkt1jzjkuaf3x56iixym',
      app_key: 'f9d5cc9313893a20d5aa85c654e8f503',
      data_type: 'JSON',
      sendRequestList:
        '[{"orderSendInfoList":[{"quantity":1,"orderSn":"211-21905473070712792","parentOrderSn":"PO-211-21905452099192792","goodsId":601099548666279,"skuId":17592352673534}],"carrierId":"699272611","trackingNumber":"270324232756"}]',
      sendType: 0,
      timestamp: 1711009072,
      type: 'bg.logistics.shipment.confirm',
    };
    expect(signTemu('c7e0a1a63542be4de3cb5488f9fba8149e8fc290', params)).toBe(
      '4CCF219942D4180C6DDA3CE36C1B838F',
    );
  });
});

describe('Temu simulator (its own checks)', () => {
  const post = (body: Record<string, unknown>) =>
    fetch(`${baseUrl}/openapi/router`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);

  it('accepts a signed request; a forged or altered sign is 3000001, a stale timestamp 3000012, an unknown token 3000031', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const body = {
      type: 'bg.order.detail.v2.get',
      app_key: APP.appKey,
      timestamp: Math.floor(Date.now() / 1000),
      data_type: 'JSON',
      access_token: token,
      parentOrderSn: sim.id,
    };
    const signed = { ...body, sign: signTemu(APP.appSecret, body) };
    expect(await post(signed)).toMatchObject({
      success: true,
      result: { parentOrderMap: { parentOrderSn: sim.id } },
    });
    const forged = createHash('md5')
      .update(`x${JSON.stringify(body)}x`)
      .digest('hex')
      .toUpperCase();
    expect(await post({ ...body, sign: forged })).toMatchObject({ success: false, errorCode: 3000001 });
    expect(await post({ ...signed, parentOrderSn: simOrder().id })).toMatchObject({ errorCode: 3000001 });
    const stale = { ...body, timestamp: body.timestamp - 600 };
    expect(await post({ ...stale, sign: signTemu(APP.appSecret, stale) })).toMatchObject({
      errorCode: 3000012,
    });
    const unknown = { ...body, access_token: 'nope' };
    expect(await post({ ...unknown, sign: signTemu(APP.appSecret, unknown) })).toMatchObject({
      errorCode: 3000031,
    });
  });
});

describe('Temu adapter against the simulator', () => {
  it('normalizes a parent order: sub-orders as lines, the receiver from the shipping info, the amounts from bg.order.amount.query', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'temu',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'USD',
      amounts: { goodsFen: 2097, discountFen: 0, shippingFen: 0, paidFen: 2097 },
      receiver: { name: 'Jane Doe', phone: '+1 212 555 0100', city: 'New York', postalCode: '10118' },
    });
    expect(order.lines.map((l) => [l.lineId, l.quantity, l.unitPriceFen])).toEqual([
      [sim.items[0]!.lineId, 2, 599],
      [sim.items[1]!.lineId, 1, 899],
    ]);
  });

  it('counts the seller’s and Temu’s discounts, shipping and tax as the buyer paid them, in the order’s currency; a refund does not make the payment short', async () => {
    const sim = simOrder({ currency: 'EUR', shippingMinor: 499, discountMinor: 300 });
    sim.items[0] = { ...sim.items[0]!, discountMinor: 100, taxMinor: 230 };
    // Retail 2,097 − seller 100 − Temu 300 + shipping 499 + tax 230.
    sim.paidMinor = 2_426;
    sim.refund = {
      id: 'RF-1',
      status: 'refunded',
      kind: 'refund_only',
      amountMinor: 899,
      reason: 'Item not wanted',
      createdAt: new Date(NOW - 1_000_000),
      modifiedAt: new Date(NOW - 900_000),
      lineIds: [sim.items[1]!.lineId],
    };
    store.upsert(sim);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order.currency).toBe('EUR');
    expect(order.amounts).toEqual({
      goodsFen: 2_097,
      discountFen: 400,
      shippingFen: 499,
      taxFen: 230,
      paidFen: 2_426,
    });
    expect(amountDue(order.amounts)).toBe(order.amounts.paidFen);
    expect(order.lines.map((l) => [l.unitPriceFen, l.discountFen])).toEqual([
      [599, 400],
      [899, 0],
    ]);
  });

  it('a shop whose app Temu has not granted the amount call still captures its orders, with amounts 0 in its currency', async () => {
    const sim = simOrder({ currency: 'GBP' });
    store.upsert(sim);
    notGranted.add('bg.order.amount.query');
    try {
      const order = await adapter({ extra: { carrierIds: CARRIERS, currency: 'GBP' } }).adapter.getOrder(
        sim.id,
      );
      expect(order.currency).toBe('GBP');
      expect(order.amounts).toEqual({ goodsFen: 0, discountFen: 0, shippingFen: 0, paidFen: 0 });
      expect(order.lines[0]).toMatchObject({ lineId: sim.items[0]!.lineId, unitPriceFen: 0 });
      // A shop that turned the call off is not asked at all (the simulator would refuse it).
      const off = await adapter({ extra: { carrierIds: CARRIERS, amountQuery: 'off' } }).adapter.getOrder(
        sim.id,
      );
      expect(off.amounts.paidFen).toBe(0);
    } finally {
      notGranted.delete('bg.order.amount.query');
    }
    // A token Temu does not know still fails the capture as the shop's authorisation problem.
    await expect(adapter({ accessToken: 'revoked' }).adapter.getOrder(sim.id)).rejects.toBeInstanceOf(
      AuthError,
    );
  });

  it('maps pending, shipped, received and cancelled parent orders', async () => {
    const { adapter: temu } = adapter();
    const cases: Array<[Partial<SimOrder>, string]> = [
      [{ status: 'unpaid' }, 'awaiting_payment'],
      [{ status: 'shipped' }, 'shipped'],
      [{ status: 'completed' }, 'completed'],
      [{ status: 'cancelled' }, 'cancelled'],
    ];
    for (const [overrides, status] of cases) {
      const sim = simOrder(overrides);
      store.upsert(sim);
      expect((await temu.getOrder(sim.id)).status).toBe(status);
    }
  });

  it('confirms a parcel of one sub-order, then the rest; a retry is done; a cancelled order and an unnamed carrier are refused', async () => {
    await expectParcelByParcel({
      adapter: adapter().adapter,
      store,
      shopKey: MALL,
      sim: simOrder(),
      first: { carrier: 'USPS', trackingNumber: '9400111899223344556677', platformCode: '699272611' },
      rest: {
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        platformCode: '699272612',
        namesLines: false,
      },
      unshippable: simOrder({ status: 'cancelled' }),
      unnamedCarrier: { carrier: 'FEDEX', order: simOrder(), says: /extra\.carrierIds/ },
    });
  });
  it('an expired token cannot be renewed by the adapter (AuthError naming the Seller Center)', async () => {
    await expect(adapter().adapter.refreshAccessToken?.()).rejects.toBeInstanceOf(AuthError);
  });
});

describeWindowRead('Temu', 'an update-time window (100 orders a page)', () => ({
  adapter: () => adapter().adapter,
  store,
  shopKey: MALL,
  simOrder,
  base: NOW - 3 * 86_400_000,
  orders: 130,
  windowMs: 600000,
  pages: { atLeast: 2 },
  longest: { ms: 86_400_000, said: 'a day' },
}));

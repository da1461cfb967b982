import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  aliexpressWebhookParser,
  createAliexpressAdapter,
  signAliexpressSync,
} from '../../integrations/platforms/aliexpress/index.js';
import type { AdapterContext, TokenSet, WebhookRequest } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  aliexpressSimSign,
  aliexpressSimulator,
  renderAliexpressOrder,
  renderAliexpressPush,
} from '../../sandbox/platforms/aliexpress/index.js';
import { describeChannelContract, describeWindowRead, expectParcelByParcel } from './channel-contract.js';

const APP = { appKey: '503312', appSecret: 'aliexpress-app-secret' };
const SELLER = '2671514005';
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    // 16 digits, past 2^53 (9007199254740992): a double would change the last digits.
    id: `90312657881${String(40_000 + seq)}`,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'USD',
    items: [
      {
        lineId: `90312657881${String(50_000 + seq)}`,
        platformSkuId: '12000031234567890',
        skuCode: 'SKU-001-RED-M',
        title: 'Cotton T-shirt',
        spec: 'Red M',
        quantity: 2,
        unitPriceMinor: 1_599,
        discountMinor: 0,
      },
      {
        lineId: `90312657881${String(60_000 + seq)}`,
        platformSkuId: '12000031234567891',
        skuCode: 'MUG-BLUE-350',
        title: 'Mug',
        spec: '',
        quantity: 1,
        unitPriceMinor: 899,
        discountMinor: 0,
      },
    ],
    shippingMinor: 350,
    discountMinor: 200,
    paidMinor: 0,
    buyer: { id: 'buyer-7788', nick: 'John' },
    receiver: {
      name: 'John Smith',
      phone: '+1 415-555-0100',
      country: 'US',
      province: 'CA',
      city: 'San Francisco',
      district: '',
      detail: '1 Market St',
      postalCode: '94105',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth();
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(aliexpressSimulator, { store, app: APP, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SELLER);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const ae = createAliexpressAdapter({
    shopId: 'shop-ae',
    platformShopId: SELLER,
    baseUrl,
    credentials: { ...APP, ...tokens, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  });
  return { adapter: ae, refreshed };
}

const pushRequest = (push: { headers: Record<string, string>; body: string }): WebhookRequest => ({
  headers: push.headers,
  rawBody: Buffer.from(push.body),
  url: 'https://erp.example.com/webhooks/aliexpress/shop-ae',
});

describeChannelContract('AliExpress', () => {
  const probed = simOrder();
  store.upsert(probed);
  return {
    adapter,
    // The seller's token, signed with a secret that is not the app's: the simulator's signature check.
    forgedAdapter: () => adapter({ appSecret: 'not-the-secret' }).adapter,
    probe: (a) => a.getOrder(probed.id),
    expireToken: () => auth.expire(tokens.accessToken),
    push: {
      parser: aliexpressWebhookParser,
      secrets: APP,
      shop: { shopId: 'shop-ae', platformShopId: SELLER },
      signed: () => ({
        request: pushRequest(renderAliexpressPush(APP, probed)),
        events: [{ kind: 'order_changed', platformOrderId: probed.id }],
      }),
      forged: () => {
        const real = renderAliexpressPush(APP, probed);
        const { authorization: _, ...unsigned } = real.headers;
        return [
          pushRequest(renderAliexpressPush({ ...APP, appSecret: 'guessed' }, probed)),
          pushRequest({ ...real, body: real.body.replace(probed.id, '9031265788199999') }),
          pushRequest({ headers: unsigned, body: real.body }),
        ];
      },
    },
  };
});

describe('AliExpress signing', () => {
  it('token calls on /rest follow the IOP rule: the official Lazada example on both the adapter’s and the simulator’s code', () => {
    const params = {
      app_key: '123456',
      access_token: 'test',
      timestamp: '1517820392000',
      sign_method: 'sha256',
      order_id: '1234',
    };
    const official = '4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A';
    expect(aliexpressSimSign('helloworld', params, '/order/get', 'sha256')).toBe(official);
  });

  it('/sync signs without a path; sha256 and md5: adapter and simulator (written apart) agree on any parameters', () => {
    const name = fc.stringMatching(/^[a-z_]{1,12}$/);
    const value = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(
        fc.dictionary(name, value, { minKeys: 1, maxKeys: 8 }),
        fc.string({ minLength: 1 }),
        (params, secret) => {
          for (const method of ['sha256', 'md5'] as const) {
            expect(signAliexpressSync(secret, params, method)).toBe(
              aliexpressSimSign(secret, params, '', method),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the simulator rejects a signed request whose parameters changed after signing, and a stale timestamp', async () => {
    const params: Record<string, string> = {
      method: 'aliexpress.solution.order.info.get',
      app_key: APP.appKey,
      sign_method: 'sha256',
      timestamp: String(Date.now()),
      session: tokens.accessToken,
      param1: JSON.stringify({ order_id: '1' }),
    };
    const sign = signAliexpressSync(APP.appSecret, params);
    const post = (p: Record<string, string>) =>
      fetch(`${baseUrl}/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(p).toString(),
      }).then((r) => r.json());
    expect(await post({ ...params, sign })).toMatchObject({
      error_response: { code: 'isv.order-not-exist' },
    });
    expect(await post({ ...params, param1: JSON.stringify({ order_id: '2' }), sign })).toMatchObject({
      error_response: { code: 'IncompleteSignature' },
    });
    const stale = { ...params, timestamp: String(Date.now() - 3 * 3_600_000) };
    expect(await post({ ...stale, sign: signAliexpressSync(APP.appSecret, stale) })).toMatchObject({
      error_response: { code: 'InvalidTimestamp' },
    });
    const md5 = { ...params, sign_method: 'md5' };
    expect(await post({ ...md5, sign: signAliexpressSync(APP.appSecret, md5, 'md5') })).toMatchObject({
      error_response: { code: 'isv.order-not-exist' },
    });
  });
});

describe('AliExpress adapter against the simulator', () => {
  it('normalizes an order: USD cents from decimal strings, the seller discount, a plain receiver with its country code', async () => {
    const sim = simOrder({ buyerRemark: 'Please ship fast' });
    store.upsert(sim);
    expect(renderAliexpressOrder(sim)).toContain(`"id":${sim.id},`);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'aliexpress',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'USD',
      amounts: { goodsFen: 4_097, discountFen: 200, shippingFen: 350, paidFen: 4_247 },
      buyerRemark: 'Please ship fast',
      receiver: {
        name: 'John Smith',
        phone: '+1 415-555-0100',
        country: 'US',
        province: 'CA',
        postalCode: '94105',
        protected: false,
      },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen])).toEqual([
      [sim.items[0]!.lineId, 'SKU-001-RED-M', 2, 1_599],
      [sim.items[1]!.lineId, 'MUG-BLUE-350', 1, 899],
    ]);
  });

  it('maps the statuses: unpaid, a cancellation asked, a dispute, finished, closed', async () => {
    const { adapter: ae } = adapter();
    const refund = {
      id: 'r1',
      status: 'requested' as const,
      kind: 'refund_only' as const,
      amountMinor: 100,
      reason: '',
      createdAt: new Date(NOW),
      modifiedAt: new Date(NOW),
    };
    const cases: Array<[Partial<SimOrder>, Record<string, unknown>]> = [
      [
        { status: 'unpaid', paidAt: undefined },
        { status: 'awaiting_payment', amounts: { paidFen: 0 } },
      ],
      [{ refund }, { status: 'paid', refundStatus: 'requested' }],
      [
        { status: 'shipped', refund },
        { status: 'shipped', refundStatus: 'requested' },
      ],
      [{ status: 'completed' }, { status: 'completed' }],
      [
        { status: 'cancelled', paidAt: undefined },
        { status: 'cancelled', amounts: { paidFen: 0 } },
      ],
    ];
    for (const [overrides, expected] of cases) {
      const sim = simOrder(overrides);
      store.upsert(sim);
      expect(await ae.getOrder(sim.id)).toMatchObject(expected);
    }
  });

  it('ships a first parcel as part, the rest as all; a retry with the same number is done; a finished order is refused', async () => {
    await expectParcelByParcel({
      adapter: adapter().adapter,
      store,
      shopKey: SELLER,
      sim: simOrder(),
      first: { carrier: 'SF', trackingNumber: 'SF1234567890', platformCode: 'SF' },
      rest: { carrier: 'EMS', trackingNumber: 'EE123456789CN', platformCode: 'EMS', namesLines: true },
      recordsLines: false,
      unshippable: simOrder({ status: 'completed' }),
    });
  });
  it('a carrier without a logistics service is refused until the shop names one', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'KYE' as const,
      trackingNumber: 'KY1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().adapter.confirmShipment(parcel)).rejects.toThrow(/extra\.serviceNames/);
    await adapter({ extra: { serviceNames: 'KYE=DHL' } }).adapter.confirmShipment(parcel);
    expect(store.get(SELLER, sim.id)).toMatchObject({ status: 'shipped', shipment: { carrierCode: 'DHL' } });
  });

  it('signs with md5 when the shop says so; a refresh spends the refresh token', async () => {
    const sim = simOrder();
    store.upsert(sim);
    expect((await adapter({ extra: { signMethod: 'md5' } }).adapter.getOrder(sim.id)).platformOrderId).toBe(
      sim.id,
    );
    auth.expire(tokens.accessToken);
    const { adapter: ae, refreshed } = adapter();
    await ae.getOrder(sim.id);
    expect(refreshed[0]!.refreshToken).not.toBe(tokens.refreshToken);
    await expect(adapter().adapter.getOrder(sim.id)).rejects.toThrow(/refresh failed/);
  });
});

describe('AliExpress pushes', () => {
  it('ignores another seller’s message and one naming no order', () => {
    const secrets = APP;
    const shop = { shopId: 'shop-ae', platformShopId: SELLER };
    const other = renderAliexpressPush(APP, simOrder({ shopKey: '1111' }));
    expect(aliexpressWebhookParser.parse(pushRequest(other), secrets, shop)).toEqual([
      { kind: 'ignored', reason: 'aliexpress push for seller 1111' },
    ]);
  });
});

describeWindowRead('AliExpress', 'a modified-time window', () => ({
  adapter: () => adapter().adapter,
  store,
  shopKey: SELLER,
  simOrder,
  base: NOW - 2 * 86_400_000,
  orders: 120,
  windowMs: 600000,
  pages: { atLeast: 3 },
  ids: /^90312657881\d{5}$/,
  longest: { ms: 7 * 86_400_000, said: 'seven days' },
}));

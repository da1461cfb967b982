import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, RequestRejectedError } from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet, WebhookRequest } from '../../integrations/platforms/types.js';
import { createYouzanAdapter, youzanWebhookParser } from '../../integrations/platforms/youzan/index.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderYouzanPush,
  renderYouzanTrade,
  YouzanSimCipher,
  youzanSimSign,
  youzanSimulator,
} from '../../sandbox/platforms/youzan/index.js';
import { describeChannelContract, describeWindowRead, expectParcelByParcel } from './channel-contract.js';

const APP = { clientId: 'c0ffee1234567890abcd', clientSecret: 'youzan-client-secret' };
const KDT = '46712583';
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    id: `E20261205101500${String(100_000_000 + seq)}`,
    shopKey: KDT,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        // Past 2^53: a double would change the last digits.
        lineId: `1476547473726939${String(100 + seq)}`,
        platformSkuId: '36251012',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        spec: '颜色:红色;尺码:M',
        quantity: 2,
        unitPriceMinor: 5_900,
        discountMinor: 500,
      },
      {
        lineId: `1476547473726940${String(100 + seq)}`,
        platformSkuId: '36251013',
        skuCode: 'MUG-BLUE-350',
        title: '马克杯',
        spec: '',
        quantity: 1,
        unitPriceMinor: 3_500,
        discountMinor: 0,
      },
    ],
    shippingMinor: 800,
    discountMinor: 1_000,
    paidMinor: 0,
    buyer: { id: 'buyer-9527', nick: '小王' },
    receiver: {
      name: '王小明',
      phone: '13812345678',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路 398 号 5 幢 1201',
      postalCode: '310013',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth();
let token: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(youzanSimulator, { store, app: { ...APP, kdtIds: [KDT] }, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  token = auth.grant(KDT).accessToken;
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const youzan = createYouzanAdapter({
    shopId: 'shop-yz',
    platformShopId: KDT,
    baseUrl,
    credentials: { appKey: APP.clientId, appSecret: APP.clientSecret, accessToken: token, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  });
  return { adapter: youzan, refreshed };
}

const pushRequest = (push: { headers: Record<string, string>; body: string }): WebhookRequest => ({
  headers: push.headers,
  rawBody: Buffer.from(push.body),
  url: 'https://erp.example.com/webhooks/youzan/shop-yz',
});

describeChannelContract('Youzan', () => {
  const probed = simOrder();
  store.upsert(probed);
  return {
    adapter,
    // A token Youzan never issued, and client credentials it does not know to replace it.
    forgedAdapter: () => adapter({ accessToken: 'forged-token', appSecret: 'guessed-secret' }).adapter,
    probe: (a) => a.getOrder(probed.id),
    expireToken: () => auth.expire(token),
    push: {
      parser: youzanWebhookParser,
      secrets: { appKey: APP.clientId, appSecret: APP.clientSecret },
      shop: { shopId: 'shop-yz', platformShopId: KDT },
      signed: () => ({
        request: pushRequest(renderYouzanPush(APP, probed)),
        events: [{ kind: 'order_changed', platformOrderId: probed.id }],
      }),
      forged: () => {
        const other = renderYouzanPush({ ...APP, clientSecret: 'guessed' }, probed);
        const real = renderYouzanPush(APP, probed);
        const { 'event-sign': _, ...unsigned } = real.headers;
        return [
          pushRequest(other),
          pushRequest({ headers: other.headers, body: real.body }),
          pushRequest({ ...real, body: real.body.replace(probed.id, 'E20261205101500999999999') }),
          pushRequest({ headers: unsigned, body: real.body }),
        ];
      },
    },
  };
});

describe('Youzan simulator (its own checks)', () => {
  it('takes the token only in the query: in a header it is the gateway’s 4201, unknown 4203, an unknown API 4005', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const call = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ tid: sim.id }),
      }).then((r) => r.json());
    expect(await call(`/api/youzan.trade.get/4.0.0?access_token=${token}`)).toMatchObject({
      success: true,
      code: 200,
    });
    expect(await call('/api/youzan.trade.get/4.0.0', { authorization: `Bearer ${token}` })).toEqual({
      gw_err_resp: { err_code: 4201, err_msg: '非法的请求凭证' },
    });
    expect(await call('/api/youzan.trade.get/4.0.0?access_token=nope')).toMatchObject({
      gw_err_resp: { err_code: 4203 },
    });
    expect(await call(`/api/youzan.trade.nothing/1.0.0?access_token=${token}`)).toMatchObject({
      gw_err_resp: { err_code: 4005 },
    });
  });
});

describe('Youzan adapter against the simulator', () => {
  it('asks a token by silent grant for the shop’s kdt_id when it holds none; a shop that did not authorise the app is AuthError', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: youzan, refreshed } = adapter({ accessToken: undefined });
    expect((await youzan.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessTokenExpiresAt).toMatch(/Z$/);
    const stranger = createYouzanAdapter({
      shopId: 'shop-other',
      platformShopId: '999',
      baseUrl,
      credentials: { appKey: APP.clientId, appSecret: APP.clientSecret },
    });
    await expect(stranger.getOrder(sim.id)).rejects.toBeInstanceOf(AuthError);
  });

  it('a tool app refreshes with its refresh token, and stores the new one', async () => {
    const grant = auth.grant(KDT);
    auth.expire(grant.accessToken);
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: youzan, refreshed } = adapter({
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
    });
    await youzan.getOrder(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.refreshToken).toBeTruthy();
    expect(refreshed[0]!.refreshToken).not.toBe(grant.refreshToken);
  });

  it('normalizes a trade: yuan strings to fen, 19-digit oids exact, the receiver as ciphertext; the plaintext only from decrypt.batch', async () => {
    const sim = simOrder({ buyerRemark: '请周末送货' });
    store.upsert(sim);
    expect(renderYouzanTrade(sim, new YouzanSimCipher('x'))).toContain(`"oid":${sim.items[0]!.lineId},`);
    const { adapter: youzan } = adapter();
    const order = await youzan.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'youzan',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'CNY',
      // Goods 2 × 59.00 + 35.00; discounts 5.00 (line) + 10.00 (order); shipping 8.00.
      amounts: { goodsFen: 15_300, discountFen: 1_500, shippingFen: 800, paidFen: 14_600 },
      buyerRemark: '请周末送货',
      receiver: { province: '浙江省', city: '杭州市', district: '西湖区', protected: true },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen, l.discountFen])).toEqual([
      [sim.items[0]!.lineId, 'SKU-001-RED-M', 2, 5_900, 1_500],
      [sim.items[1]!.lineId, 'MUG-BLUE-350', 1, 3_500, 0],
    ]);
    expect(order.lines[0]!.title).toBe('纯棉T恤 红色 M');
    expect(JSON.stringify(order.receiver)).not.toContain('13812345678');
    expect(JSON.stringify(order.receiver)).not.toContain('王小明');
    expect(await youzan.decryptReceiver(order)).toMatchObject({
      name: '王小明',
      phone: '13812345678',
      detail: '文三路 398 号 5 幢 1201',
      protected: false,
    });
  });

  it('maps the statuses: unpaid, a forming group, shipped, closed; a refund in progress', async () => {
    const { adapter: youzan } = adapter();
    const cases: Array<[Partial<SimOrder>, Record<string, unknown>]> = [
      [
        { status: 'unpaid', paidAt: undefined },
        { status: 'awaiting_payment', amounts: { paidFen: 0 } },
      ],
      [
        { type: 'group_buy', groupStatus: 'forming' },
        { status: 'paid', type: 'group_buy', groupStatus: 'forming' },
      ],
      [{ status: 'completed' }, { status: 'completed' }],
      [{ status: 'cancelled' }, { status: 'cancelled' }],
      [
        {
          refund: {
            id: 'r1',
            status: 'requested',
            kind: 'refund_only',
            amountMinor: 100,
            reason: '',
            createdAt: new Date(NOW),
            modifiedAt: new Date(NOW),
          },
        },
        { refundStatus: 'requested' },
      ],
    ];
    for (const [overrides, expected] of cases) {
      const sim = simOrder(overrides);
      store.upsert(sim);
      expect(await youzan.getOrder(sim.id)).toMatchObject(expected);
    }
  });

  it('confirms a parcel of some lines with their oids, then the rest; a retry with the same number is done', async () => {
    await expectParcelByParcel({
      adapter: adapter().adapter,
      store,
      shopKey: KDT,
      sim: simOrder(),
      first: { carrier: 'SF', trackingNumber: 'SF1234567890', platformCode: '7' },
      rest: { carrier: 'ZTO', trackingNumber: 'ZTO7788990011', platformCode: '3', namesLines: false },
    });
  });
  it('a carrier without an express id is refused until the shop names one; a closed trade is refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'KYE' as const,
      trackingNumber: 'KY1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().adapter.confirmShipment(parcel)).rejects.toThrow(/extra\.expressIds/);
    await adapter({ extra: { expressIds: 'KYE=445' } }).adapter.confirmShipment(parcel);
    expect(store.get(KDT, sim.id)!.status).toBe('shipped');
    const closed = simOrder({ status: 'cancelled' });
    store.upsert(closed);
    await expect(
      adapter().adapter.confirmShipment({ ...parcel, carrier: 'SF', platformOrderId: closed.id }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });
});

describe('Youzan pushes', () => {
  const secrets = { appKey: APP.clientId, appSecret: APP.clientSecret };
  const shop = { shopId: 'shop-yz', platformShopId: KDT };

  it('acknowledges and ignores the console’s test push and pushes for other shops', () => {
    const sim = simOrder();
    const push = renderYouzanPush(APP, sim);
    const testBody = push.body.replace('"test":false', '"test":true');
    const testHeaders = {
      ...push.headers,
      'event-sign': youzanSimSign(APP.clientId, testBody, APP.clientSecret),
    };
    expect(
      youzanWebhookParser.parse(pushRequest({ headers: testHeaders, body: testBody }), secrets, shop),
    ).toEqual([{ kind: 'ignored', reason: 'youzan test push' }]);
    const other = renderYouzanPush(APP, simOrder({ shopKey: '999' }));
    expect(youzanWebhookParser.parse(pushRequest(other), secrets, shop)).toEqual([
      { kind: 'ignored', reason: 'youzan push for shop 999' },
    ]);
  });
});

describeWindowRead('Youzan', 'an update-time window', () => ({
  adapter: () => adapter().adapter,
  store,
  shopKey: KDT,
  simOrder,
  base: NOW - 2 * 86_400_000,
  orders: 230,
  windowMs: 600000,
  pages: { atLeast: 3 },
  longest: { ms: 86_400_000, said: 'a day' },
}));

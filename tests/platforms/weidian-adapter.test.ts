import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { createWeidianAdapter } from '../../integrations/platforms/weidian/index.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { renderWeidianOrder, weidianSimulator } from '../../sandbox/platforms/weidian/index.js';
import {
  describeChannelContract,
  describeWindowRead,
  expectKitOrderStates,
  expectParcelByParcel,
} from './channel-contract.js';

const APP = { appKey: '692318', secret: 'weidian-app-secret' };
const SHOP = '1738492651';
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    id: `7945381234${String(50_000 + seq)}`,
    shopKey: SHOP,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        lineId: `8820${String(100_000 + seq)}1`,
        platformSkuId: '4412019',
        skuCode: 'SKU-001-RED-M',
        title: '手工皂',
        spec: '玫瑰',
        quantity: 3,
        unitPriceMinor: 2_800,
        discountMinor: 300,
      },
      {
        lineId: `8820${String(100_000 + seq)}2`,
        platformSkuId: '4412020',
        skuCode: 'MUG-BLUE-350',
        title: '马克杯',
        spec: '',
        quantity: 1,
        unitPriceMinor: 3_500,
        discountMinor: 0,
      },
    ],
    shippingMinor: 600,
    discountMinor: 500,
    paidMinor: 0,
    buyer: { id: 'wd-buyer-1', nick: '小李' },
    receiver: {
      name: '李小红',
      phone: '13900001111',
      country: 'CN',
      province: '广东省',
      city: '深圳市',
      district: '南山区',
      detail: '科技园南区 8 栋 302',
      postalCode: '518057',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(90_000);
let token: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(weidianSimulator, { store, app: { ...APP, shopKey: SHOP }, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  token = auth.grant(SHOP).accessToken;
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const weidian = createWeidianAdapter({
    shopId: 'shop-wd',
    platformShopId: SHOP,
    baseUrl,
    credentials: { appKey: APP.appKey, appSecret: APP.secret, accessToken: token, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  });
  return { adapter: weidian, refreshed };
}

describeChannelContract(
  'Weidian',
  () => {
    const probed = simOrder();
    store.upsert(probed);
    return {
      adapter,
      // A token Weidian never issued, and a secret that gets no other.
      forgedAdapter: () => adapter({ accessToken: 'forged-token', appSecret: 'guessed' }).adapter,
      probe: (a) => a.getOrder(probed.id),
      expireToken: () => auth.expire(token),
    };
  },
  { push: false },
);

describe('Weidian simulator (its own checks)', () => {
  it('answers a call with a token it issued; an unknown one is 10013, an expired one 10014, a bad public JSON 10003', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const call = (pub: string) =>
      fetch(`${baseUrl}/api`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ param: JSON.stringify({ order_id: sim.id }), public: pub }).toString(),
      }).then((r) => r.json());
    const pub = (t: string) =>
      JSON.stringify({ method: 'vdian.order.get', access_token: t, version: '1.0', format: 'json' });
    expect(await call(pub(token))).toMatchObject({
      status: { status_code: 0 },
      result: { order_id: sim.id },
    });
    expect(await call(pub('nope'))).toMatchObject({ status: { status_code: 10013 } });
    auth.expire(token);
    expect(await call(pub(token))).toMatchObject({ status: { status_code: 10014 } });
    expect(await call('not json')).toMatchObject({ status: { status_code: 10003 } });
  });
});

describe('Weidian adapter against the simulator', () => {
  it('asks its token with the app key and secret when it holds none; a wrong secret is AuthError', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: weidian, refreshed } = adapter({ accessToken: undefined });
    expect((await weidian.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    await expect(
      adapter({ accessToken: undefined, appSecret: 'x' }).adapter.getOrder(sim.id),
    ).rejects.toBeInstanceOf(AuthError);
  });

  it('normalizes an order: yuan strings to fen, sub-orders as lines, a plain receiver', async () => {
    const sim = simOrder({ buyerRemark: '送人的，不要放发票' });
    store.upsert(sim);
    expect(renderWeidianOrder(sim)).toContain(`"order_id":"${sim.id}"`);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'weidian',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'CNY',
      // Goods 3 × 28.00 + 35.00; discounts 3.00 (line) + 5.00 (order); shipping 6.00.
      amounts: { goodsFen: 11_900, discountFen: 800, shippingFen: 600, paidFen: 11_700 },
      buyerRemark: '送人的，不要放发票',
      receiver: {
        name: '李小红',
        phone: '13900001111',
        district: '南山区',
        postalCode: '518057',
        protected: false,
      },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen, l.discountFen])).toEqual([
      [sim.items[0]!.lineId, 'SKU-001-RED-M', 3, 2_800, 300],
      [sim.items[1]!.lineId, 'MUG-BLUE-350', 1, 3_500, 0],
    ]);
  });

  it('maps unpaid, shipped, finished and closed orders, and a refunding sub-order', async () => {
    const { adapter: weidian } = adapter();
    await expectKitOrderStates(weidian, store, simOrder, { id: 'r1', amountMinor: 3_500, at: new Date(NOW) });
  });

  it('delivers a parcel of some sub-orders, then the rest; a retry with the same number is done; a closed order is refused', async () => {
    await expectParcelByParcel({
      adapter: adapter().adapter,
      store,
      shopKey: SHOP,
      sim: simOrder(),
      first: { carrier: 'SF', trackingNumber: 'SF1234567890', platformCode: '1' },
      rest: { carrier: 'ZTO', trackingNumber: 'ZTO7788990011', platformCode: '3', namesLines: false },
      unshippable: simOrder({ status: 'cancelled' }),
      unnamedCarrier: { carrier: 'KYE', order: simOrder(), says: /extra\.expressTypes/ },
    });
  });
});

describeWindowRead('Weidian', 'an update-time window (newest first)', () => ({
  adapter: () => adapter().adapter,
  store,
  shopKey: SHOP,
  simOrder,
  base: NOW - 2 * 86_400_000,
  orders: 130,
  windowMs: 600_000,
  pages: { atLeast: 3 },
  longest: { ms: 86_400_000, said: 'a day' },
}));

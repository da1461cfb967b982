import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import {
  alibaba1688SignPath,
  createAlibaba1688Adapter,
  signAlibaba1688,
} from '../../integrations/platforms/alibaba-1688/index.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { alibaba1688Simulator, renderAlibaba1688Order } from '../../sandbox/platforms/alibaba-1688/index.js';
import {
  describeChannelContract,
  describeWindowRead,
  expectKitOrderStates,
  expectParcelByParcel,
} from './channel-contract.js';

const APP = { appKey: '8261935', appSecret: '1688-app-secret' };
const SELLER = 'b2b-2208713564092';
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  // 18-digit ids beyond 2^53, as the doc's example (193441303243969811).
  return {
    id: `1934413032${String(43_960_000 + seq)}`,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        lineId: `1934413032${String(53_960_000 + seq)}`,
        platformSkuId: '4412019',
        skuCode: 'SKU-001-RED-M',
        title: '散装太空豆',
        spec: '颜色:红色',
        quantity: 11,
        unitPriceMinor: 900,
        discountMinor: 270,
      },
      {
        lineId: `1934413032${String(63_960_000 + seq)}`,
        platformSkuId: '4412020',
        skuCode: 'MUG-BLUE-350',
        title: '马克杯',
        spec: '',
        quantity: 2,
        unitPriceMinor: 3_500,
        discountMinor: 0,
      },
    ],
    shippingMinor: 100,
    discountMinor: 500,
    paidMinor: 0,
    buyer: { id: 'b2b-1624961198', nick: 'alitestforisv02' },
    receiver: {
      name: '黎明',
      phone: '13900001111',
      country: 'CN',
      province: '北京',
      city: '北京市',
      district: '东城区',
      town: '东华门街道',
      detail: '南池子大街 8 号',
      postalCode: '721000',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(36_000);
let grant: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(alibaba1688Simulator, { store, app: { ...APP, shopKey: SELLER }, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  grant = auth.grant(SELLER);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const a = createAlibaba1688Adapter({
    shopId: 'shop-1688',
    platformShopId: SELLER,
    baseUrl,
    credentials: { ...APP, accessToken: grant.accessToken, refreshToken: grant.refreshToken, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  });
  return { adapter: a, refreshed };
}

describeChannelContract(
  '1688',
  () => {
    const probed = simOrder();
    store.upsert(probed);
    return {
      adapter,
      // Signed with a secret 1688 never issued, holding a token it never issued.
      forgedAdapter: () =>
        adapter({ appSecret: 'guessed-secret', accessToken: 'forged-token', refreshToken: 'forged-refresh' })
          .adapter,
      probe: (a) => a.getOrder(probed.id),
      expireToken: () => auth.expire(grant.accessToken),
    };
  },
  { push: false },
);

describe('1688 simulator (its own checks)', () => {
  /** A raw call signed with `secret` (the adapter's signer; the simulator checks with its own code). */
  function call(form: Record<string, string>, secret = APP.appSecret, alter?: Record<string, string>) {
    const path = alibaba1688SignPath(1, 'com.alibaba.trade', 'alibaba.trade.get.sellerView', APP.appKey);
    const signed = { ...form, _aop_signature: signAlibaba1688(secret, path, form), ...alter };
    return fetch(`${baseUrl}/openapi/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(signed).toString(),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  }

  it('accepts a request signed with the app secret; a forged or altered signature is 400, an unknown token 401', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const form = {
      webSite: '1688',
      orderId: sim.id,
      access_token: grant.accessToken,
      _aop_timestamp: String(Date.now()),
    };
    const ok = await call(form);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ success: true, result: { baseInfo: { idOfStr: sim.id } } });
    expect(await call(form, 'not-the-secret')).toMatchObject({
      status: 400,
      body: { error_code: 'gw.SignatureInvalid' },
    });
    expect(await call(form, APP.appSecret, { orderId: simOrder().id })).toMatchObject({
      status: 400,
      body: { error_code: 'gw.SignatureInvalid' },
    });
    expect(await call({ ...form, access_token: 'nope' })).toMatchObject({ status: 401 });
  });
});

describe('1688 adapter against the simulator', () => {
  it('keeps 18-digit ids exact and reads yuan numbers as fen', async () => {
    const sim = simOrder({ buyerRemark: '请用纸箱包装' });
    store.upsert(sim);
    // The body carries the id as a bare JSON number beyond 2^53 and as idOfStr.
    expect(renderAlibaba1688Order(sim)).toContain(`"id":${sim.id}`);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'alibaba_1688',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'CNY',
      // Goods 11 × 9.00 + 2 × 35.00; discounts 2.70 (line) + 5.00 (order); shipping 1.00.
      amounts: { goodsFen: 16_900, discountFen: 770, shippingFen: 100, paidFen: 16_230 },
      buyerRemark: '请用纸箱包装',
      receiver: {
        name: '黎明',
        phone: '13900001111',
        district: '东城区',
        postalCode: '721000',
        protected: false,
      },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen])).toEqual([
      [sim.items[0]!.lineId, 'SKU-001-RED-M', 11, 900],
      [sim.items[1]!.lineId, 'MUG-BLUE-350', 2, 3_500],
    ]);
    expect(order.lines.reduce((t, l) => t + l.discountFen, 0)).toBe(770);
  });

  it('maps unpaid, shipped, finished and cancelled orders, and a refund waiting for the seller on one line', async () => {
    const { adapter: a } = adapter();
    await expectKitOrderStates(a, store, simOrder, { id: 'TQ1', amountMinor: 7_000, at: new Date(NOW) });
  });

  it('sends a parcel of some sub-orders, then the rest; a retry with the same number is done; a closed order is refused', async () => {
    await expectParcelByParcel({
      adapter: adapter().adapter,
      store,
      shopKey: SELLER,
      sim: simOrder(),
      first: { carrier: 'SF', trackingNumber: 'SF1234567890', platformCode: 'SF' },
      rest: { carrier: 'ZTO', trackingNumber: 'ZTO7788990011', platformCode: 'ZTO', namesLines: false },
      unshippable: simOrder({ status: 'cancelled' }),
      unnamedCarrier: { carrier: 'KYE', order: simOrder(), says: /extra\.cpCodes/ },
    });
  });
  it('a wrong app secret is refused (AuthError) and no token is stored', async () => {
    const sim = simOrder();
    store.upsert(sim);
    auth.expire(grant.accessToken);
    const { adapter: a, refreshed } = adapter({ appSecret: 'x' });
    await expect(a.getOrder(sim.id)).rejects.toBeInstanceOf(AuthError);
    expect(refreshed).toHaveLength(0);
  });
});

describeWindowRead('1688', 'a modify-time window (20 orders a page)', () => ({
  adapter: () => adapter().adapter,
  store,
  shopKey: SELLER,
  simOrder,
  base: NOW - 2 * 86_400_000,
  orders: 55,
  windowMs: 600000,
  pages: { atLeast: 3 },
  longest: { ms: 86_400_000, said: 'a day' },
}));

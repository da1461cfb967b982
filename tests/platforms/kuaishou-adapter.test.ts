import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import {
  createKuaishouAdapter,
  kuaishouSignString,
  kuaishouWebhookParser,
  signKuaishouRequest,
} from '../../integrations/platforms/kuaishou/index.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { kuaishouSimulator, renderKuaishouPush } from '../../sandbox/platforms/kuaishou/index.js';
import { kuaishouSignMatches } from '../../sandbox/platforms/kuaishou/verify.js';

const APP = { appKey: 'ks699183844582124027', appSecret: 'ks-app-secret', signSecret: 'ks-sign-secret' };
const MESSAGE_SECRET = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
const SELLER = '2161524184';
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const id = `26076022402${String(40301 + seq).padStart(5, '0')}`;
  return {
    id,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        lineId: `2${id.slice(1, -1)}7`,
        platformSkuId: '8123456789012',
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        spec: '颜色:红色;尺码:M',
        quantity: 2,
        unitPriceMinor: 9_900,
        discountMinor: 1_000,
      },
    ],
    shippingMinor: 800,
    discountMinor: 500,
    paidMinor: 18_100,
    buyer: { id: 'buyer-1', nick: '快手用户' },
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      town: '文新街道',
      detail: '文三路100号',
    },
    buyerRemark: '请周末送货',
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(48 * 3600);
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(kuaishouSimulator, { store, app: APP, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SELLER);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-ks',
    platformShopId: SELLER,
    baseUrl,
    credentials: {
      appKey: APP.appKey,
      appSecret: APP.appSecret,
      ...tokens,
      extra: { signSecret: APP.signSecret },
      ...overrides,
    },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  };
  return { ks: createKuaishouAdapter(ctx), refreshed };
}

describe('Kuaishou signing', () => {
  it('builds the sorted k=v string with the sign secret appended last, and the simulator agrees on both methods', () => {
    const params = {
      access_token: 'token',
      appkey: 'ks123',
      method: 'open.seller.order.list',
      param: '{"title":"短袖"}',
      signMethod: 'MD5',
      timestamp: '1583271919000',
      version: '1',
    };
    // The SDKs' worked input (MORE-CHANNELS §1.2): the string is what both SDKs build.
    expect(kuaishouSignString(params, 'sign-secret')).toBe(
      'access_token=token&appkey=ks123&method=open.seller.order.list&param={"title":"短袖"}&signMethod=MD5&timestamp=1583271919000&version=1&signSecret=sign-secret',
    );
    const md5 = signKuaishouRequest(params, 'sign-secret', 'MD5');
    expect(md5).toMatch(/^[0-9a-f]{32}$/);
    expect(kuaishouSignMatches({ ...params, sign: md5 }, 'sign-secret').ok).toBe(true);
    const hmac = { ...params, signMethod: 'HMAC_SHA256' };
    const sign = signKuaishouRequest(hmac, 'sign-secret');
    expect(Buffer.from(sign, 'base64')).toHaveLength(32);
    expect(kuaishouSignMatches({ ...hmac, sign }, 'sign-secret').ok).toBe(true);
    expect(kuaishouSignMatches({ ...hmac, sign }, 'other-secret').ok).toBe(false);
    expect(kuaishouSignMatches({ ...hmac, timestamp: '1583271919001', sign }, 'sign-secret').ok).toBe(false);
  });
});

describe('Kuaishou adapter against the simulator', () => {
  it('lists a window page by page with the cursor until "nomore", 16-digit ids exact', async () => {
    const base = NOW - 86_400_000;
    const created = Array.from({ length: 120 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    store.upsert(simOrder({ modifiedAt: new Date(base + 3_600_000) }));
    const { ks } = adapter();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await ks.listOrders({ from: new Date(base), to: new Date(base + 120_000), cursor });
      seen.push(...page.orders.map((o) => o.platformOrderId));
      // An order changing while the window is read does not push others out of it.
      if (pages === 0) store.update(SELLER, created[0]!.id, (o) => (o.sellerMemo = '改'), new Date(NOW));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(new Set(created.map((o) => o.id)));
  });

  it('refuses a window over seven days before calling; a seven-day window is read', async () => {
    const { ks } = adapter();
    const from = new Date(NOW - 8 * 86_400_000);
    await expect(ks.listOrders({ from, to: new Date(NOW) })).rejects.toBeInstanceOf(RequestRejectedError);
    const wide = createKuaishouAdapter({
      shopId: 'shop-ks',
      platformShopId: SELLER,
      baseUrl,
      credentials: { ...APP, ...tokens, extra: { signSecret: APP.signSecret } },
    });
    await expect(
      wide.listOrders({ from: new Date(NOW - 7 * 86_400_000), to: new Date(NOW) }),
    ).resolves.toBeDefined();
  });

  it('normalizes an order in fen with a protected receiver, decrypted only through open.order.decrypt.batch', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { ks } = adapter();
    const order = await ks.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'kuaishou',
      platformOrderId: sim.id,
      status: 'paid',
      amounts: { goodsFen: 19_800, discountFen: 1_500, shippingFen: 800, paidFen: 18_100 },
      buyerRemark: '请周末送货',
      lines: [{ skuCode: 'SKU-001-RED-M', quantity: 2, unitPriceFen: 9_900, platformSkuId: '8123456789012' }],
    });
    expect(order.receiver.protected).toBe(true);
    expect(JSON.stringify(order)).not.toContain('张三');
    expect(JSON.stringify(order)).not.toContain('13800001234');
    const plain = await ks.decryptReceiver(order);
    expect(plain).toMatchObject({
      name: '张三',
      phone: '13800001234',
      detail: '文三路100号',
      protected: false,
    });
  });

  it('confirms a shipment; a retry with the same number counts as done; an unknown order is refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { ks } = adapter();
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'ZTO' as const,
      trackingNumber: '75312345678901',
      shippedAt: new Date(),
    };
    await ks.confirmShipment(confirmation);
    expect(store.get(SELLER, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { trackingNumber: '75312345678901' },
    });
    await ks.confirmShipment(confirmation);
    expect((await ks.getOrder(sim.id)).status).toBe('shipped');
    await expect(
      ks.confirmShipment({ ...confirmation, trackingNumber: 'SF0000000001' }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a forming group is not shippable: the order waits and the simulator refuses to ship it', async () => {
    const sim = simOrder({ type: 'group_buy', groupStatus: 'forming' });
    store.upsert(sim);
    const { ks } = adapter();
    expect(await ks.getOrder(sim.id)).toMatchObject({ type: 'group_buy', groupStatus: 'forming' });
    await expect(
      ks.confirmShipment({
        platformOrderId: sim.id,
        carrier: 'SF',
        trackingNumber: 'SF1234567890',
        shippedAt: new Date(),
      }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a request signed with another secret is refused as AuthError; an expired token is refreshed once', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { ks: forged } = adapter({ extra: { signSecret: 'not-the-secret' } });
    await expect(forged.getOrder(sim.id)).rejects.toBeInstanceOf(AuthError);

    auth.expire(tokens.accessToken);
    const { ks, refreshed } = adapter();
    expect((await ks.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
  });
});

describe('Kuaishou push', () => {
  const request = (body: string, headers: Record<string, string>) => ({
    headers,
    rawBody: Buffer.from(body),
    url: 'https://erp.example.com/webhooks/kuaishou/shop-ks',
  });
  const secrets = { appKey: APP.appKey, appSecret: APP.appSecret, webhookSecret: MESSAGE_SECRET };
  const shop = { shopId: 'shop-ks', platformShopId: SELLER };

  it('decrypts a pushed message under the message secret and names the order, id exact', () => {
    const sim = simOrder({ id: '2607602240240301' });
    const push = renderKuaishouPush(
      { appKey: APP.appKey, messageSecret: MESSAGE_SECRET },
      sim,
      'kwaishop_order_paySuccess',
    );
    expect(push.body).not.toContain('2607602240240301');
    expect(kuaishouWebhookParser.parse(request(push.body, push.headers), secrets, shop)).toEqual([
      {
        kind: 'order_changed',
        platformOrderId: '2607602240240301',
        modifiedAt: sim.modifiedAt.toISOString(),
      },
    ]);
  });

  it('refuses a message encrypted under another key, and ignores console test messages', () => {
    const sim = simOrder();
    const forged = renderKuaishouPush(
      {
        appKey: APP.appKey,
        messageSecret: Buffer.from('fedcba9876543210fedcba9876543210').toString('base64'),
      },
      sim,
      'kwaishop_order_addOrder',
    );
    expect(() => kuaishouWebhookParser.parse(request(forged.body, forged.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const test = renderKuaishouPush(
      { appKey: APP.appKey, messageSecret: MESSAGE_SECRET },
      sim,
      'kwaishop_order_addOrder',
      {
        test: true,
      },
    );
    expect(kuaishouWebhookParser.parse(request(test.body, test.headers), secrets, shop)).toEqual([
      { kind: 'ignored', reason: 'kuaishou console test message' },
    ]);
  });
});

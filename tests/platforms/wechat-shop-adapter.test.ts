import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import {
  createWechatShopAdapter,
  decryptWechatMessage,
  wechatPushSignature,
  wechatShopWebhookParser,
} from '../../integrations/platforms/wechat-shop/index.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderWechatShopPush,
  wechatShopSimulator,
  wechatSimEncrypt,
  wechatSimSignature,
} from '../../sandbox/platforms/wechat-shop/index.js';

const APP = { appId: 'wx5f1b2c3d4e5f6a7b', appSecret: 'wx-app-secret' };
const SHOP = 'gh_5f1b2c3d4e5f';
const PUSH = { token: 'pushtoken', encodingAesKey: Buffer.alloc(32, 7).toString('base64').slice(0, 43) };
const NOW = Date.now();

let seq = 0;
/** 19-digit ids past 2^53 (9007199254740992): a double would change their last digits. */
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const sku = (n: number) => `2${String(seq).padStart(6, '0')}0000000000${String(n).padStart(2, '0')}`;
  return {
    id: `370511505847${String(1_000_000 + seq).padStart(7, '0')}`,
    shopKey: SHOP,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_600_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        lineId: sku(1),
        platformSkuId: sku(1),
        skuCode: 'SKU-001-RED-M',
        title: '纯棉T恤',
        spec: '红色 M',
        quantity: 2,
        unitPriceMinor: 10_000,
        discountMinor: 2_000,
      },
      {
        lineId: sku(2),
        platformSkuId: sku(2),
        skuCode: 'SKU-002',
        title: '帆布包',
        spec: '',
        quantity: 1,
        unitPriceMinor: 500,
        discountMinor: 0,
      },
    ],
    shippingMinor: 500,
    discountMinor: 0,
    paidMinor: 19_000,
    buyer: { id: 'buyer-1', nick: '微信用户' },
    receiver: {
      name: '陈先生',
      phone: '13800138000',
      country: 'CN',
      province: '广东省',
      city: '广州市',
      district: '海珠区',
      detail: '大塘路8号',
      postalCode: '510000',
    },
    buyerRemark: '下午送',
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(7200);

beforeAll(async () => {
  app = Fastify();
  await app.register(wechatShopSimulator, { store, app: { ...APP, shopKey: SHOP }, auth, prefix: '/wechat' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/wechat`;
});
afterAll(() => app.close());

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-wx',
    platformShopId: SHOP,
    baseUrl,
    credentials: { appKey: APP.appId, appSecret: APP.appSecret, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  };
  return { wx: createWechatShopAdapter(ctx), refreshed };
}

describe('WeChat Channels shop against the simulator', () => {
  it('fetches its token with the app id and secret, keeps it, and fetches a new one once when WeChat refuses it', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { wx, refreshed } = adapter();
    expect((await wx.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    await wx.getOrder(sim.id);
    expect(refreshed).toHaveLength(1);
    auth.expire(refreshed[0]!.accessToken);
    await wx.getOrder(sim.id);
    expect(refreshed).toHaveLength(2);
    await expect(adapter({ appSecret: 'not-the-secret' }).wx.getOrder(sim.id)).rejects.toBeInstanceOf(
      AuthError,
    );
  });

  it('a call with a token WeChat issued is served; one with a forged token is refused (40001)', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const token = (await (
      await fetch(
        `${baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${APP.appId}&secret=${APP.appSecret}`,
      )
    ).json()) as { access_token: string };
    const call = (accessToken: string) =>
      fetch(`${baseUrl}/channels/ec/order/get?access_token=${accessToken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: sim.id }),
      }).then((r) => r.json() as Promise<{ errcode: number; order?: { order_id: string } }>);
    expect(await call(token.access_token)).toMatchObject({ errcode: 0, order: { order_id: sim.id } });
    expect(await call('forged-token')).toMatchObject({ errcode: 40001 });
  });

  it('lists ids by update time with next_key and reads each order, 19-digit ids exact', async () => {
    const base = Math.floor((NOW - 2 * 86_400_000) / 1000) * 1000;
    const created = Array.from({ length: 130 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    const { wx } = adapter();
    const seen = new Set<string>();
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await wx.listOrders({ from: new Date(base), to: new Date(base + 600_000), cursor });
      page.orders.forEach((o) => seen.add(o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(new Set(created.map((o) => o.id)));
    expect([...seen].every((id) => /^370511505847\d{7}$/.test(id))).toBe(true);
    await expect(
      wx.listOrders({ from: new Date(NOW - 8 * 86_400_000), to: new Date(NOW) }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('normalizes a masked order; the plain receiver comes only from sensitiveinfo/decode', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { wx } = adapter();
    const order = await wx.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'wechat_shop',
      status: 'paid',
      currency: 'CNY',
      amounts: { goodsFen: 20_500, discountFen: 2_000, shippingFen: 500, paidFen: 19_000 },
      buyerRemark: '下午送',
      receiver: { name: '陈**', province: '广东省', city: '广州市', district: '海珠区', protected: true },
    });
    expect(JSON.stringify(order)).not.toContain('13800138000');
    expect(order.lines.map((l) => [l.lineId, l.quantity, l.unitPriceFen, l.discountFen])).toEqual([
      [sim.items[0]!.platformSkuId, 2, 10_000, 2_000],
      [sim.items[1]!.platformSkuId, 1, 500, 0],
    ]);
    expect(await wx.decryptReceiver(order)).toMatchObject({
      name: '陈先生',
      phone: '13800138000',
      detail: '大塘路8号',
      protected: false,
    });
  });

  it('ships a parcel per delivery naming its products; a retry with the same waybill is done; the rest ships the order', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { wx } = adapter();
    const [first, second] = (await wx.getOrder(sim.id)).lines;
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'YUNDA' as const,
      trackingNumber: 'YD1234567890',
      shippedAt: new Date(),
      lineIds: [first!.lineId],
    };
    await wx.confirmShipment(parcel);
    expect((await wx.getOrder(sim.id)).status).toBe('partially_shipped');
    await wx.confirmShipment(parcel);
    await wx.confirmShipment({ ...parcel, trackingNumber: 'YD1234567891', lineIds: [second!.lineId] });
    expect(store.get(SHOP, sim.id)).toMatchObject({ status: 'shipped', shipment: { carrierCode: 'YD' } });
    await expect(
      adapter({ extra: { deliveryIds: 'YUNDA=NOPE' } }).wx.confirmShipment({
        ...parcel,
        trackingNumber: 'YD9',
      }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });
});

describe('WeChat Channels shop pushes', () => {
  const shop = { shopId: 'shop-wx', platformShopId: SHOP };
  const secrets = {
    appKey: APP.appId,
    appSecret: APP.appSecret,
    webhookSecret: `${PUSH.token}|${PUSH.encodingAesKey}`,
  };
  const request = (push: { headers: Record<string, string>; body: string; query: string }) => ({
    headers: push.headers,
    rawBody: Buffer.from(push.body),
    url: `https://erp.example.com/webhooks/wechat_shop/shop-wx?${push.query}`,
  });

  it('adapter and simulator agree on the signature and the safe-mode cipher', () => {
    expect(wechatPushSignature(['b', 'c', 'a'])).toBe(wechatSimSignature('a', 'b', 'c'));
    const sealed = wechatSimEncrypt(PUSH.encodingAesKey, APP.appId, '{"Event":"x"}');
    expect(decryptWechatMessage(PUSH.encodingAesKey, sealed)).toEqual({
      message: '{"Event":"x"}',
      appId: APP.appId,
    });
  });

  it('takes a safe-mode push (msg_signature, AES) and a plain one, naming the order with its 19-digit id', () => {
    const sim = simOrder({ id: '3705115058471208928' });
    const safe = renderWechatShopPush(
      { appId: APP.appId, originalId: SHOP, ...PUSH },
      sim,
      'channels_ec_order_pay',
    );
    expect(safe.body).toContain('Encrypt');
    expect(wechatShopWebhookParser.parse(request(safe), secrets, shop)).toEqual([
      { kind: 'order_changed', platformOrderId: '3705115058471208928' },
    ]);
    const plain = renderWechatShopPush(
      { appId: APP.appId, originalId: SHOP, token: PUSH.token },
      sim,
      'channels_ec_order_new',
    );
    expect(
      wechatShopWebhookParser.parse(request(plain), { ...secrets, webhookSecret: PUSH.token }, shop),
    ).toEqual([{ kind: 'order_changed', platformOrderId: '3705115058471208928' }]);
  });

  it('refuses a push signed with another token, altered after signing, or encrypted for another app', () => {
    const sim = simOrder();
    const forged = renderWechatShopPush(
      { appId: APP.appId, originalId: SHOP, ...PUSH, token: 'forged' },
      sim,
      'channels_ec_order_pay',
    );
    expect(() => wechatShopWebhookParser.parse(request(forged), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const push = renderWechatShopPush(
      { appId: APP.appId, originalId: SHOP, ...PUSH },
      sim,
      'channels_ec_order_pay',
    );
    // The ciphertext's first character changed (to one it is not: a random 'A' stays 'A' 1 time in 64).
    const altered = {
      ...push,
      body: push.body.replace(
        /"Encrypt":"(.)/,
        (_, first: string) => `"Encrypt":"${first === 'A' ? 'B' : 'A'}`,
      ),
    };
    expect(() => wechatShopWebhookParser.parse(request(altered), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const otherApp = renderWechatShopPush(
      { appId: 'wx-other-app', originalId: SHOP, ...PUSH },
      sim,
      'channels_ec_order_pay',
    );
    expect(() => wechatShopWebhookParser.parse(request(otherApp), secrets, shop)).toThrow(/decrypt/);
  });
});

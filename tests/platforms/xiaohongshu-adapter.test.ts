import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import {
  createXiaohongshuAdapter,
  signXiaohongshuRequest,
  xiaohongshuSignString,
  xiaohongshuWebhookParser,
} from '../../integrations/platforms/xiaohongshu/index.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderXiaohongshuPush,
  XIAOHONGSHU_GATEWAY_PATH,
  xiaohongshuExpectedSign,
  xiaohongshuSimulator,
} from '../../sandbox/platforms/xiaohongshu/index.js';

const APP = { appKey: '21d6e4c2f748be8de0', appSecret: 'xhs-app-secret' };
const SELLER = '5f1b2c3d4e5f6a7b8c9d0e1f';
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const sku = (n: number) => `64a1b2c3d4e5f6a7b8c9d${String(n).padStart(3, '0')}`;
  return {
    id: `P7188705452502${String(10_000 + seq).padStart(5, '0')}`,
    shopKey: SELLER,
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
        unitPriceMinor: 9_900,
        discountMinor: 1_000,
      },
      {
        lineId: sku(2),
        platformSkuId: sku(2),
        skuCode: 'SKU-002',
        title: '帆布包',
        spec: '白色',
        quantity: 1,
        unitPriceMinor: 5_900,
        discountMinor: 0,
      },
    ],
    shippingMinor: 800,
    discountMinor: 500,
    paidMinor: 24_000,
    buyer: { id: 'buyer-1', nick: '小红薯' },
    receiver: {
      name: '王小红',
      phone: '13812345678',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      town: '文新街道',
      detail: '文三路100号华星大厦1201室',
    },
    buyerRemark: '请用纸箱包装',
    ...overrides,
  };
}

let app: FastifyInstance;
let gateway: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(7 * 24 * 3600);
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(xiaohongshuSimulator, { store, app: APP, auth, prefix: '/xiaohongshu' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  gateway = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/xiaohongshu${XIAOHONGSHU_GATEWAY_PATH}`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SELLER);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}, now?: () => Date) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-xhs',
    platformShopId: SELLER,
    baseUrl: gateway,
    credentials: { ...APP, ...tokens, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
    ...(now ? { now } : {}),
  };
  return { xhs: createXiaohongshuAdapter(ctx), refreshed };
}

describe('Xiaohongshu signing', () => {
  it('builds the doc example’s string (its values masked by the doc), and adapter and simulator agree', () => {
    expect(
      xiaohongshuSignString(
        'product.createItem',
        '21d6***748be8de0',
        '1612518379',
        '429a***a3aee9ef9e4a858210',
      ),
    ).toBe(
      'product.createItem?appId=21d6***748be8de0&timestamp=1612518379&version=2.0429a***a3aee9ef9e4a858210',
    );
    const sign = signXiaohongshuRequest('order.getOrderDetail', APP.appKey, '1612518379', APP.appSecret);
    expect(sign).toMatch(/^[0-9a-f]{32}$/);
    expect(
      xiaohongshuExpectedSign(
        { method: 'order.getOrderDetail', appId: APP.appKey, timestamp: '1612518379', version: '2.0' },
        APP.appSecret,
      ),
    ).toBe(sign);
  });

  it('the simulator verifies a signed raw request and rejects one whose method changed after signing', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = {
      appId: APP.appKey,
      timestamp,
      version: '2.0',
      method: 'order.getOrderDetail',
      sign: signXiaohongshuRequest('order.getOrderDetail', APP.appKey, timestamp, APP.appSecret),
      accessToken: tokens.accessToken,
      orderId: sim.id,
    };
    const send = (body: object) =>
      fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(
        (r) => r.json() as Promise<{ success: boolean; error_code: number; data?: { orderId: string } }>,
      );
    expect(await send(signed)).toMatchObject({ success: true, data: { orderId: sim.id } });
    expect(await send({ ...signed, method: 'order.getOrderReceiverInfo' })).toMatchObject({
      success: false,
      error_code: -102,
    });
  });
});

describe('Xiaohongshu adapter against the simulator', () => {
  it('reads a 30-minute window from the last page to the first and loses no order that changes while it is read', async () => {
    const base = Math.floor((NOW - 86_400_000) / 1000) * 1000;
    const created = Array.from({ length: 230 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    store.upsert(simOrder({ modifiedAt: new Date(base + 3_600_000) }));
    const { xhs } = adapter();
    const seen = new Set<string>();
    let cursor: string | null | undefined;
    const cursors: Array<string | null | undefined> = [];
    do {
      cursors.push(cursor);
      const page = await xhs.listOrders({ from: new Date(base), to: new Date(base + 1_800_000), cursor });
      page.orders.forEach((o) => seen.add(o.platformOrderId));
      // After the first read an order changes: it leaves the window and the older ones move up.
      if (cursors.length === 2)
        store.update(SELLER, created[200]!.id, (o) => (o.sellerMemo = 'x'), new Date(NOW));
      cursor = page.nextCursor;
    } while (cursor);
    expect(cursors).toEqual([undefined, '3', '2', '1']);
    expect(seen).toEqual(new Set(created.map((o) => o.id)));
  });

  it('refuses a window over 30 minutes before calling', async () => {
    await expect(
      adapter().xhs.listOrders({ from: new Date(NOW - 31 * 60_000), to: new Date(NOW) }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('normalizes a masked order; the plain receiver comes only from order.getOrderReceiverInfo, and not once the address changed', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { xhs } = adapter();
    const order = await xhs.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'xiaohongshu',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'CNY',
      amounts: { goodsFen: 25_700, discountFen: 1_500, shippingFen: 800, paidFen: 25_000 },
      buyerRemark: '请用纸箱包装',
      receiver: { name: '王**', phone: '138****5678', province: '浙江省', city: '杭州市', protected: true },
    });
    expect(order.receiver.addressHandle).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(order)).not.toContain('13812345678');
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen, l.discountFen])).toEqual([
      [sim.items[0]!.platformSkuId, 'SKU-001-RED-M', 2, 9_900, 1_500],
      [sim.items[1]!.platformSkuId, 'SKU-002', 1, 5_900, 0],
    ]);

    expect(await xhs.decryptReceiver(order)).toMatchObject({
      name: '王小红',
      phone: '13812345678',
      town: '文新街道',
      detail: '文三路100号华星大厦1201室',
      protected: false,
    });
    store.update(SELLER, sim.id, (o) => (o.receiver = { ...o.receiver, detail: '文一路1号' }), new Date());
    await expect(xhs.decryptReceiver(order)).rejects.toThrow(/address changed/);
  });

  it('ships a parcel of part of the order as 拆包发货; a retry with the same number is done; the rest ships the order', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { xhs } = adapter();
    const [first, second] = (await xhs.getOrder(sim.id)).lines;
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890',
      shippedAt: new Date(),
      lineIds: [first!.lineId],
    };
    await xhs.confirmShipment(parcel);
    expect((await xhs.getOrder(sim.id)).status).toBe('partially_shipped');
    await xhs.confirmShipment(parcel);
    await xhs.confirmShipment({ ...parcel, trackingNumber: 'SF1234567891', lineIds: [second!.lineId] });
    expect(store.get(SELLER, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'shunfeng' },
    });
    await expect(
      xhs.confirmShipment({ ...parcel, trackingNumber: 'SF9999999999', lineIds: undefined }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a carrier without a code is refused until the shop names one', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'HTKY' as const,
      trackingNumber: 'HT1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().xhs.confirmShipment(confirmation)).rejects.toThrow(/expressCompanyCodes/);
    await adapter({ extra: { expressCompanyCodes: 'HTKY=zhongtong' } }).xhs.confirmShipment(confirmation);
    expect(store.get(SELLER, sim.id)?.shipment).toMatchObject({ carrierCode: 'zhongtong' });
  });

  it('another secret and a stale clock are refused as AuthError; an expired token is refreshed once', async () => {
    const sim = simOrder();
    store.upsert(sim);
    await expect(adapter({ appSecret: 'not-the-secret' }).xhs.getOrder(sim.id)).rejects.toBeInstanceOf(
      AuthError,
    );
    await expect(adapter({}, () => new Date(Date.now() - 600_000)).xhs.getOrder(sim.id)).rejects.toThrow(
      /timestamp/,
    );

    auth.expire(tokens.accessToken);
    const { xhs, refreshed } = adapter();
    expect((await xhs.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
  });
});

describe('Xiaohongshu pushes', () => {
  const request = (body: string, headers: Record<string, string>) => ({
    headers,
    rawBody: Buffer.from(body),
    url: 'https://erp.example.com/webhooks/xiaohongshu/shop-xhs',
  });
  const secrets = { appKey: APP.appKey, appSecret: APP.appSecret };
  const shop = { shopId: 'shop-xhs', platformShopId: SELLER };

  it('takes a signed fulfilment push and names the order; another seller’s is ignored', () => {
    const sim = simOrder();
    const push = renderXiaohongshuPush(APP.appSecret, sim);
    expect(xiaohongshuWebhookParser.parse(request(push.body, push.headers), secrets, shop)).toEqual([
      { kind: 'order_changed', platformOrderId: sim.id, modifiedAt: sim.modifiedAt.toISOString() },
    ]);
    const other = renderXiaohongshuPush(APP.appSecret, { ...sim, shopKey: '5f0000000000000000000000' });
    expect(xiaohongshuWebhookParser.parse(request(other.body, other.headers), secrets, shop)).toMatchObject([
      { kind: 'ignored' },
    ]);
  });

  it('refuses a push signed with another secret or altered after signing', () => {
    const sim = simOrder();
    const forged = renderXiaohongshuPush('forged', sim);
    expect(() => xiaohongshuWebhookParser.parse(request(forged.body, forged.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const push = renderXiaohongshuPush(APP.appSecret, sim);
    const altered = push.body.replace(sim.id, 'P718870545250200000');
    expect(() => xiaohongshuWebhookParser.parse(request(altered, push.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });
});

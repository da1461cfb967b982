import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import {
  createLazadaAdapter,
  lazadaSignString,
  lazadaWebhookParser,
  signLazadaRequest,
} from '../../integrations/platforms/lazada/index.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  lazadaExpectedSign,
  lazadaSimulator,
  renderLazadaPush,
} from '../../sandbox/platforms/lazada/index.js';
import { describeWindowRead } from './channel-contract.js';

const APP = { appKey: '100132', appSecret: 'lz-app-secret' };
const SELLER = '1000276412';
const NOW = Date.now();

let seq = 0;
/** Ids past 2^53 (9007199254740992): a double would change their last digits. */
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const id = `98765432100${String(10_000 + seq).padStart(5, '0')}`;
  return {
    id,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_600_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'SGD',
    items: [
      {
        lineId: `5${String(seq).padStart(12, '0')}`,
        platformSkuId: '2345678901',
        skuCode: 'SKU-001-RED-M',
        title: 'Cotton T-shirt',
        spec: 'Red, M',
        quantity: 2,
        unitPriceMinor: 125_000,
        discountMinor: 1_001,
      },
    ],
    shippingMinor: 399,
    discountMinor: 500,
    paidMinor: 249_898,
    buyer: { id: 'buyer-1', nick: 'Tan Wei Ming' },
    receiver: {
      name: 'Tan Wei Ming',
      phone: '6591234567',
      country: 'SG',
      province: 'Singapore',
      city: 'Singapore',
      district: 'Tampines',
      detail: '10 Tampines Central 1, #05-01',
      postalCode: '529536',
    },
    buyerRemark: 'Please call before delivery',
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(7 * 24 * 3600);
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(lazadaSimulator, { store, app: APP, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SELLER);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}, now?: () => Date) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-lz',
    platformShopId: SELLER,
    baseUrl,
    credentials: {
      ...APP,
      ...tokens,
      extra: { venture: 'sg', authUrl: baseUrl },
      ...overrides,
    },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
    ...(now ? { now } : {}),
  };
  return { lz: createLazadaAdapter(ctx), refreshed };
}

describe('Lazada signing', () => {
  it('matches the official example (docId 108069) on both the adapter and the simulator', () => {
    const params = {
      app_key: '123456',
      access_token: 'test',
      timestamp: '1517820392000',
      sign_method: 'sha256',
      order_id: '1234',
    };
    expect(lazadaSignString('/order/get', params)).toBe(
      '/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000',
    );
    const official = '4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A';
    expect(signLazadaRequest('helloworld', '/order/get', params)).toBe(official);
    expect(lazadaExpectedSign('helloworld', '/order/get', { ...params, sign: official })).toBe(official);
    expect(signLazadaRequest('helloworld', '/orders/get', params)).not.toBe(official);
  });
});

describe('Lazada adapter against the simulator', () => {
  it('normalizes an order: one line per unit, SGD cents, vouchers as the discount, plain receiver', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { lz } = adapter();
    const order = await lz.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'lazada',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'SGD',
      amounts: { goodsFen: 250_000, discountFen: 1_501, shippingFen: 399, paidFen: 248_898 },
      buyerRemark: 'Please call before delivery',
      receiver: {
        name: 'Tan Wei Ming',
        country: 'SG',
        postalCode: '529536',
        detail: '10 Tampines Central 1, #05-01',
        protected: false,
      },
    });
    expect(order.lines).toHaveLength(2);
    expect(order.lines.map((l) => [l.skuCode, l.quantity, l.unitPriceFen])).toEqual([
      ['SKU-001-RED-M', 1, 125_000],
      ['SKU-001-RED-M', 1, 125_000],
    ]);
    expect(new Set(order.lines.map((l) => l.lineId)).size).toBe(2);
  });

  it('ships through pack and ready-to-ship; a retry with the same number is done; a parcel of one unit leaves the order partly shipped', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { lz } = adapter();
    const [first, second] = (await lz.getOrder(sim.id)).lines;
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890',
      shippedAt: new Date(),
      lineIds: [first!.lineId],
    };
    await lz.confirmShipment(parcel);
    expect((await lz.getOrder(sim.id)).status).toBe('partially_shipped');
    await lz.confirmShipment(parcel);
    await lz.confirmShipment({ ...parcel, trackingNumber: 'SF1234567891', lineIds: [second!.lineId] });
    expect(store.get(SELLER, sim.id)?.status).toBe('shipped');
    expect((await lz.getOrder(sim.id)).status).toBe('shipped');
    // A different number for items already sent is refused by Lazada, not taken as done.
    await expect(
      lz.confirmShipment({ ...parcel, trackingNumber: 'SF9999999999', lineIds: undefined }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a carrier without a Lazada provider is refused until the shop names one', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'YUNDA' as const,
      trackingNumber: 'YD1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().lz.confirmShipment(confirmation)).rejects.toThrow(/shipmentProviders/);
    const { lz } = adapter({ extra: { authUrl: baseUrl, shipmentProviders: 'YUNDA=J&T Express' } });
    await lz.confirmShipment(confirmation);
    expect(store.get(SELLER, sim.id)?.shipment).toMatchObject({ carrierCode: 'J&T Express' });
  });

  it('a request signed with another secret is refused as AuthError; a stale clock is refused; an expired token is refreshed once', async () => {
    const sim = simOrder();
    store.upsert(sim);
    await expect(adapter({ appSecret: 'not-the-secret' }).lz.getOrder(sim.id)).rejects.toBeInstanceOf(
      AuthError,
    );
    const late = adapter({}, () => new Date(Date.now() - 7_300_000)).lz;
    await expect(late.getOrder(sim.id)).rejects.toThrow(/7200 seconds/);

    auth.expire(tokens.accessToken);
    const { lz, refreshed } = adapter();
    expect((await lz.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
  });
});

describe('Lazada push', () => {
  const request = (body: string, headers: Record<string, string>) => ({
    headers,
    rawBody: Buffer.from(body),
    url: 'https://erp.example.com/webhooks/lazada/shop-lz',
  });
  const secrets = { appKey: APP.appKey, appSecret: APP.appSecret };
  const shop = { shopId: 'shop-lz', platformShopId: SELLER };

  it('takes a push signed over app key + body and names the order, id exact', () => {
    const sim = simOrder({ id: '9876543210987654' });
    const push = renderLazadaPush(APP, sim);
    expect(push.body).toContain('"trade_order_id":9876543210987654');
    expect(lazadaWebhookParser.parse(request(push.body, push.headers), secrets, shop)).toEqual([
      {
        kind: 'order_changed',
        platformOrderId: '9876543210987654',
        modifiedAt: new Date(Math.floor(sim.modifiedAt.getTime() / 1000) * 1000).toISOString(),
      },
    ]);
  });

  it('refuses a push signed with another secret or altered after signing', () => {
    const sim = simOrder();
    const forged = renderLazadaPush({ ...APP, appSecret: 'forged' }, sim);
    expect(() => lazadaWebhookParser.parse(request(forged.body, forged.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const push = renderLazadaPush(APP, sim);
    const altered = push.body.replace(sim.id, '1111111111111111');
    expect(() => lazadaWebhookParser.parse(request(altered, push.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });
});

describeWindowRead('Lazada', 'an update-time window', () => ({
  adapter: () => adapter().lz,
  store,
  shopKey: SELLER,
  simOrder,
  base: NOW - 86_400_000,
  orders: 230,
  windowMs: 300000,
  pages: { atLeast: 3 },
  ids: /^98765432100\d{5}$/,
  longest: { ms: 7 * 86_400_000, said: 'seven days' },
}));

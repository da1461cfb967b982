import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import {
  createTiktokAdapter,
  signTiktokRequest,
  tiktokSignString,
  tiktokWebhookParser,
} from '../../integrations/platforms/tiktok/index.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderTiktokPush,
  TIKTOK_SIM_PROVIDERS,
  tiktokExpectedSign,
  tiktokShopCipher,
  tiktokSimulator,
} from '../../sandbox/platforms/tiktok/index.js';
import { describeWindowRead } from './channel-contract.js';

const APP = { appKey: '6abc1234defg5', appSecret: 'tt-app-secret' };
const SHOP = '7494049642642441621';
const NOW = Date.now();
const PROVIDERS = `SF=${TIKTOK_SIM_PROVIDERS.SF},DHL=${TIKTOK_SIM_PROVIDERS.DHL}`;

let seq = 0;
/** 18-digit ids past 2^53 (9007199254740992): a double would change their last digits. */
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    id: `5801932308679${String(10_000 + seq).padStart(5, '0')}`,
    shopKey: SHOP,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_600_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'MYR',
    items: [
      {
        lineId: `57708651212${String(100_000 + seq).padStart(6, '0')}`,
        platformSkuId: '1729382476852921560',
        skuCode: 'SKU-001-RED-M',
        title: 'Cotton T-shirt',
        spec: 'Red, M',
        quantity: 2,
        unitPriceMinor: 4_990,
        discountMinor: 1_001,
      },
    ],
    shippingMinor: 490,
    discountMinor: 500,
    paidMinor: 8_969,
    buyer: { id: 'buyer-1', nick: 'Nur Aisyah' },
    receiver: {
      name: 'Nur Aisyah',
      phone: '+60 12-345 6789',
      country: 'MY',
      province: 'Wilayah Persekutuan',
      city: 'Kuala Lumpur',
      district: 'Bukit Bintang',
      detail: 'No. 8, Jalan Bukit Bintang',
      postalCode: '55100',
    },
    buyerRemark: 'Tolong bungkus sebagai hadiah',
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
  await app.register(tiktokSimulator, { store, app: APP, auth, prefix: '/tiktok' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/tiktok`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SHOP);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}, now?: () => Date) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-tt',
    platformShopId: SHOP,
    baseUrl,
    credentials: {
      ...APP,
      ...tokens,
      extra: { shopCipher: tiktokShopCipher(SHOP), authUrl: baseUrl, shippingProviders: PROVIDERS },
      ...overrides,
    },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
    ...(now ? { now } : {}),
  };
  return { tt: createTiktokAdapter(ctx), refreshed };
}

describe('TikTok Shop signing', () => {
  it('wraps path, sorted query and body in the secret; adapter and simulator agree', () => {
    // The shape of an independent community test (§7.2): access_token is not signed.
    const query = { app_key: 'ak', timestamp: '1000', shop_cipher: 'sc', access_token: 'at' };
    const path = '/order/202309/orders/search';
    expect(tiktokSignString('shh', path, query)).toBe(
      'shh/order/202309/orders/searchapp_keyakshop_ciphersctimestamp1000shh',
    );
    const sign = signTiktokRequest('shh', path, query);
    expect(sign).toMatch(/^[0-9a-f]{64}$/);
    expect(tiktokExpectedSign('shh', path, { ...query, sign })).toBe(sign);
    const body = '{"update_time_ge":1}';
    expect(signTiktokRequest('shh', path, query, body)).toBe(tiktokExpectedSign('shh', path, query, body));
    expect(signTiktokRequest('shh', path, query, body)).not.toBe(sign);
  });

  it('the simulator verifies a signed raw request and rejects one whose body changed after signing', async () => {
    store.upsert(simOrder());
    const path = '/order/202309/orders/search';
    const query = {
      app_key: APP.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      shop_cipher: tiktokShopCipher(SHOP),
      page_size: '10',
    };
    const body = JSON.stringify({ update_time_ge: Math.floor(NOW / 1000) - 86_400 });
    const sign = signTiktokRequest(APP.appSecret, path, query, body);
    const send = (payload: string) =>
      fetch(`${baseUrl}${path}?${new URLSearchParams({ ...query, sign })}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tts-access-token': tokens.accessToken },
        body: payload,
      }).then((r) => r.json() as Promise<{ code: number; message: string }>);
    expect((await send(body)).code).toBe(0);
    const tampered = await send(body.replace('"update_time_ge":', '"update_time_ge": '));
    expect(tampered).toMatchObject({ code: 106001, message: 'Invalid signature' });
  });
});

describe('TikTok Shop adapter against the simulator', () => {
  it('normalizes an order: one line per unit, MYR sen, discounts, the masked phone as given', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const order = await adapter().tt.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'tiktok',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'MYR',
      amounts: { goodsFen: 9_980, discountFen: 1_501, shippingFen: 490, paidFen: 8_969 },
      buyerRemark: 'Tolong bungkus sebagai hadiah',
      receiver: {
        name: 'Nur Aisyah',
        country: 'MY',
        province: 'Wilayah Persekutuan',
        city: 'Kuala Lumpur',
        district: 'Bukit Bintang',
        postalCode: '55100',
        protected: false,
      },
    });
    expect(order.receiver.phone).toBe('60*****89');
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen])).toEqual([
      [`${sim.items[0]!.lineId}0`, 'SKU-001-RED-M', 1, 4_990],
      [`${sim.items[0]!.lineId}1`, 'SKU-001-RED-M', 1, 4_990],
    ]);
    expect(order.lines[0]!.platformSkuId).toBe('1729382476852921560');
  });

  it('ships a package per parcel; a retry with the same number is done; one unit leaves the order partly shipped', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { tt } = adapter();
    const [first, second] = (await tt.getOrder(sim.id)).lines;
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890',
      shippedAt: new Date(),
      lineIds: [first!.lineId],
    };
    await tt.confirmShipment(parcel);
    expect((await tt.getOrder(sim.id)).status).toBe('partially_shipped');
    await tt.confirmShipment(parcel);
    await tt.confirmShipment({ ...parcel, trackingNumber: 'SF1234567891', lineIds: [second!.lineId] });
    expect(store.get(SHOP, sim.id)?.status).toBe('shipped');
    expect(store.get(SHOP, sim.id)?.shipment).toMatchObject({ carrierCode: TIKTOK_SIM_PROVIDERS.SF });
    expect((await tt.getOrder(sim.id)).status).toBe('shipped');
    await expect(
      tt.confirmShipment({ ...parcel, trackingNumber: 'SF9999999999', lineIds: undefined }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a carrier without a provider id is refused until the shop names one', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'YTO' as const,
      trackingNumber: 'YT1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().tt.confirmShipment(confirmation)).rejects.toThrow(/shippingProviders/);
    const { tt } = adapter({
      extra: {
        shopCipher: tiktokShopCipher(SHOP),
        shippingProviders: `YTO=${TIKTOK_SIM_PROVIDERS.YTO}`,
      },
    });
    await tt.confirmShipment(confirmation);
    expect(store.get(SHOP, sim.id)?.status).toBe('shipped');
  });

  it('another secret is refused as AuthError, a stale clock and a wrong shop cipher are refused; an expired token is refreshed once', async () => {
    const sim = simOrder();
    store.upsert(sim);
    await expect(adapter({ appSecret: 'not-the-secret' }).tt.getOrder(sim.id)).rejects.toBeInstanceOf(
      AuthError,
    );
    await expect(adapter({}, () => new Date(Date.now() - 600_000)).tt.getOrder(sim.id)).rejects.toThrow(
      /Timestamp/,
    );
    await expect(adapter({ extra: { shopCipher: 'ROW_other' } }).tt.getOrder(sim.id)).rejects.toBeInstanceOf(
      RequestRejectedError,
    );

    auth.expire(tokens.accessToken);
    const { tt, refreshed } = adapter();
    expect((await tt.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
  });
});

describe('TikTok Shop webhooks', () => {
  const request = (body: string, headers: Record<string, string>) => ({
    headers,
    rawBody: Buffer.from(body),
    url: 'https://erp.example.com/webhooks/tiktok/shop-tt',
  });
  const secrets = { appKey: APP.appKey, appSecret: APP.appSecret };
  const shop = { shopId: 'shop-tt', platformShopId: SHOP };

  it('takes a webhook signed over app key + body and names the order, id exact', () => {
    const sim = simOrder({ id: '580193230867958565' });
    const push = renderTiktokPush(APP, sim);
    expect(tiktokWebhookParser.parse(request(push.body, push.headers), secrets, shop)).toEqual([
      {
        kind: 'order_changed',
        platformOrderId: '580193230867958565',
        modifiedAt: new Date(Math.floor(sim.modifiedAt.getTime() / 1000) * 1000).toISOString(),
      },
    ]);
    const other = renderTiktokPush(APP, { ...sim, shopKey: '7000000000000000001' });
    expect(tiktokWebhookParser.parse(request(other.body, other.headers), secrets, shop)).toMatchObject([
      { kind: 'ignored' },
    ]);
  });

  it('refuses a webhook signed with another secret or altered after signing', () => {
    const sim = simOrder();
    const forged = renderTiktokPush({ ...APP, appSecret: 'forged' }, sim);
    expect(() => tiktokWebhookParser.parse(request(forged.body, forged.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const push = renderTiktokPush(APP, sim);
    const altered = push.body.replace(sim.id, '580193230867958566');
    expect(() => tiktokWebhookParser.parse(request(altered, push.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });
});

describeWindowRead('TikTok Shop', 'an update-time window', () => ({
  adapter: () => adapter().tt,
  store,
  shopKey: SHOP,
  simOrder,
  base: Math.floor((NOW - 86_400_000) / 1000) * 1000,
  orders: 230,
  windowMs: 300000,
  pages: 3,
  ids: /^5801932308679\d{5}$/,
  longest: { ms: 7 * 86_400_000, said: 'seven days' },
}));

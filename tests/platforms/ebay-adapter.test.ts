import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import { createEbayAdapter, ebayWebhookParser } from '../../integrations/platforms/ebay/index.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  ebayNotificationKey,
  ebaySimulator,
  renderEbayNotification,
} from '../../sandbox/platforms/ebay/index.js';
import { describeWindowRead } from './channel-contract.js';

const APP = { clientId: 'ErpDemo-app-PRD-1234', clientSecret: 'PRD-ebay-cert' };
const SELLER = 'demo_seller_us';
const NOW = Date.now();
const key = ebayNotificationKey();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const n = String(10_000 + seq);
  return {
    id: `27-${n}-${String(20_000 + seq)}`,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'USD',
    items: [
      {
        lineId: `1002288229${n}`,
        platformSkuId: '256789012345',
        skuCode: 'SKU-001-RED-M',
        title: 'Cotton T-shirt',
        spec: 'Red, M',
        quantity: 2,
        unitPriceMinor: 1_999,
        discountMinor: 300,
        taxMinor: 290,
      },
      {
        lineId: `1002288230${n}`,
        platformSkuId: '256789012399',
        skuCode: 'MUG-BLUE-350',
        title: 'Mug',
        spec: 'Blue',
        quantity: 1,
        unitPriceMinor: 1_250,
        discountMinor: 0,
      },
    ],
    shippingMinor: 599,
    discountMinor: 100,
    paidMinor: 0,
    buyer: { id: 'buyer-1', nick: 'jsmith_77' },
    receiver: {
      name: 'John Smith',
      phone: '4155550123',
      country: 'US',
      province: 'CA',
      city: 'San Jose',
      district: '',
      detail: '2145 Hamilton Ave',
      postalCode: '95125',
    },
    buyerRemark: 'Please leave at the back door',
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(2 * 3600);
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(ebaySimulator, { store, app: APP, auth, notificationKey: key });
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
    shopId: 'shop-ebay',
    platformShopId: SELLER,
    baseUrl,
    credentials: { appKey: APP.clientId, appSecret: APP.clientSecret, ...tokens, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  };
  return { ebay: createEbayAdapter(ctx), refreshed };
}

describe('eBay simulator auth (its own check of the bearer token)', () => {
  it('accepts the seller’s token and answers an unknown, missing or expired one with eBay’s 401', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const get = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/sell/fulfillment/v1/order/${sim.id}`, { headers });
    const ok = await get({ authorization: `Bearer ${tokens.accessToken}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { orderId: string }).orderId).toBe(sim.id);
    for (const headers of [{ authorization: 'Bearer v^1.1#i^1#not-a-token' }, {}] as Array<
      Record<string, string>
    >) {
      const refused = await get(headers);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({
        errors: [{ errorId: 1001, domain: 'OAuth', message: 'Invalid access token' }],
      });
    }
    auth.expire(tokens.accessToken);
    expect((await get({ authorization: `Bearer ${tokens.accessToken}` })).status).toBe(401);
  });
});

describe('eBay adapter against the simulator', () => {
  it('normalizes an order: USD cents kept in USD, promotions as the discount, tax, plain receiver', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const order = await adapter().ebay.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'ebay',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'USD',
      // goods 2×19.99 + 12.50, discount 3.00 + 1.00, shipping 5.99, tax 2.90
      amounts: { goodsFen: 5_248, discountFen: 400, shippingFen: 599, taxFen: 290, paidFen: 5_737 },
      buyer: { nick: 'jsmith_77' },
      buyerRemark: 'Please leave at the back door',
      receiver: { name: 'John Smith', country: 'US', province: 'CA', postalCode: '95125', protected: false },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen, l.discountFen])).toEqual([
      [sim.items[0]!.lineId, 'SKU-001-RED-M', 2, 1_999, 300],
      [sim.items[1]!.lineId, 'MUG-BLUE-350', 1, 1_250, 0],
    ]);
  });

  it('keeps a legacy item!transaction order id exact through its key', async () => {
    const sim = simOrder({ id: '6498414015!260000000562911' });
    store.upsert(sim);
    const order = await adapter().ebay.getOrder('6498414015_260000000562911');
    expect(order.platformOrderId).toBe('6498414015_260000000562911');
    expect(order.lines).toHaveLength(2);
  });

  it('ships one parcel per call naming its line items; a retry with the same number is done; the order ships in two', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { ebay } = adapter();
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'UPS' as const,
      trackingNumber: '1Z999AA10123456784',
      shippedAt: new Date(),
      lineIds: [sim.items[0]!.lineId],
    };
    await ebay.confirmShipment(parcel);
    expect((await ebay.getOrder(sim.id)).status).toBe('partially_shipped');
    await ebay.confirmShipment(parcel);
    expect(store.get(SELLER, sim.id)?.extraShipments ?? []).toHaveLength(0);
    await ebay.confirmShipment({
      ...parcel,
      trackingNumber: '1Z999AA10123456785',
      lineIds: [sim.items[1]!.lineId],
    });
    expect((await ebay.getOrder(sim.id)).status).toBe('shipped');
    expect(store.get(SELLER, sim.id)?.shipment).toMatchObject({
      carrierCode: 'UPS',
      lineIds: [sim.items[0]!.lineId],
    });
    // Lines already sent, under another number: eBay refuses it, it is not taken as done.
    await expect(
      ebay.confirmShipment({ ...parcel, trackingNumber: '1Z999AA10123456786', lineIds: undefined }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('a carrier without an eBay code is refused until the shop names one; a cancelled order is refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'YUNDA' as const,
      trackingNumber: 'YD1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().ebay.confirmShipment(confirmation)).rejects.toThrow(/carrierCodes/);
    await adapter({ extra: { carrierCodes: 'YUNDA=JT_EXPRESS' } }).ebay.confirmShipment(confirmation);
    expect(store.get(SELLER, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'JT_EXPRESS' },
    });

    const cancelled = simOrder({ status: 'cancelled' });
    store.upsert(cancelled);
    await expect(
      adapter().ebay.confirmShipment({ ...confirmation, carrier: 'UPS', platformOrderId: cancelled.id }),
    ).rejects.toThrow(/cancelled/);
  });

  it('an unknown token is AuthError; an expired one is refreshed once with the client credentials', async () => {
    const sim = simOrder();
    store.upsert(sim);
    await expect(
      adapter({ accessToken: 'not-a-token', refreshToken: undefined }).ebay.getOrder(sim.id),
    ).rejects.toBeInstanceOf(AuthError);
    // A refresh with the wrong client secret is refused too.
    auth.expire(tokens.accessToken);
    await expect(adapter({ appSecret: 'not-the-cert' }).ebay.getOrder(sim.id)).rejects.toThrow(
      /refresh failed/,
    );

    const { ebay, refreshed } = adapter();
    expect((await ebay.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ refreshToken: tokens.refreshToken });
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
    // The refresh token stays valid for the next refresh.
    auth.expire(refreshed[0]!.accessToken);
    const again = createEbayAdapter({
      shopId: 'shop-ebay',
      platformShopId: SELLER,
      baseUrl,
      credentials: { appKey: APP.clientId, appSecret: APP.clientSecret, ...refreshed[0]! },
    });
    expect((await again.getOrder(sim.id)).platformOrderId).toBe(sim.id);
  });
});

describe('eBay notifications', () => {
  const request = (body: string, headers: Record<string, string>) => ({
    headers,
    rawBody: Buffer.from(body),
    url: 'https://erp.example.com/webhooks/ebay/shop-ebay',
  });
  const secrets = { appKey: APP.clientId, appSecret: APP.clientSecret, webhookSecret: key.publicKey };
  const shop = { shopId: 'shop-ebay', platformShopId: SELLER };

  it('takes a notification signed under eBay’s key and names the order', async () => {
    const sim = simOrder();
    const push = renderEbayNotification(key, sim);
    expect(ebayWebhookParser.parse(request(push.body, push.headers), secrets, shop)).toEqual([
      { kind: 'order_changed', platformOrderId: sim.id, modifiedAt: sim.modifiedAt.toISOString() },
    ]);
    // The key the shop keeps is the one eBay's getPublicKey serves for the kid.
    const kid = JSON.parse(Buffer.from(push.headers['x-ebay-signature']!, 'base64').toString()).kid;
    const served = await fetch(`${baseUrl}/commerce/notification/v1/public_key/${kid}`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(((await served.json()) as { key: string }).key).toBe(key.publicKey);
  });

  it('refuses one signed with another key, altered after signing, or unsigned', () => {
    const sim = simOrder();
    const forged = renderEbayNotification(ebayNotificationKey(), sim);
    expect(() => ebayWebhookParser.parse(request(forged.body, forged.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const push = renderEbayNotification(key, sim);
    const altered = push.body.replace(sim.id, '27-99999-99999');
    expect(() => ebayWebhookParser.parse(request(altered, push.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    expect(() =>
      ebayWebhookParser.parse(request(push.body, { 'content-type': 'application/json' }), secrets, shop),
    ).toThrow(WebhookSignatureError);
  });
});

describeWindowRead('eBay', 'a lastmodifieddate window', () => ({
  adapter: () => adapter().ebay,
  store,
  shopKey: SELLER,
  simOrder,
  base: NOW - 86_400_000,
  orders: 450,
  windowMs: 600000,
  pages: { atLeast: 3 },
  longest: { ms: 7 * 86_400_000, said: 'seven days' },
}));

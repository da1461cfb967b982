import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  ShipmentUnsupportedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import { createMeliAdapter, meliWebhookParser } from '../../integrations/platforms/mercadolibre/index.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  meliShipmentId,
  meliSimulator,
  renderMeliNotification,
  renderMeliOrder,
} from '../../sandbox/platforms/mercadolibre/index.js';
import { describeWindowRead } from './channel-contract.js';

const APP = { clientId: '5503910054141466', clientSecret: 'meli-secret' };
const SELLER = '202593498';
const NOW = Date.now();

let seq = 0;
/** Ids past 2^53 (9007199254740992): a double would change their last digits. */
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    id: `91000035084${String(10_000 + seq)}`,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'BRL',
    items: [
      {
        lineId: '1',
        platformSkuId: '12345678',
        skuCode: 'SKU-001-RED-M',
        title: 'Samsung Galaxy',
        spec: '',
        quantity: 1,
        unitPriceMinor: 49_900,
        discountMinor: 0,
      },
      {
        lineId: '2',
        platformSkuId: '12345679',
        skuCode: 'MUG-BLUE-350',
        title: 'Caneca',
        spec: 'Azul',
        quantity: 2,
        unitPriceMinor: 2_550,
        discountMinor: 0,
      },
    ],
    shippingMinor: 1_990,
    discountMinor: 1_000,
    paidMinor: 0,
    buyer: { id: 'buyer-123456789', nick: 'Comprador Teste' },
    receiver: {
      name: 'Ana Souza',
      phone: '+55 11 3003-4000',
      country: 'BR',
      province: 'SP',
      city: 'São Paulo',
      district: '',
      detail: 'Avenida Paulista, 1578 - Bela Vista',
      postalCode: '01310-200',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(6 * 3600);
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(meliSimulator, {
    store,
    app: APP,
    auth,
    shipmentMode: (o) => (o.sellerMemo === 'me2' ? 'me2' : 'custom'),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SELLER);
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const meli = createMeliAdapter({
    shopId: 'shop-meli',
    platformShopId: SELLER,
    baseUrl,
    credentials: { appKey: APP.clientId, appSecret: APP.clientSecret, ...tokens, ...overrides },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  });
  return { meli, refreshed };
}

describe('Mercado Libre simulator auth (its own bearer check)', () => {
  it('accepts the seller’s token; an unknown, missing or expired one is its 401', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const get = (headers: Record<string, string>) => fetch(`${baseUrl}/orders/${sim.id}`, { headers });
    const ok = await get({ authorization: `Bearer ${tokens.accessToken}` });
    expect(ok.status).toBe(200);
    // The id goes out as a bare 16-digit number, beyond 2^53.
    expect(await ok.text()).toContain(`"id":${sim.id},`);
    for (const headers of [{ authorization: 'Bearer APP_USR-not-a-token' }, {}] as Array<
      Record<string, string>
    >) {
      const refused = await get(headers);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ status: 401, message: 'invalid access token' });
    }
    auth.expire(tokens.accessToken);
    expect((await get({ authorization: `Bearer ${tokens.accessToken}` })).status).toBe(401);
  });
});

describe('Mercado Libre adapter against the simulator', () => {
  it('normalizes the official sample’s shape: BRL cents kept in BRL, coupon as discount, receiver from the shipment', async () => {
    const sim = simOrder();
    store.upsert(sim);
    expect(renderMeliOrder(sim)).toContain('"unit_price":499,');
    const order = await adapter().meli.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'mercadolibre',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'BRL',
      amounts: { goodsFen: 55_000, discountFen: 1_000, shippingFen: 1_990, paidFen: 55_990 },
      receiver: {
        name: 'Ana Souza',
        country: 'BR',
        province: 'SP',
        postalCode: '01310-200',
        protected: false,
      },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen])).toEqual([
      ['MLB12345678', 'SKU-001-RED-M', 1, 49_900],
      ['MLB12345679', 'MUG-BLUE-350', 2, 2_550],
    ]);
  });

  it('uploads the tracking number to the custom shipment; a retry is done; a cancelled order is refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { meli } = adapter();
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890',
      shippedAt: new Date(),
    };
    await meli.confirmShipment(parcel);
    expect(store.get(SELLER, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { trackingNumber: 'SF1234567890' },
    });
    expect((await meli.getOrder(sim.id)).status).toBe('shipped');
    await meli.confirmShipment(parcel);
    // Another number for a shipment already sent: Mercado Libre refuses it.
    await expect(meli.confirmShipment({ ...parcel, trackingNumber: 'SF9999999999' })).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    const cancelled = simOrder({ status: 'cancelled' });
    store.upsert(cancelled);
    await expect(meli.confirmShipment({ ...parcel, platformOrderId: cancelled.id })).rejects.toThrow(
      /cancelled/,
    );
    expect(meliShipmentId(sim)).toMatch(/^4\d{10}$/);
    // A shipment Mercado Envios handles is not ours to upload: skipped, saying so.
    const envios = simOrder({ sellerMemo: 'me2' });
    store.upsert(envios);
    const skipped = await meli
      .confirmShipment({ ...parcel, platformOrderId: envios.id })
      .catch((e: unknown) => e);
    expect(skipped).toBeInstanceOf(ShipmentUnsupportedError);
    expect(String(skipped)).toMatch(/Mercado Envios \(me2\)/);
  });

  it('an unknown token is AuthError; an expired one is refreshed once, and the used refresh token is spent', async () => {
    const sim = simOrder();
    store.upsert(sim);
    await expect(
      adapter({ accessToken: 'APP_USR-unknown', refreshToken: undefined }).meli.getOrder(sim.id),
    ).rejects.toBeInstanceOf(AuthError);
    auth.expire(tokens.accessToken);
    const { meli, refreshed } = adapter();
    expect((await meli.getOrder(sim.id)).platformOrderId).toBe(sim.id);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.refreshToken).not.toBe(tokens.refreshToken);
    // The old refresh token was single-use: a second adapter holding it cannot refresh.
    await expect(adapter().meli.getOrder(sim.id)).rejects.toThrow(/refresh failed/);
  });
});

describe('Mercado Libre notifications', () => {
  const secrets = { appKey: APP.clientId, appSecret: APP.clientSecret, webhookSecret: 'cb-secret' };
  const shop = { shopId: 'shop-meli', platformShopId: SELLER };
  const request = (body: string, query: string) => ({
    headers: { 'content-type': 'application/json' },
    rawBody: Buffer.from(body),
    url: `https://erp.example.com/webhooks/mercadolibre/shop-meli${query ? `?${query}` : ''}`,
  });

  it('takes an orders_v2 notification on the registered callback URL and names the order, id exact', () => {
    const sim = simOrder();
    const note = renderMeliNotification({ appId: APP.clientId, callbackSecret: 'cb-secret' }, sim);
    expect(note.body).toContain(`"resource":"/orders/${sim.id}"`);
    expect(meliWebhookParser.parse(request(note.body, note.query), secrets, shop)).toEqual([
      { kind: 'order_changed', platformOrderId: sim.id, modifiedAt: expect.any(String) },
    ]);
  });

  it('refuses one without the callback secret or naming another application', () => {
    const sim = simOrder();
    const forged = renderMeliNotification({ appId: APP.clientId, callbackSecret: 'guessed' }, sim);
    expect(() => meliWebhookParser.parse(request(forged.body, forged.query), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    expect(() => meliWebhookParser.parse(request(forged.body, ''), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    const other = renderMeliNotification({ appId: '1111111111111111', callbackSecret: 'cb-secret' }, sim);
    expect(() => meliWebhookParser.parse(request(other.body, other.query), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });
});

describeWindowRead('Mercado Libre', 'a date_last_updated window', () => ({
  adapter: () => adapter().meli,
  store,
  shopKey: SELLER,
  simOrder,
  base: NOW - 86_400_000,
  orders: 120,
  windowMs: 300000,
  pages: { atLeast: 3 },
  ids: /^91000035084\d{5}$/,
}));

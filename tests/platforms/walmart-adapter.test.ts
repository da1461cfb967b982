import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import { createWalmartAdapter, walmartWebhookParser } from '../../integrations/platforms/walmart/index.js';
import type { AdapterContext } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { renderWalmartEvent, walmartSimulator } from '../../sandbox/platforms/walmart/index.js';

const SELLER = '101234567';
const CLIENT = { clientId: 'wm-client-id', clientSecret: 'wm-client-secret', sellerId: SELLER };
const NOW = Date.now();

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  return {
    id: `17962770${String(10_000 + seq)}`,
    shopKey: SELLER,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_600_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'USD',
    items: [
      {
        lineId: '1',
        platformSkuId: 'WM-SKU-1',
        skuCode: 'SKU-001-RED-M',
        title: 'Cotton T-shirt',
        spec: 'Red, M',
        quantity: 2,
        unitPriceMinor: 1_999,
        discountMinor: 200,
        taxMinor: 260,
      },
      {
        lineId: '2',
        platformSkuId: 'WM-SKU-2',
        skuCode: 'MUG-BLUE-350',
        title: 'Mug',
        spec: 'Blue',
        quantity: 1,
        unitPriceMinor: 1_250,
        discountMinor: 0,
      },
    ],
    shippingMinor: 499,
    discountMinor: 0,
    paidMinor: 0,
    buyer: { id: 'buyer-1', nick: 'Jane' },
    receiver: {
      name: 'Jane Doe',
      phone: '4795550100',
      country: 'US',
      province: 'AR',
      city: 'Bentonville',
      district: '',
      detail: '702 SW 8th St',
      postalCode: '72716',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const auth = new SimTokenAuth(15 * 60);

beforeAll(async () => {
  app = Fastify();
  await app.register(walmartSimulator, { store, clients: [CLIENT], auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  return createWalmartAdapter({
    shopId: 'shop-wm',
    platformShopId: SELLER,
    baseUrl,
    credentials: { appKey: CLIENT.clientId, appSecret: CLIENT.clientSecret, ...overrides },
  });
}

describe('Walmart simulator auth (its own check of WM_SEC.ACCESS_TOKEN)', () => {
  it('accepts a token it issued with the service headers; an unknown or expired token is its 401', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const grant = auth.grant(SELLER);
    const get = (token: string, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}/v3/orders/${sim.id}`, {
        headers: {
          'WM_SEC.ACCESS_TOKEN': token,
          'WM_SVC.NAME': 'Walmart Marketplace',
          'WM_QOS.CORRELATION_ID': 'c0ffee',
          accept: 'application/json',
          ...headers,
        },
      });
    const ok = await get(grant.accessToken);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { order: { purchaseOrderId: string } }).order.purchaseOrderId).toBe(sim.id);
    for (const token of ['not-a-token', '']) {
      const refused = await get(token);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED.GMP_GATEWAY_API' }] });
    }
    auth.expire(grant.accessToken);
    expect((await get(grant.accessToken)).status).toBe(401);
  });
});

describe('Walmart adapter against the simulator', () => {
  it('gets its token with the client credentials, lists a lastModified window through nextCursor', async () => {
    const base = NOW - 86_400_000;
    const created = Array.from({ length: 230 }, (_, i) =>
      simOrder({ modifiedAt: new Date(base + i * 1000) }),
    );
    created.forEach((o) => store.upsert(o));
    store.upsert(simOrder({ modifiedAt: new Date(base + 3_600_000) }));
    // Unpaid orders are not Walmart's to show.
    store.upsert(simOrder({ status: 'unpaid', paidAt: undefined, modifiedAt: new Date(base + 5_000) }));
    const wm = adapter();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await wm.listOrders({ from: new Date(base), to: new Date(base + 300_000), cursor });
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(created.map((o) => o.id));
  });

  it('normalizes a purchase order: USD cents, charges as goods, shipping, discount and tax, USA as US', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const order = await adapter().getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'walmart',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'USD',
      amounts: { goodsFen: 5_248, discountFen: 200, shippingFen: 499, taxFen: 260, paidFen: 5_807 },
      receiver: { name: 'Jane Doe', country: 'US', province: 'AR', postalCode: '72716', protected: false },
    });
    expect(order.lines.map((l) => [l.lineId, l.skuCode, l.quantity, l.unitPriceFen, l.discountFen])).toEqual([
      ['1', 'SKU-001-RED-M', 2, 1_999, 200],
      ['2', 'MUG-BLUE-350', 1, 1_250, 0],
    ]);
  });

  it('acknowledges before shipping; a parcel names its lines; a retry with the same number is done', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const wm = adapter();
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'UPS' as const,
      trackingNumber: '1Z999AA10123456784',
      shippedAt: new Date(),
      lineIds: ['1'],
    };
    await wm.confirmShipment(parcel);
    expect((await wm.getOrder(sim.id)).status).toBe('partially_shipped');
    await wm.confirmShipment(parcel);
    expect(store.get(SELLER, sim.id)?.extraShipments ?? []).toHaveLength(0);
    await wm.confirmShipment({ ...parcel, trackingNumber: '1Z999AA10123456785', lineIds: ['2'] });
    expect(store.get(SELLER, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'UPS', lineIds: ['1'] },
      extraShipments: [{ trackingNumber: '1Z999AA10123456785', lineIds: ['2'] }],
    });
  });

  it('the simulator refuses shipping an order that was not acknowledged', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { access_token } = (await (
      await fetch(`${baseUrl}/v3/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      })
    ).json()) as { access_token: string };
    const res = await fetch(`${baseUrl}/v3/orders/${sim.id}/shipping`, {
      method: 'POST',
      headers: {
        'WM_SEC.ACCESS_TOKEN': access_token,
        'WM_SVC.NAME': 'Walmart Marketplace',
        'WM_QOS.CORRELATION_ID': 'c0ffee',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        orderLines: [
          {
            lineNumber: '1',
            trackingInfo: {
              shipDateTime: String(Date.now()),
              carrierName: 'UPS',
              methodCode: 'Standard',
              trackingNumber: 'TRACKNUM12345',
            },
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/acknowledged/);
  });

  it('a carrier without a Walmart name is refused until the shop names one; a cancelled order has nothing to ship', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const confirmation = {
      platformOrderId: sim.id,
      carrier: 'YUNDA' as const,
      trackingNumber: 'YD1234567890',
      shippedAt: new Date(),
    };
    await expect(adapter().confirmShipment(confirmation)).rejects.toThrow(/carrierNames/);
    await adapter({ extra: { carrierNames: 'YUNDA=China Post' } }).confirmShipment(confirmation);
    expect(store.get(SELLER, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'China Post' },
    });

    const cancelled = simOrder({ status: 'cancelled' });
    store.upsert(cancelled);
    expect((await adapter().getOrder(cancelled.id)).status).toBe('cancelled');
    await expect(
      adapter().confirmShipment({ ...confirmation, carrier: 'UPS', platformOrderId: cancelled.id }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it('wrong client credentials are AuthError; a revoked token is replaced once', async () => {
    const sim = simOrder();
    store.upsert(sim);
    await expect(adapter({ appSecret: 'not-the-secret' }).getOrder(sim.id)).rejects.toBeInstanceOf(AuthError);
    // A token the adapter believes fresh but Walmart no longer takes: one new token, then the call.
    const stale = auth.grant(SELLER);
    auth.expire(stale.accessToken);
    const wm = adapter({
      accessToken: stale.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + 600_000).toISOString(),
    });
    expect((await wm.getOrder(sim.id)).platformOrderId).toBe(sim.id);
  });
});

describe('Walmart notifications', () => {
  const request = (body: string, headers: Record<string, string>) => ({
    headers,
    rawBody: Buffer.from(body),
    url: 'https://erp.example.com/webhooks/walmart/shop-wm',
  });
  const secrets = {
    appKey: CLIENT.clientId,
    appSecret: CLIENT.clientSecret,
    webhookSecret: 'erp:events-secret',
  };
  const shop = { shopId: 'shop-wm', platformShopId: SELLER };

  it('takes an event carrying the subscription’s credentials and names the purchase order', () => {
    const sim = simOrder();
    const event = renderWalmartEvent({ credentials: 'erp:events-secret' }, sim);
    expect(walmartWebhookParser.parse(request(event.body, event.headers), secrets, shop)).toEqual([
      { kind: 'order_changed', platformOrderId: sim.id, modifiedAt: sim.modifiedAt.toISOString() },
    ]);
  });

  it('refuses one with other credentials or none', () => {
    const sim = simOrder();
    const forged = renderWalmartEvent({ credentials: 'erp:guessed' }, sim);
    expect(() => walmartWebhookParser.parse(request(forged.body, forged.headers), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
    expect(() => walmartWebhookParser.parse(request(forged.body, {}), secrets, shop)).toThrow(
      WebhookSignatureError,
    );
  });
});

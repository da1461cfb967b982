import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, RequestRejectedError } from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { createVipAdapter, createVipStock, signVip } from '../../integrations/platforms/vip/index.js';
import { SimInventory } from '../../sandbox/kit/inventory.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { VIP_SIM_CARRIER_CODES, vipSimulator } from '../../sandbox/platforms/vip/index.js';
import { describeChannelContract } from './channel-contract.js';

const APP = { appKey: 'e79ed1c1', appSecret: '42980F87296326370A34563DA67B28AA' };
const VENDOR = '550';
const NOW = Date.now();
const CARRIERS = `SF=${VIP_SIM_CARRIER_CODES[0]},ZTO=${VIP_SIM_CARRIER_CODES[1]}`;

let seq = 0;
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const n = String(26_120_600_000_000 + seq * 7);
  return {
    id: n,
    shopKey: VENDOR,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_500_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        lineId: '6901234567892',
        platformSkuId: '6901234567892',
        skuCode: 'DRESS-RED-M',
        title: '连衣裙',
        spec: 'M',
        quantity: 2,
        unitPriceMinor: 15_900,
        discountMinor: 0,
      },
      {
        lineId: '6901234567908',
        platformSkuId: '6901234567908',
        skuCode: 'SCARF-GREY',
        title: '围巾',
        spec: '',
        quantity: 1,
        unitPriceMinor: 8_950,
        discountMinor: 0,
      },
    ],
    shippingMinor: 1_000,
    discountMinor: 2_000,
    paidMinor: 39_700,
    buyer: { id: 'vip-buyer', nick: 'buyer' },
    receiver: {
      name: '王小明',
      phone: '13800138000',
      country: 'CN',
      province: '广东省',
      city: '广州市',
      district: '荔湾区',
      detail: '花地大道南 20 号',
      postalCode: '510370',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const inventory = new SimInventory();
const auth = new SimTokenAuth(30 * 86_400);
let grant: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(vipSimulator, { store, inventory, app: { ...APP, shopKey: VENDOR }, auth });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  grant = auth.grant(VENDOR);
});

const context = (overrides: Partial<AdapterContext['credentials']> = {}, refreshed: TokenSet[] = []) => ({
  shopId: 'shop-vip',
  platformShopId: VENDOR,
  baseUrl,
  credentials: {
    ...APP,
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    extra: { carrierCodes: CARRIERS },
    ...overrides,
  },
  onTokensRefreshed: async (t: TokenSet) => {
    refreshed.push(t);
  },
});

function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  return { adapter: createVipAdapter(context(overrides, refreshed)), refreshed };
}

describeChannelContract(
  'VIP',
  () => {
    const probed = simOrder();
    store.upsert(probed);
    return {
      adapter,
      forgedAdapter: () =>
        adapter({ appSecret: 'guessed-secret', accessToken: 'forged-token', refreshToken: 'forged' }).adapter,
      probe: (a) => a.getOrder(probed.id),
      expireToken: () => auth.expire(grant.accessToken),
    };
  },
  { push: false },
);

describe('VIP signing', () => {
  it('HMAC-MD5 over the system parameters by name, then the body, keyed with the app secret (the SDK’s order)', () => {
    const body = '{"vendor_id":550,"order_id":"26120600000007","page":1,"limit":100}';
    const system = {
      service: 'vipapis.delivery.DvdDeliveryService',
      method: 'getOrderDetail',
      version: '1.0.0',
      timestamp: '1765000000',
      format: 'json',
      appKey: APP.appKey,
      accessToken: 'B569E6BE58AEC06CEB248B836DACAECDAF3D025F',
    };
    const text =
      'accessTokenB569E6BE58AEC06CEB248B836DACAECDAF3D025F' +
      `appKey${APP.appKey}formatjsonmethodgetOrderDetail` +
      'servicevipapis.delivery.DvdDeliveryServicetimestamp1765000000version1.0.0' +
      body;
    expect(signVip(APP.appSecret, system, body)).toBe(
      createHmac('md5', APP.appSecret).update(text).digest('hex').toUpperCase(),
    );
    // Without a token the name and its value are left out altogether.
    const { accessToken: _t, ...open } = system;
    expect(signVip(APP.appSecret, open, body)).toBe(
      createHmac('md5', APP.appSecret)
        .update(text.replace('accessTokenB569E6BE58AEC06CEB248B836DACAECDAF3D025F', ''))
        .digest('hex')
        .toUpperCase(),
    );
  });
});

describe('VIP simulator (its own checks)', () => {
  const call = (query: Record<string, string>, body: string) =>
    fetch(`${baseUrl}/?${new URLSearchParams(query).toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then((r) => r.json() as Promise<Record<string, unknown>>);

  it('accepts a signed request; a forged sign, an altered body, a stale timestamp and an unknown token are refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const body = JSON.stringify({ vendor_id: 550, order_id: sim.id, page: 1, limit: 10 });
    const system = {
      service: 'vipapis.delivery.DvdDeliveryService',
      method: 'getOrderDetail',
      version: '1.0.0',
      timestamp: String(Math.floor(Date.now() / 1000)),
      format: 'json',
      appKey: APP.appKey,
      accessToken: grant.accessToken,
    };
    const signed = { ...system, sign: signVip(APP.appSecret, system, body) };
    expect(await call(signed, body)).toMatchObject({
      returnCode: '0',
      result: { total: 2, orderDetails: [{ barcode: '6901234567892', amount: 2 }, { amount: 1 }] },
    });
    const forged = { ...system, sign: signVip('guessed-secret', system, body) };
    expect(await call(forged, body)).toMatchObject({ returnCode: 'vipapis.sign-invalid' });
    const altered = JSON.stringify({ vendor_id: 551, order_id: sim.id, page: 1, limit: 10 });
    expect(await call(signed, altered)).toMatchObject({ returnCode: 'vipapis.sign-invalid' });
    const stale = { ...system, timestamp: String(Number(system.timestamp) - 900) };
    expect(await call({ ...stale, sign: signVip(APP.appSecret, stale, body) }, body)).toMatchObject({
      returnCode: 'vipapis.timestamp-invalid',
    });
    const unknown = { ...system, accessToken: 'nope' };
    expect(await call({ ...unknown, sign: signVip(APP.appSecret, unknown, body) }, body)).toMatchObject({
      returnCode: 'vipapis.oauth-token-invalid',
    });
  });
});

describe('VIP adapter against the simulator', () => {
  it('normalizes a 直发 order: lines by barcode, yuan to fen, the receiver as given, ids exact', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'vip',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'CNY',
      amounts: { goodsFen: 40_750, shippingFen: 1_000, paidFen: 39_700, discountFen: 2_050 },
      receiver: {
        name: '王小明',
        phone: '13800138000',
        city: '广州市',
        district: '荔湾区',
        postalCode: '510370',
      },
    });
    expect(order.lines.map((l) => [l.lineId, l.quantity, l.unitPriceFen])).toEqual([
      ['6901234567892', 2, 15_900],
      ['6901234567908', 1, 8_950],
    ]);
  });

  it('reads a release-time window 50 orders a page, every order once', async () => {
    const base = NOW - 3 * 86_400_000;
    const created = Array.from({ length: 130 }, (_, i) =>
      simOrder({
        createdAt: new Date(base + i * 1000),
        paidAt: new Date(base + i * 1000),
        modifiedAt: new Date(base + i * 1000),
      }),
    );
    created.forEach((o) => store.upsert(o));
    const { adapter: vip } = adapter();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await vip.listOrders({ from: new Date(base), to: new Date(base + 600_000), cursor });
      seen.push(...page.orders.map((o) => o.platformOrderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(created.map((o) => o.id).sort());
  });

  it('maps shipped, finished, cancelled and refunding orders', async () => {
    const { adapter: vip } = adapter();
    const cases: Array<[Partial<SimOrder>, Record<string, string>]> = [
      [{ status: 'shipped' }, { status: 'shipped', refundStatus: 'none' }],
      [{ status: 'completed' }, { status: 'completed' }],
      [{ status: 'cancelled' }, { status: 'cancelled' }],
    ];
    for (const [overrides, expected] of cases) {
      const sim = simOrder(overrides);
      store.upsert(sim);
      expect(await vip.getOrder(sim.id)).toMatchObject(expected);
    }
    const refunding = simOrder();
    refunding.refund = {
      id: 'r1',
      status: 'requested',
      kind: 'refund_only',
      amountMinor: 100,
      reason: '',
      createdAt: new Date(),
      modifiedAt: new Date(),
    };
    store.upsert(refunding);
    expect(await vip.getOrder(refunding.id)).toMatchObject({ status: 'paid', refundStatus: 'requested' });
  });

  it('ships an order whole once; a retry is done; a part parcel, a cancelled order and an unnamed carrier are refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: vip } = adapter();
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1234567890123',
      shippedAt: new Date(),
    };
    await expect(vip.confirmShipment({ ...parcel, lineIds: ['6901234567892'] })).rejects.toThrow(/whole/);
    await vip.confirmShipment(parcel);
    expect(store.get(VENDOR, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: VIP_SIM_CARRIER_CODES[0], trackingNumber: 'SF1234567890123' },
    });
    expect((await vip.getOrder(sim.id)).status).toBe('shipped');
    await vip.confirmShipment(parcel);
    const cancelled = simOrder({ status: 'cancelled' });
    store.upsert(cancelled);
    await expect(vip.confirmShipment({ ...parcel, platformOrderId: cancelled.id })).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    await expect(vip.confirmShipment({ ...parcel, carrier: 'YTO' })).rejects.toThrow(/extra\.carrierCodes/);
  });

  it('refuses a shop that is not named by its numeric vendor id', async () => {
    const vip = createVipAdapter({ ...context(), platformShopId: 'vendor-a' });
    await expect(vip.getOrder('1')).rejects.toThrow(/vendor_id/);
  });
});

describe('VIP stock upload', () => {
  it('sets a barcode’s full quantity and reads it back; an unknown or delisted barcode and a forged upload are refused', async () => {
    inventory.list(VENDOR, '6909999000011', 3);
    const stock = createVipStock(context());
    await stock.setQuantity({ skuId: '6909999000011' }, 42);
    await stock.setQuantity({ skuId: '6909999000011' }, 40);
    expect(inventory.get(VENDOR, '6909999000011')?.quantity).toBe(40);
    expect(await stock.getQuantity({ skuId: '6909999000011' })).toBe(40);
    await expect(stock.setQuantity({ skuId: '6900000000000' }, 1)).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    await expect(stock.getQuantity({ skuId: '6900000000000' })).rejects.toBeInstanceOf(RequestRejectedError);
    inventory.delist(VENDOR, '6909999000011');
    await expect(stock.setQuantity({ skuId: '6909999000011' }, 5)).rejects.toThrow(/not on sale/);
    const forged = createVipStock(context({ appSecret: 'guessed', accessToken: 'forged', refreshToken: '' }));
    await expect(forged.setQuantity({ skuId: '6909999000011' }, 1)).rejects.toBeInstanceOf(AuthError);
    expect(inventory.get(VENDOR, '6909999000011')?.quantity).toBe(40);
  });
});

import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RequestRejectedError } from '../../integrations/platforms/errors.js';
import type { AdapterContext, TokenSet } from '../../integrations/platforms/types.js';
import { createDewuAdapter, createDewuStock, signDewu } from '../../integrations/platforms/dewu/index.js';
import { SimInventory } from '../../sandbox/kit/inventory.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { SimTokenAuth } from '../../sandbox/kit/token-auth.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { dewuSimulator } from '../../sandbox/platforms/dewu/index.js';
import { describeChannelContract, describeWindowRead } from './channel-contract.js';

const APP = { appKey: 'dewu-app-key-7f3a', appSecret: 'dewu-app-secret-5c1e' };
const MERCHANT = 'dewu-merchant-2208';
const NOW = Date.now();

let seq = 0;
/** A paid brand-direct order; its number is 19 digits, past 2^53. */
function simOrder(overrides: Partial<SimOrder> = {}): SimOrder {
  seq += 1;
  const id = String(1_101_250_612_345_000_000n + BigInt(seq));
  return {
    id,
    shopKey: MERCHANT,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(NOW - 3_600_000),
    paidAt: new Date(NOW - 3_600_000),
    modifiedAt: new Date(NOW - 3_000_000),
    currency: 'CNY',
    items: [
      {
        lineId: id,
        platformSkuId: '9007199254740993',
        skuCode: 'DD1391-100',
        title: 'Dunk Low Retro',
        spec: '42.5',
        quantity: 1,
        unitPriceMinor: 79_900,
        discountMinor: 2_000,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 77_900,
    buyer: { id: 'dewu-buyer', nick: 'buyer' },
    receiver: {
      name: '张三',
      phone: '138****0000',
      country: 'CN',
      province: '上海市',
      city: '上海市',
      district: '杨浦区',
      detail: '政通路 177 号',
      postalCode: '200433',
    },
    ...overrides,
  };
}

let app: FastifyInstance;
let baseUrl: string;
const store = new SimOrderStore();
const inventory = new SimInventory();
const auth = new SimTokenAuth(86_400);
let grant: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(dewuSimulator, { store, app: { ...APP, shopKey: MERCHANT }, auth, inventory });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  grant = auth.grant(MERCHANT);
});

function context(overrides: Partial<AdapterContext['credentials']> = {}) {
  const refreshed: TokenSet[] = [];
  const ctx: AdapterContext = {
    shopId: 'shop-dewu',
    platformShopId: MERCHANT,
    baseUrl,
    credentials: {
      ...APP,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      extra: { authBaseUrl: baseUrl },
      ...overrides,
    },
    onTokensRefreshed: async (t) => {
      refreshed.push(t);
    },
  };
  return { ctx, refreshed };
}
function adapter(overrides: Partial<AdapterContext['credentials']> = {}) {
  const { ctx, refreshed } = context(overrides);
  return { adapter: createDewuAdapter(ctx), refreshed };
}

describeChannelContract(
  'Dewu',
  () => {
    const probed = simOrder();
    store.upsert(probed);
    return {
      adapter,
      forgedAdapter: () =>
        adapter({ appSecret: 'guessed-secret', accessToken: 'forged-token', refreshToken: undefined })
          .adapter,
      probe: (a) => a.getOrder(probed.id),
      expireToken: () => auth.expire(grant.accessToken),
    };
  },
  { push: false },
);

describe('Dewu simulator (its own checks)', () => {
  const post = (path: string, body: Record<string, unknown>) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.text());

  it('accepts a signed request; a forged or altered sign is 401, an unknown token 5044', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const detail = '/dop/api/v1/order/brand_deliver/detail';
    const body = {
      order_no: sim.id,
      app_key: APP.appKey,
      access_token: grant.accessToken,
      timestamp: Date.now(),
    };
    const signed = { ...body, sign: signDewu(APP.appSecret, body) };
    // The order number comes back as the bare 19-digit number, exact.
    expect(await post(detail, signed)).toContain(`"order_no":${sim.id},`);
    const forged = createHash('md5')
      .update(`${JSON.stringify(body)}x`)
      .digest('hex')
      .toUpperCase();
    expect(JSON.parse(await post(detail, { ...body, sign: forged }))).toMatchObject({ code: 401 });
    expect(JSON.parse(await post(detail, { ...signed, order_no: simOrder().id }))).toMatchObject({
      code: 401,
    });
    const unknown = { ...body, access_token: 'nope' };
    expect(
      JSON.parse(await post(detail, { ...unknown, sign: signDewu(APP.appSecret, unknown) })),
    ).toMatchObject({ code: 5044 });
  });

  it('signs values the way the simulator reads them: spaces, Chinese and lists', async () => {
    const query = '/dop/api/v1/stock/query';
    inventory.list(MERCHANT, '600100200', 3);
    const body = {
      sku_ids: ['600100200', '600100201'],
      note: '得物 a*b~c (x)',
      app_key: APP.appKey,
      access_token: grant.accessToken,
      timestamp: Date.now(),
    };
    expect(JSON.parse(await post(query, { ...body, sign: signDewu(APP.appSecret, body) }))).toMatchObject({
      code: 200,
      data: [{ sku_id: 600100200, quantity: 3 }],
    });
  });
});

describe('Dewu adapter against the simulator', () => {
  it('normalizes an order: one SKU line, amounts in fen, the 19-digit number and the SKU id exact', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const order = await adapter().adapter.getOrder(sim.id);
    expect(order).toMatchObject({
      platform: 'dewu',
      platformOrderId: sim.id,
      status: 'paid',
      currency: 'CNY',
      amounts: { goodsFen: 79_900, discountFen: 2_000, paidFen: 77_900 },
      receiver: { name: '张三', city: '上海市', detail: '政通路 177 号', postalCode: '200433' },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        lineId: sim.id,
        platformSkuId: '9007199254740993',
        skuCode: 'DD1391-100',
        quantity: 1,
        unitPriceFen: 79_900,
      }),
    ]);
  });

  it('maps unpaid, shipped, finished, cancelled and refunding orders', async () => {
    const { adapter: dewu } = adapter();
    const cases: Array<[Partial<SimOrder>, Record<string, unknown>]> = [
      [
        { status: 'unpaid', paidAt: undefined },
        { status: 'awaiting_payment', amounts: { paidFen: 0 } },
      ],
      [{ status: 'shipped' }, { status: 'shipped' }],
      [{ status: 'completed' }, { status: 'completed' }],
      [{ status: 'cancelled' }, { status: 'cancelled' }],
      [
        {
          refund: {
            id: 'r1',
            status: 'requested',
            kind: 'refund_only',
            amountMinor: 77_900,
            reason: '',
            createdAt: new Date(NOW),
            modifiedAt: new Date(NOW),
          },
        },
        { status: 'paid', refundStatus: 'requested' },
      ],
    ];
    for (const [overrides, expected] of cases) {
      const sim = simOrder(overrides);
      store.upsert(sim);
      expect(await dewu.getOrder(sim.id)).toMatchObject(expected);
    }
  });

  it('confirms the tracking number once; a retry is done; another number, a cancelled order or an unknown carrier code is refused', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const { adapter: dewu } = adapter();
    const parcel = {
      platformOrderId: sim.id,
      carrier: 'SF' as const,
      trackingNumber: 'SF1402938475610',
      shippedAt: new Date(),
    };
    await dewu.confirmShipment(parcel);
    expect(store.get(MERCHANT, sim.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'SF', trackingNumber: 'SF1402938475610' },
    });
    await dewu.confirmShipment(parcel);
    await expect(dewu.confirmShipment({ ...parcel, trackingNumber: 'SF9999999999999' })).rejects.toThrow(
      /already shipped/,
    );
    const cancelled = simOrder({ status: 'cancelled' });
    store.upsert(cancelled);
    await expect(dewu.confirmShipment({ ...parcel, platformOrderId: cancelled.id })).rejects.toBeInstanceOf(
      RequestRejectedError,
    );
    const other = simOrder();
    store.upsert(other);
    await expect(
      dewu.confirmShipment({ ...parcel, platformOrderId: other.id, carrier: 'DBKD' }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
    // A shop whose Dewu names the carrier differently says so in its carrier codes.
    const renamed = createDewuAdapter({ ...context().ctx, carrierCodes: { DBKD: 'YUNDA' } });
    await renamed.confirmShipment({ ...parcel, platformOrderId: other.id, carrier: 'DBKD' });
    expect(store.get(MERCHANT, other.id)!.shipment).toMatchObject({ carrierCode: 'YUNDA' });
  });

  it('sets a SKU’s quantity and reads it back; an unknown or delisted SKU is refused', async () => {
    inventory.list(MERCHANT, '600200300', 0);
    const stock = createDewuStock(context().ctx);
    await stock.setQuantity({ skuId: '600200300' }, 17);
    expect(inventory.get(MERCHANT, '600200300')).toMatchObject({ quantity: 17, updates: 1 });
    expect(await stock.getQuantity({ skuId: '600200300' })).toBe(17);
    await expect(stock.setQuantity({ skuId: '600299999' }, 1)).rejects.toBeInstanceOf(RequestRejectedError);
    inventory.delist(MERCHANT, '600200300');
    await expect(stock.setQuantity({ skuId: '600200300' }, 2)).rejects.toBeInstanceOf(RequestRejectedError);
  });
});

describeWindowRead('Dewu', 'a modified-time window (50 orders a page)', () => ({
  adapter: () => adapter().adapter,
  store,
  shopKey: MERCHANT,
  simOrder,
  base: NOW - 5 * 86_400_000,
  orders: 120,
  windowMs: 600000,
  pages: { atLeast: 3 },
  longest: { ms: 86_400_000, said: 'a day' },
}));

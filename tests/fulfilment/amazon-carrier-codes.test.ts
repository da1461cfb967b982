import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  AMAZON_RATE_PLANS,
  AmazonSimAuth,
  SIM_AMAZON_CARRIER_CODES,
  amazonSimulator,
  type AmazonOperation,
} from '../../sandbox/platforms/amazon/index.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts } from '../support/fulfilment.js';
import { submitOrder } from '../support/intake.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { startShipmentWorld, toLabelled, type ShipmentWorld } from '../carriers/shipment-flow.js';

// Amazon MFN orders ship with the seller's own carriers, chosen by our rules; the shipment
// confirmation names the carrier by Amazon's carrier code — the shop's own where it set one
// (settings.platformCarrierCodes), else the built-in one, else Other with the carrier's name.

const CLIENT = { clientId: 'amzn1.application-oa2-client.codes', clientSecret: 'lwa-secret' };
const MARKETPLACE = 'A1VC38T7YXB528';
const store = new SimOrderStore();
const auth = new AmazonSimAuth(CLIENT);
let amazon: FastifyInstance;
let amazonUrl: string;
let world: ShipmentWorld;
let sellers = 0;

beforeAll(async () => {
  amazon = Fastify();
  await amazon.register(amazonSimulator, {
    store,
    auth,
    marketplaceId: MARKETPLACE,
    ratePlans: Object.fromEntries(
      Object.keys(AMAZON_RATE_PLANS).map((op) => [op, { rate: 1000, burst: 1000 }]),
    ) as Record<AmazonOperation, { rate: number; burst: number }>,
    // This marketplace lists ZTO (assumed, as the whole list: docs/carriers.md).
    carrierCodes: [...SIM_AMAZON_CARRIER_CODES, 'ZTO Express'],
  });
  await amazon.listen({ port: 0, host: '127.0.0.1' });
  amazonUrl = `http://127.0.0.1:${(amazon.server.address() as { port: number }).port}`;
  world = await startShipmentWorld({});
});
afterAll(async () => {
  await world?.close();
  await amazon.close();
});

/** An Amazon shop on the simulator that ships with ZTO, its settings as given. */
async function amazonShop(settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  sellers += 1;
  const key = `A3CODES${String(sellers).padStart(5, '0')}`;
  const id = uniqueId('amz');
  const res = await world.api.inject({
    method: 'POST',
    url: '/shops',
    headers: world.ops,
    payload: {
      id,
      platform: 'amazon',
      name: 'Amazon JP',
      platformShopId: key,
      baseUrl: amazonUrl,
      credentials: {
        appKey: CLIENT.clientId,
        appSecret: CLIENT.clientSecret,
        refreshToken: auth.authorize(key),
        extra: { marketplaceId: MARKETPLACE, lwaUrl: amazonUrl },
      },
      syncEnabled: false,
      settings,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await setupCarrierAccounts(world.h.db, id, ['ZTO']);
  return { id, key };
}

/** A paid MFN order on the simulated Amazon and as captured, packed, labelled and handed over. */
async function shippedOrder(shop: { id: string; key: string }) {
  const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'b**r' } });
  const sim = paidSimOrder(
    { id: push.platformOrderId, shopKey: shop.key, buyerNick: 'b**r', receiver: push.receiver },
    push.lines.map((l) => ({ code: l.skuCode, priceFen: l.unitPriceFen })),
    { line: (i) => push.lines[i]!.lineId, sku: (i) => push.lines[i]!.platformSkuId },
  );
  store.upsert(sim);
  const res = await submitOrder(world.api, { platform: 'amazon', shopId: shop.id, order: push }, world.ops);
  expect(res.statusCode, res.body).toBe(202);
  const orderId = orderWorkflowId('amazon', shop.id, push.platformOrderId);
  const { parcelId, trackingNumber } = await toLabelled(world, orderId);
  await handOver(world.api, world.wh, parcelId);
  return { sim, trackingNumber };
}

it('the shop’s carrier code goes to confirmShipment; without one an unlisted carrier is Other with its name', async () => {
  const coded = await amazonShop({ platformCarrierCodes: { ZTO: 'ZTO Express' } });
  const plain = await amazonShop({});
  const a = await shippedOrder(coded);
  const b = await shippedOrder(plain);

  // The simulator keeps the code it was sent (listedAs) and the carrier it names.
  await expect
    .poll(() => store.get(coded.key, a.sim.id)?.shipment ?? null)
    .toMatchObject({
      listedAs: 'ZTO Express',
      carrierCode: 'ZTO Express',
      trackingNumber: a.trackingNumber,
    });
  await expect
    .poll(() => store.get(plain.key, b.sim.id)?.shipment ?? null)
    .toMatchObject({
      listedAs: 'Other',
      carrierCode: 'ZTO Express',
      trackingNumber: b.trackingNumber,
    });
  expect(store.get(coded.key, a.sim.id)!.status).toBe('shipped');
});

import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { platformLogisticsPolicy } from '../../domain/platform-logistics.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { ShopeeSimAuth, shopeeSimulator, type ShopeeChannel } from '../../sandbox/platforms/shopee/index.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts, shipmentStages } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { submitOrder } from '../support/intake.js';
import { PATIENCE_MS, waitForState } from '../support/waits.js';
import {
  shipmentState,
  startShipmentWorld,
  toPacked,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';

// Shopee orders ship through Shopee's own logistics: no carrier of ours is chosen, Shopee arranges
// the pickup, issues the tracking number and the shipping document that is printed as the label.

const PARTNER = { partnerId: '2001887', partnerKey: 'sp-logistics-partner-key' };
const store = new SimOrderStore();
const auth = new ShopeeSimAuth();
const channels = new Map<string, ShopeeChannel>();
let world: ShipmentWorld;
let shopee: FastifyInstance;
let shopeeUrl: string;
let shops = 0;

beforeAll(async () => {
  shopee = Fastify();
  await shopee.register(shopeeSimulator, {
    store,
    partner: PARTNER,
    auth,
    rateLimit: { limit: 1000, windowMs: 1000 },
    // Shopee issues the tracking number a moment after ship_order: the shipment asks again.
    channel: (o) => channels.get(o.id) ?? { methods: ['pickup', 'dropoff'], trackingDelaySeconds: 2 },
  });
  await shopee.listen({ port: 0, host: '127.0.0.1' });
  shopeeUrl = `http://127.0.0.1:${(shopee.server.address() as { port: number }).port}`;
  world = await startShipmentWorld({});
});
afterAll(async () => {
  await world?.close();
  await shopee.close();
});

/** A Shopee shop connected to the simulator (signing with `partnerKey`), with carriers it could use. */
async function shopeeShop(partnerKey = PARTNER.partnerKey): Promise<{ id: string; key: string }> {
  shops += 1;
  const key = String(810_000 + shops);
  const id = uniqueId('spl');
  const grant = auth.grant(key);
  const res = await world.api.inject({
    method: 'POST',
    url: '/shops',
    headers: world.ops,
    payload: {
      id,
      platform: 'shopee',
      name: 'Shopee SG',
      platformShopId: key,
      baseUrl: shopeeUrl,
      credentials: {
        appKey: PARTNER.partnerId,
        appSecret: partnerKey,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
      },
      syncEnabled: false,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await setupCarrierAccounts(world.h.db, id);
  return { id, key };
}

/** A paid order on the simulated Shopee and as captured, one line of the stocked SKU. */
async function shopeeOrder(shop: { id: string; key: string }, channel?: ShopeeChannel) {
  const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'b**r' } });
  const sim = paidSimOrder(
    {
      id: push.platformOrderId,
      shopKey: shop.key,
      buyerNick: push.buyer.nick ?? 'b**r',
      receiver: push.receiver,
    },
    push.lines.map((l) => ({ code: l.skuCode, priceFen: l.unitPriceFen })),
    { line: (i) => push.lines[i]!.lineId, sku: (i) => push.lines[i]!.platformSkuId },
  );
  store.upsert(sim);
  if (channel) channels.set(sim.id, channel);
  const res = await submitOrder(world.api, { platform: 'shopee', shopId: shop.id, order: push }, world.ops);
  expect(res.statusCode, res.body).toBe(202);
  return { sim, orderId: orderWorkflowId('shopee', shop.id, push.platformOrderId) };
}

const arrangementOf = (shopKey: string, sn: string) => store.get(shopKey, sn)?.shopeeArranged?.[`OFG${sn}`];

const events = (parcelId: string) => shipmentStages(world.h.db, parcelId);

describe('a Shopee order ships through Shopee logistics', () => {
  it('packed, arranged for pickup, labelled with Shopee’s tracking number and document, handed over', async () => {
    const shop = await shopeeShop();
    const { sim, orderId } = await shopeeOrder(shop);
    const { parcelId } = await toPacked(world, orderId);

    const labelled = await waitForState(world.h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
    const arranged = arrangementOf(shop.key, sim.id)!;
    expect(arranged).toMatchObject({ method: 'pickup', detail: { address_id: 2001 } });
    expect(labelled.parcels[0]!.trackingNumber).toBe(arranged.trackingNumber);
    expect(arranged.trackingNumber).toMatch(/^SPXSG\d+$/);

    const row = await world.h.db
      .selectFrom('shipments')
      .select(['carrier', 'carrier_reason', 'tracking_number', 'waybill'])
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    // No carrier of ours: Shopee's carrier and how it was arranged.
    expect(row).toMatchObject({
      carrier: null,
      carrier_reason: expect.stringMatching(/^Shopee Xpress \(pickup from address 2001, slot \d+\)$/),
      tracking_number: arranged.trackingNumber,
      waybill: { provider: 'shopee', carrierName: 'Shopee Xpress' },
    });
    // Arranged first, Shopee's number a moment later; no carrier of ours was chosen.
    expect(await events(parcelId)).toEqual(
      expect.arrayContaining(['platform_shipment_arranged', 'labelled']),
    );
    expect(await events(parcelId)).not.toContain('carrier_selected');

    // The label is Shopee's shipping document.
    const pdf = await world.api.inject({
      method: 'GET',
      url: `/shipments/${parcelId}/label.pdf`,
      headers: world.wh,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toContain(`Shopee THERMAL_AIR_WAYBILL`);
    expect(pdf.rawPayload.toString('latin1')).toContain(arranged.trackingNumber);

    await handOver(world.api, world.wh, parcelId);
    await expect
      .poll(async () => (await shipmentState(world, parcelId)).stage, { timeout: PATIENCE_MS })
      .toBe('shipped');
    const shipped = await waitForState(world.h.client, orderId, (s) => s.parcels[0]?.stage === 'shipped');
    expect(shipped.parcels[0]!.trackingNumber).toBe(arranged.trackingNumber);
    // Shopee issued the number: nothing is uploaded on top (no non-integrated ship_order).
    expect(store.get(shop.key, sim.id)!.shipment).toBeUndefined();
    await recordHistory(world.h.client, `shipment:${parcelId}`, 'shipment-shopee-logistics');
  });

  it('a ship_order Shopee refuses puts the parcel in exception with Shopee’s words; resumed, it ships', async () => {
    const shop = await shopeeShop();
    const { sim, orderId } = await shopeeOrder(shop, {
      methods: ['dropoff'],
      refusal: { error: 'logistics.error_param', message: 'This address do not support delivery.' },
    });
    const { parcelId } = await toPacked(world, orderId);

    await expect
      .poll(async () => (await shipmentState(world, parcelId)).exception?.kind ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('platform_logistics_refused');
    const stopped = await shipmentState(world, parcelId);
    expect(stopped.exception?.detail).toMatch(
      /shopee logistics refused the parcel of .* \(logistics\.error_param\): .*This address do not support delivery\./,
    );
    expect(stopped.trackingNumber).toBeNull();
    expect(arrangementOf(shop.key, sim.id)).toBeUndefined();

    // The seller sorts it out with Shopee; a person resumes and the parcel is dropped off instead.
    channels.set(sim.id, { methods: ['dropoff'] });
    const resumed = await world.api.inject({
      method: 'POST',
      url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
      headers: world.ops,
      payload: { action: 'resume', note: 'address fixed on Shopee' },
    });
    expect(resumed.statusCode, resumed.body).toBe(200);
    const labelledWithShopees = async () => {
      const tracking = (await shipmentState(world, parcelId)).trackingNumber;
      return tracking !== null && tracking === arrangementOf(shop.key, sim.id)?.trackingNumber;
    };
    await expect.poll(labelledWithShopees, { timeout: PATIENCE_MS }).toBe(true);
    expect(arrangementOf(shop.key, sim.id)).toMatchObject({ method: 'dropoff', detail: { branch_id: 3001 } });
    expect((await shipmentState(world, parcelId)).exception).toBeNull();
    await recordHistory(world.h.client, `shipment:${parcelId}`, 'shipment-shopee-logistics-refused-resumed');
  });

  it('a request Shopee rejects for its sign stops the parcel for a person, nothing arranged', async () => {
    const shop = await shopeeShop('not-the-partner-key');
    const { sim, orderId } = await shopeeOrder(shop);
    const { parcelId } = await toPacked(world, orderId);
    await expect
      .poll(async () => (await shipmentState(world, parcelId)).exception?.kind ?? null, {
        timeout: PATIENCE_MS,
      })
      .toBe('platform_logistics_refused');
    expect((await shipmentState(world, parcelId)).exception?.detail).toMatch(
      /\(error_sign\): .*Wrong sign\./,
    );
    expect(arrangementOf(shop.key, sim.id)).toBeUndefined();
  });
});

describe('which Shopee shops use Shopee logistics', () => {
  it('by default every Shopee shop; `platformLogistics: false` ships with the seller’s carriers; other platforms never', () => {
    expect(platformLogisticsPolicy('shopee', {})).toMatchObject({
      source: 'platform',
      preference: { methods: ['pickup', 'dropoff'], documentType: 'THERMAL_AIR_WAYBILL' },
    });
    expect(platformLogisticsPolicy('shopee', { platformLogistics: false })).toBeNull();
    expect(
      platformLogisticsPolicy('shopee', {
        platformLogistics: { methods: ['dropoff'], dropoffBranchId: '3002' },
      }),
    ).toMatchObject({ source: 'shop', preference: { methods: ['dropoff'], dropoffBranchId: '3002' } });
    expect(platformLogisticsPolicy('taobao', { platformLogistics: {} })).toBeNull();
  });

  it('the shops API refuses a setting it cannot read, naming the field', async () => {
    const shop = await shopeeShop();
    const bad = await world.api.inject({
      method: 'PATCH',
      url: `/shops/${shop.id}`,
      headers: world.ops,
      payload: { settings: { platformLogistics: { methods: ['teleport'] } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/settings\.platformLogistics/);
  });
});

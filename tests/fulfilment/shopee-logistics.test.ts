import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformLogisticsPolicy } from '../../domain/platform-logistics.js';
import { handOver, shipmentStages } from '../support/fulfilment.js';
import { recordHistory } from '../support/histories.js';
import { startShopeeLogisticsWorld, type ShopeeLogisticsWorld } from '../support/shopee-logistics.js';
import { PATIENCE_MS, waitForState } from '../support/waits.js';
import { shipmentState, toPacked, type ShipmentWorld } from '../carriers/shipment-flow.js';

// Shopee orders ship through Shopee's own logistics: no carrier of ours is chosen, Shopee arranges
// the pickup, issues the tracking number and the shipping document that is printed as the label.

let sp: ShopeeLogisticsWorld;
let world: ShipmentWorld;

beforeAll(async () => {
  sp = await startShopeeLogisticsWorld();
  world = sp.world;
});
afterAll(async () => {
  await sp?.close();
});

const shopeeShop = (partnerKey?: string) => sp.shop(partnerKey);
const shopeeOrder: ShopeeLogisticsWorld['order'] = (shop, channel) => sp.order(shop, channel);
const arrangementOf = (shopKey: string, sn: string) =>
  sp.store.get(shopKey, sn)?.shopeeArranged?.[`OFG${sn}`];

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
    expect(sp.store.get(shop.key, sim.id)!.shipment).toBeUndefined();
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
    sp.channels.set(sim.id, { methods: ['dropoff'] });
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

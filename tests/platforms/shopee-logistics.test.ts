import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RequestRejectedError } from '../../integrations/platforms/errors.js';
import { createShopeeAdapter, signShopeeShopRequest } from '../../integrations/platforms/shopee/index.js';
import { chooseShopeeShipment, shopeeDelivery } from '../../integrations/platforms/shopee/logistics.js';
import type { PlatformLogisticsPreference } from '../../integrations/platforms/types.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { shopeeSimOrder, signedShopeeQuery } from './shopee-fixtures.js';
import {
  ShopeeSimAuth,
  moveShopeeParcel,
  shopeeSimulator,
  type ShopeeChannel,
} from '../../sandbox/platforms/shopee/index.js';

const PARTNER = { partnerId: '2001887', partnerKey: 'sp-logistics-key' };
const SHOP = '600100';
const PICKUP_FIRST: PlatformLogisticsPreference = {
  methods: ['pickup', 'dropoff'],
  documentType: 'THERMAL_AIR_WAYBILL',
};

const simOrder = (overrides: Partial<SimOrder> = {}) => shopeeSimOrder(SHOP, overrides, 'LG');

const store = new SimOrderStore();
const auth = new ShopeeSimAuth();
const channels = new Map<string, ShopeeChannel>();
let app: FastifyInstance;
let baseUrl: string;
let tokens: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  app = Fastify();
  await app.register(shopeeSimulator, {
    store,
    partner: PARTNER,
    auth,
    rateLimit: { limit: 1000, windowMs: 1000 },
    channel: (o) => channels.get(o.id) ?? { methods: ['pickup', 'dropoff'] },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());
beforeEach(() => {
  tokens = auth.grant(SHOP);
});

function adapter() {
  return createShopeeAdapter({
    shopId: 'shop-sp-logistics',
    platformShopId: SHOP,
    baseUrl,
    credentials: { appKey: PARTNER.partnerId, appSecret: PARTNER.partnerKey, ...tokens },
    onTokensRefreshed: async () => {},
  });
}

/** A shop call signed by the test itself (the simulator checks it on its own). */
async function signed(
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, unknown>,
  opts: { sign?: string } = {},
) {
  const query = signedShopeeQuery({
    partner: PARTNER,
    accessToken: tokens.accessToken,
    shopId: SHOP,
    path,
    ...(opts.sign ? { sign: opts.sign } : {}),
  });
  if (method === 'GET') for (const [k, v] of Object.entries(params)) query.set(k, String(v));
  const response = await fetch(`${baseUrl}${path}?${query}`, {
    method,
    ...(method === 'POST'
      ? { body: JSON.stringify(params), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Shopee logistics: adapter against the simulator', () => {
  it('arranges a pickup, waits for the tracking number Shopee issues, then downloads the shipping document', async () => {
    const sim = simOrder();
    store.upsert(sim);
    channels.set(sim.id, { methods: ['pickup', 'dropoff'], trackingDelaySeconds: 2 });
    const sp = adapter();

    const first = await sp.shipThroughPlatform!({ platformOrderId: sim.id, preference: PICKUP_FIRST });
    expect(first).toMatchObject({
      kind: 'pending',
      method: expect.stringMatching(/^pickup from address 2001, slot \d+$/),
    });
    const arranged = store.get(SHOP, sim.id)!.shopeeArranged![`OFG${sim.id}`]!;
    expect(arranged).toMatchObject({ method: 'pickup', detail: { address_id: 2001 } });
    // Arranged once: Shopee offers no shipping parameters for it any more.
    const param = await signed('GET', '/api/v2/logistics/get_shipping_parameter', { order_sn: sim.id });
    expect(param.body.error).toBe('error_param');

    // Asked again once issued: not arranged twice, Shopee's number, and its document as a PDF.
    await expect
      .poll(
        async () =>
          (await sp.shipThroughPlatform!({ platformOrderId: sim.id, preference: PICKUP_FIRST })).kind,
        {
          interval: 500,
        },
      )
      .toBe('shipped');
    const done = await sp.shipThroughPlatform!({ platformOrderId: sim.id, preference: PICKUP_FIRST });
    expect(done).toMatchObject({
      kind: 'shipped',
      method: 'arranged earlier',
      trackingNumber: arranged.trackingNumber,
      carrierName: 'Shopee Xpress',
    });
    if (done.kind !== 'shipped' || !('pdf' in done.document)) throw new Error('no document');
    expect(done.document.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(done.document.pdf.toString('latin1')).toContain(arranged.trackingNumber);
    expect(store.get(SHOP, sim.id)!.shopeeArranged![`OFG${sim.id}`]!.document?.type).toBe(
      'THERMAL_AIR_WAYBILL',
    );

    // Shopee shows the order PROCESSED (arranged, not picked up yet): the ERP still reads it as paid.
    const order = await sp.getOrder(sim.id);
    expect(order.status).toBe('paid');
    // The tracking upload after handover finds the number already Shopee's.
    await sp.confirmShipment({
      platformOrderId: sim.id,
      carrier: 'SF',
      trackingNumber: arranged.trackingNumber,
      shippedAt: new Date(),
    });
  });

  it('drops off at a branch when the channel has no pickup, with the sender’s real name it asks for', async () => {
    const sim = simOrder();
    store.upsert(sim);
    channels.set(sim.id, { methods: ['dropoff'], dropoffNeeds: ['branch_id', 'sender_real_name'] });
    const sp = adapter();
    await expect(
      sp.shipThroughPlatform!({ platformOrderId: sim.id, preference: PICKUP_FIRST }),
    ).rejects.toThrow(
      /Shopee allows dropoff for this order, the shop ships by pickup, dropoff \(dropoff needs the sender’s real name/,
    );
    const result = await sp.shipThroughPlatform!({
      platformOrderId: sim.id,
      preference: { ...PICKUP_FIRST, dropoffBranchId: '3002', senderRealName: 'Lim Mei Ling' },
    });
    expect(result).toMatchObject({ kind: 'shipped', method: 'dropoff at branch 3002' });
    expect(store.get(SHOP, sim.id)!.shopeeArranged![`OFG${sim.id}`]).toMatchObject({
      method: 'dropoff',
      detail: { branch_id: 3002, sender_real_name: 'Lim Mei Ling' },
    });
  });

  it('says a non-integrated channel is the seller’s own carrier', async () => {
    const sim = simOrder();
    store.upsert(sim);
    channels.set(sim.id, { methods: ['non_integrated'] });
    await expect(
      adapter().shipThroughPlatform!({ platformOrderId: sim.id, preference: PICKUP_FIRST }),
    ).resolves.toMatchObject({ kind: 'own_carrier' });
    expect(store.get(SHOP, sim.id)!.shopeeArranged).toBeUndefined();
  });

  it('passes Shopee’s refusal on in Shopee’s words: a channel that will not serve, an order not ready to ship', async () => {
    const refused = simOrder();
    store.upsert(refused);
    channels.set(refused.id, {
      methods: ['pickup'],
      refusal: { error: 'logistics.error_param', message: 'This address do not support delivery.' },
    });
    const error = await adapter().shipThroughPlatform!({
      platformOrderId: refused.id,
      preference: PICKUP_FIRST,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect((error as RequestRejectedError).code).toBe('logistics.error_param');
    expect((error as RequestRejectedError).message).toMatch(/This address do not support delivery/);

    const unpaid = simOrder({ status: 'unpaid', paidAt: undefined });
    store.upsert(unpaid);
    await expect(
      adapter().shipThroughPlatform!({ platformOrderId: unpaid.id, preference: PICKUP_FIRST }),
    ).rejects.toThrow(/Shipping parameters can only be obtained when package is ready to be shipped/);
  });
});

describe('after handover: where the parcel stands on Shopee', () => {
  /** An order arranged for pickup whose tracking number is issued at once. */
  async function arranged(channel: ShopeeChannel = { methods: ['pickup'] }) {
    const sim = simOrder();
    store.upsert(sim);
    channels.set(sim.id, channel);
    const sp = adapter();
    const shipped = await sp.shipThroughPlatform!({ platformOrderId: sim.id, preference: PICKUP_FIRST });
    expect(shipped.kind).toBe('shipped');
    return { sim, sp, where: () => sp.platformDelivery!({ platformOrderId: sim.id }) };
  }

  it('reads the order detail: PROCESSED, then SHIPPED, TO_CONFIRM_RECEIVE and COMPLETED as Shopee’s carrier moves it', async () => {
    const { sim, sp, where } = await arranged();
    expect(await where()).toEqual({
      state: 'in_transit',
      confirmed: false,
      orderStatus: 'PROCESSED',
      logisticsStatus: 'LOGISTICS_REQUEST_CREATED',
    });
    moveShopeeParcel(store, SHOP, sim.id, 'picked_up');
    expect(await where()).toMatchObject({
      state: 'in_transit',
      orderStatus: 'SHIPPED',
      logisticsStatus: 'LOGISTICS_PICKUP_DONE',
    });
    expect((await sp.getOrder(sim.id)).status).toBe('shipped');
    moveShopeeParcel(store, SHOP, sim.id, 'delivered');
    expect(await where()).toEqual({
      state: 'delivered',
      confirmed: false,
      orderStatus: 'TO_CONFIRM_RECEIVE',
      logisticsStatus: 'LOGISTICS_DELIVERY_DONE',
    });
    moveShopeeParcel(store, SHOP, sim.id, 'confirmed');
    expect(await where()).toMatchObject({ state: 'delivered', confirmed: true, orderStatus: 'COMPLETED' });
    expect((await sp.getOrder(sim.id)).status).toBe('completed');
  });

  it('a channel’s journey moves the parcel by itself, and the order’s update_time with it', async () => {
    const { sim, where } = await arranged({
      methods: ['pickup'],
      journey: { pickupSeconds: 0, deliverySeconds: 0, confirmSeconds: 3600 },
    });
    const before = store.get(SHOP, sim.id)!.modifiedAt;
    expect(await where()).toMatchObject({ state: 'delivered', orderStatus: 'TO_CONFIRM_RECEIVE' });
    expect(store.get(SHOP, sim.id)!.modifiedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(store.get(SHOP, sim.id)!.shipment).toMatchObject({ carrierCode: 'shopee' });
  });

  it('a return under way, or an order cancelled after it shipped, is coming back; a split package answers for itself', () => {
    const detail = (order_status: string, ...packages: Array<[string, string]>) => ({
      order_status,
      package_list: packages.map(([package_number, logistics_status]) => ({
        package_number,
        logistics_status,
      })),
    });
    expect(shopeeDelivery(detail('TO_RETURN', ['OFG1', 'LOGISTICS_PICKUP_DONE']))).toMatchObject({
      state: 'returning',
    });
    expect(shopeeDelivery(detail('CANCELLED', ['OFG1', 'LOGISTICS_DELIVERY_FAILED']))).toMatchObject({
      state: 'returning',
    });
    const split = detail('SHIPPED', ['P1', 'LOGISTICS_DELIVERY_DONE'], ['P2', 'LOGISTICS_PICKUP_DONE']);
    expect(shopeeDelivery(split, 'P1')).toMatchObject({
      state: 'delivered',
      logisticsStatus: 'LOGISTICS_DELIVERY_DONE',
    });
    expect(shopeeDelivery(split, 'P2')).toMatchObject({ state: 'in_transit', orderStatus: 'SHIPPED' });
  });
});

describe('Shopee logistics simulator (signed by hand)', () => {
  it('refuses a method the channel does not allow, an address it did not offer, and a second ship_order', async () => {
    const sim = simOrder();
    store.upsert(sim);
    channels.set(sim.id, { methods: ['pickup'] });
    const path = '/api/v2/logistics/ship_order';
    const dropoff = await signed('POST', path, { order_sn: sim.id, dropoff: { branch_id: 3001 } });
    expect(dropoff).toMatchObject({
      status: 400,
      body: {
        error: 'logistics.error_param',
        message: 'Channel does not support dropoff. Please select the pickup option and try again.',
      },
    });
    const both = await signed('POST', path, { order_sn: sim.id, pickup: {}, dropoff: {} });
    expect(both.body.error).toBe('error_param');
    const nowhere = await signed('POST', path, {
      order_sn: sim.id,
      pickup: { address_id: 9, pickup_time_id: 'x' },
    });
    expect(nowhere.body).toMatchObject({ error: 'logistics.address_not_found' });

    const param = await signed('GET', '/api/v2/logistics/get_shipping_parameter', { order_sn: sim.id });
    expect(param.status).toBe(200);
    const response = param.body.response as {
      info_needed: Record<string, string[]>;
      pickup: {
        address_list: Array<{ address_id: number; time_slot_list: Array<{ pickup_time_id: string }> }>;
      };
    };
    expect(response.info_needed).toEqual({ pickup: ['address_id', 'pickup_time_id'] });
    const address = response.pickup.address_list[0]!;
    const pickup = {
      address_id: address.address_id,
      pickup_time_id: address.time_slot_list[0]!.pickup_time_id,
    };
    expect(await signed('POST', path, { order_sn: sim.id, pickup })).toMatchObject({
      status: 200,
      body: { error: '' },
    });
    expect(await signed('POST', path, { order_sn: sim.id, pickup })).toMatchObject({
      status: 400,
      body: { error: 'logistics.error_param', message: 'Order has been shipped.' },
    });
    const tracking = await signed('GET', '/api/v2/logistics/get_tracking_number', { order_sn: sim.id });
    expect((tracking.body.response as { tracking_number: string }).tracking_number).toMatch(/^SPXSG\d+$/);
    // The seller's own carrier cannot ship it on top.
    const own = await signed('POST', path, {
      order_sn: sim.id,
      non_integrated: { tracking_number: 'SF1234567890' },
    });
    expect(own.body.error).toBe('logistics.error_method');
  });

  it('refuses an order that is not READY_TO_SHIP (a refund requested: IN_CANCEL)', async () => {
    const sim = simOrder();
    store.upsert(sim);
    store.update(SHOP, sim.id, (o) => {
      o.refund = {
        id: `R${sim.id}`,
        kind: 'refund_only',
        status: 'requested',
        amountMinor: 2_249,
        reason: 'changed my mind',
        createdAt: new Date(),
        modifiedAt: new Date(),
      };
    });
    const result = await signed('POST', '/api/v2/logistics/ship_order', {
      order_sn: sim.id,
      pickup: { address_id: 2001, pickup_time_id: 'any' },
    });
    expect(result.body).toMatchObject({
      error: 'logistics.error_param',
      message: 'The order status is not ready to ship.',
    });
  });

  it('rejects a request whose sign is wrong, whatever the call', async () => {
    const sim = simOrder();
    store.upsert(sim);
    const bad = await signed(
      'POST',
      '/api/v2/logistics/ship_order',
      { order_sn: sim.id, pickup: { address_id: 2001 } },
      { sign: 'f'.repeat(64) },
    );
    expect(bad).toMatchObject({ status: 403, body: { error: 'error_sign', message: 'Wrong sign.' } });
    // A sign made for another path does not pass either.
    const timestamp = Math.floor(Date.now() / 1000);
    const other = signShopeeShopRequest({
      partnerId: PARTNER.partnerId,
      partnerKey: PARTNER.partnerKey,
      path: '/api/v2/logistics/get_tracking_number',
      timestamp,
      accessToken: tokens.accessToken,
      shopId: SHOP,
    });
    const moved = await signed(
      'GET',
      '/api/v2/logistics/get_shipping_parameter',
      { order_sn: sim.id },
      { sign: other },
    );
    expect(moved.body.error).toBe('error_sign');
    expect(store.get(SHOP, sim.id)!.shopeeArranged).toBeUndefined();
  });
});

describe('choosing the method from the shipping parameters', () => {
  it('takes the recommended slot, else the earliest; the chosen address, else the pickup one', () => {
    const param = {
      info_needed: { pickup: ['address_id', 'pickup_time_id'] },
      pickup: {
        address_list: [
          { address_id: '1', address_flag: ['default_address'], time_slot_list: [] },
          {
            address_id: '2',
            address_flag: ['pickup_address'],
            time_slot_list: [
              { date: 200, pickup_time_id: 'late', flags: [] },
              { date: 100, pickup_time_id: 'early', flags: [] },
            ],
          },
        ],
      },
      dropoff: null,
    };
    expect(chooseShopeeShipment(param, PICKUP_FIRST)).toMatchObject({
      ok: true,
      body: { pickup: { address_id: 2, pickup_time_id: 'early' } },
    });
    expect(chooseShopeeShipment(param, { ...PICKUP_FIRST, pickupAddressId: '1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/pickup offers no time slot/),
    });
  });
});

import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFulfilmentActivities } from '../../activities/fulfilment.js';
import { RequestRejectedError, TransientPlatformError } from '../../integrations/platforms/errors.js';
import {
  createOwnStoreShipper,
  FulfilmentCallbackSchema,
  renderFulfilmentCallback,
} from '../../integrations/platforms/own/index.js';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { buildExternalServices } from '../../worker/services.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
let activities: ReturnType<typeof createFulfilmentActivities>;
const shopId = uniqueId('own');
const bareShopId = uniqueId('own-bare');

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  sandbox = await startSandbox({ shopIds: { own: shopId } });
  // The demo store points its callback at the sandbox's own-store endpoint.
  await registerShop(api, ops, sandbox.shop('own'));
  // The same store registered without a callback URL.
  await registerShop(api, ops, { ...sandbox.shop('own'), baseUrl: '' }, { id: bareShopId });
  activities = createFulfilmentActivities({
    db: h.db,
    client: h.client,
    config: h.config,
    platforms: buildExternalServices(h.db, h.config).platforms,
  });
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

/** The shipment rows the workflow writes for a parcel carrying (part of) an order. */
async function projectParcel(orderId: string, lineIds: string[]): Promise<string> {
  const shipmentId = uniqueId('shipment');
  await h.db
    .insertInto('shipments')
    .values({
      id: shipmentId,
      wave_id: uniqueId('wave'),
      warehouse_code: 'WH-HZ',
      stage: 'shipped',
      order_ids: [orderId],
      updated_at: new Date(),
    })
    .execute();
  await h.db
    .insertInto('shipment_orders')
    .values({ shipment_id: shipmentId, order_id: orderId, line_ids: lineIds })
    .execute();
  return shipmentId;
}

/** A paid two-line order on the simulated store, and the shipment that carries it. */
async function paidOrderInParcel(forShop = shopId) {
  const [placed] = sandbox.placeOrders('own', { count: 1, scenario: 'normal_day' });
  if (!placed) throw new Error('the generator placed no order');
  // Paid, with two lines, whatever the generator drew: the split-parcel case needs both.
  const [item] = placed.items;
  const order = Object.assign(placed, {
    status: 'paid' as const,
    paidAt: placed.paidAt ?? placed.createdAt,
    items: placed.items.length >= 2 ? placed.items : [item!, { ...item!, lineId: `${item!.lineId}-2` }],
    plan: [],
  });
  sandbox.own.store.upsert(order);
  const orderId = `order:own:${forShop}:${order.id}`;
  const shipmentId = await projectParcel(
    orderId,
    order.items.map((i) => i.lineId),
  );
  return { order, shipmentId, orderId };
}

const upload = (
  parcel: Awaited<ReturnType<typeof paidOrderInParcel>>,
  overrides: { shopId?: string; trackingNumber?: string; carrier?: CarrierCode; lineIds?: string[] } = {},
) =>
  activities.uploadTracking({
    shipmentId: parcel.shipmentId,
    orderId: parcel.orderId,
    shopId: overrides.shopId ?? shopId,
    platformOrderId: parcel.order.id,
    carrier: overrides.carrier ?? 'SF',
    trackingNumber: overrides.trackingNumber ?? `SF${Date.now()}`,
    lineIds: overrides.lineIds ?? parcel.order.items.map((i) => i.lineId),
    shippedAt: '2026-03-02T01:30:00.000Z',
    wholeOrder: !overrides.lineIds,
  });

const uploadRow = (parcel: { shipmentId: string; orderId: string }) =>
  h.db
    .selectFrom('shipment_orders')
    .select(['tracking_uploaded_at', 'upload_skipped', 'upload_attempts'])
    .where('shipment_id', '=', parcel.shipmentId)
    .where('order_id', '=', parcel.orderId)
    .executeTakeFirstOrThrow();

describe('own store ship confirmation through the tracking-upload activity', () => {
  it('posts a signed callback the store verifies and records; the order shows shipped there', async () => {
    const parcel = await paidOrderInParcel();
    await expect(upload(parcel, { trackingNumber: 'SF1000000000001' })).resolves.toEqual({
      outcome: 'confirmed',
    });
    const [received] = sandbox.own.fulfilments.forOrder(parcel.order.id);
    expect(received).toMatchObject({
      platformOrderId: parcel.order.id,
      carrier: 'SF',
      trackingNumber: 'SF1000000000001',
      wholeOrder: true,
      deliveries: 1,
    });
    expect(received!.deliveryId).toMatch(/^ful_[0-9a-f]{32}$/);
    expect(sandbox.own.store.get('demo-shop', parcel.order.id)).toMatchObject({
      status: 'shipped',
      shipment: { carrierCode: 'SF', trackingNumber: 'SF1000000000001' },
    });
    expect((await uploadRow(parcel)).tracking_uploaded_at).not.toBeNull();

    // The shipment asks again (a replayed step): nothing is sent twice.
    await expect(upload(parcel, { trackingNumber: 'SF1000000000001' })).resolves.toEqual({
      outcome: 'already',
    });
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)).toHaveLength(1);
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)[0]!.deliveries).toBe(1);
  });

  it('a store that is down fails the attempt retryably; the retry delivers once, same delivery id', async () => {
    const parcel = await paidOrderInParcel();
    sandbox.own.faults.fail('fulfilment', 503, 1);
    const first = await upload(parcel, { trackingNumber: 'YT2000000000002', carrier: 'YTO' }).catch(
      (e: unknown) => e,
    );
    // A plain platform error: Temporal retries the activity with its backoff.
    expect(first).toBeInstanceOf(TransientPlatformError);
    expect((await uploadRow(parcel)).tracking_uploaded_at).toBeNull();
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)).toEqual([]);

    await expect(upload(parcel, { trackingNumber: 'YT2000000000002', carrier: 'YTO' })).resolves.toEqual({
      outcome: 'confirmed',
    });
    const row = await uploadRow(parcel);
    expect(row.upload_attempts).toBe(2);
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)).toMatchObject([
      { carrier: 'YTO', trackingNumber: 'YT2000000000002', deliveries: 1 },
    ]);
  });

  it('a callback the store took but whose answer was lost comes again under the same id and changes nothing', async () => {
    const parcel = await paidOrderInParcel();
    const shipper = createOwnStoreShipper({
      shopId,
      url: sandbox.own.callbackUrl,
      webhookSecret: sandbox.own.webhookSecret,
    });
    const confirmation = {
      platformOrderId: parcel.order.id,
      carrier: 'ZTO' as const,
      trackingNumber: '75300000000003',
      shippedAt: new Date('2026-03-02T01:30:00Z'),
    };
    await shipper.confirmShipment(confirmation);
    const before = sandbox.own.store.get('demo-shop', parcel.order.id)!.modifiedAt;
    await shipper.confirmShipment(confirmation);
    const [received] = sandbox.own.fulfilments.forOrder(parcel.order.id);
    expect(received!.deliveries).toBe(2);
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)).toHaveLength(1);
    expect(sandbox.own.store.get('demo-shop', parcel.order.id)!.modifiedAt).toEqual(before);
  });

  it('the store refuses a callback signed with another secret', async () => {
    const parcel = await paidOrderInParcel();
    const forged = createOwnStoreShipper({
      shopId,
      url: sandbox.own.callbackUrl,
      webhookSecret: 'whsec_not_the_shops',
    });
    const refused = sandbox.own.fulfilments.forged;
    await expect(
      forged.confirmShipment({
        platformOrderId: parcel.order.id,
        carrier: 'SF',
        trackingNumber: 'SF1000000000004',
        shippedAt: new Date(),
      }),
    ).rejects.toMatchObject({ constructor: RequestRejectedError, code: '401' });
    expect(sandbox.own.fulfilments.forged).toBe(refused + 1);
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)).toEqual([]);
  });

  it('tells the store of each parcel of a split order; the order is shipped once every line has left', async () => {
    const parcel = await paidOrderInParcel();
    const [first, ...rest] = parcel.order.items.map((i) => i.lineId);
    await expect(upload(parcel, { trackingNumber: 'SF1000000000005', lineIds: [first!] })).resolves.toEqual({
      outcome: 'confirmed',
    });
    expect(sandbox.own.store.get('demo-shop', parcel.order.id)!.status).toBe('paid');
    const second = { ...parcel, shipmentId: await projectParcel(parcel.orderId, rest) };
    await expect(upload(second, { trackingNumber: 'SF1000000000006', lineIds: rest })).resolves.toEqual({
      outcome: 'confirmed',
    });
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id).map((r) => [r.wholeOrder, r.lineIds])).toEqual([
      [false, [first]],
      [false, rest],
    ]);
    expect(sandbox.own.store.get('demo-shop', parcel.order.id)).toMatchObject({
      status: 'shipped',
      shipment: { trackingNumber: 'SF1000000000005' },
      extraShipments: [{ trackingNumber: 'SF1000000000006' }],
    });
  });

  it('a store without a callback URL keeps unsupported, with the reason recorded', async () => {
    const parcel = await paidOrderInParcel(bareShopId);
    const result = await upload(parcel, { shopId: bareShopId, trackingNumber: 'SF1000000000007' });
    expect(result).toEqual({
      outcome: 'unsupported',
      reason: expect.stringMatching(new RegExp(`own store ${bareShopId} has no fulfilment callback URL`)),
    });
    expect((await uploadRow(parcel)).upload_skipped).toBe(result.reason);
    expect(sandbox.own.fulfilments.forOrder(parcel.order.id)).toEqual([]);
    await expect(upload(parcel, { shopId: bareShopId })).resolves.toEqual({ outcome: 'already' });
  });
});

describe('the documented fulfilment callback', () => {
  it('is what the ERP sends for the worked example of docs/own-store-push.md', () => {
    const doc = readFileSync(new URL('../../docs/own-store-push.md', import.meta.url), 'utf8');
    const block = /```http fulfilment-callback\n([\s\S]*?)\n```/.exec(doc)?.[1];
    if (!block) throw new Error('fulfilment callback example not found in docs/own-store-push.md');
    const [head, body] = block.split('\n\n') as [string, string];
    const headers = Object.fromEntries(
      head
        .split('\n')
        .slice(1)
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const sent = renderFulfilmentCallback('whsec_demo_8f2c1e', 'shop-own-1', {
      platformOrderId: 'SO-20260301-0001',
      carrier: 'SF',
      trackingNumber: 'SF1234567890123',
      shippedAt: new Date('2026-03-02T01:30:00Z'),
    });
    expect(sent.body).toBe(body);
    expect(sent.headers).toEqual(headers);
    expect(FulfilmentCallbackSchema.parse(JSON.parse(body))).toMatchObject({ wholeOrder: true });
  });

  it('is served as JSON Schema', async () => {
    const res = await api.inject({ method: 'GET', url: '/schemas/fulfilment-callback.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['event', 'deliveryId', 'platformOrderId', 'trackingNumber']),
    });
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { shopifySimulator } from '../../sandbox/platforms/shopify/index.js';
import { renderFulfillmentOrders } from '../../sandbox/platforms/shopify/render.js';
import { clockDigits, orderPush, TEST_SKU, uniqueId } from '../support/fixtures.js';
import { packParcel, setupCarrierAccounts, waitForShipments, workWave } from '../support/fulfilment.js';
import { submitOrder } from '../support/intake.js';
import { paidSimOrder } from '../support/sim-orders.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { startShipmentWorld, type ShipmentWorld } from '../carriers/shipment-flow.js';

// A Shopify order whose one line is too heavy for one parcel leaves in two; each parcel confirms
// its own units of the line on Shopify (fulfillment-order line items by quantity), the first leaving
// the rest open, the second closing the fulfillment order (docs/capture.md, "Ship confirmation per
// platform"). Before, the first parcel fulfilled the whole line and the second became an exception.

const SHOP = 'split-test.myshopify.com';
const TOKEN = 'shpat_split_test';
let ctx: ShipmentWorld;
let shopify: FastifyInstance;
let shopifyUrl: string;
const store = new SimOrderStore();

/** Six T-shirts of 250 g under a 1 kg parcel limit: one line in two parcels (4 + 2 units). */
beforeAll(async () => {
  shopify = Fastify();
  await shopify.register(shopifySimulator, {
    store,
    tokens: { [TOKEN]: SHOP },
    bucket: { size: 1000, perSecond: 1000 },
  });
  await shopify.listen({ port: 0, host: '127.0.0.1' });
  shopifyUrl = `http://127.0.0.1:${(shopify.server.address() as { port: number }).port}`;
  ctx = await startShipmentWorld({
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '86400',
    PARCEL_MAX_WEIGHT_G: '1000',
  });
});
afterAll(async () => {
  await ctx.close();
  await shopify.close();
});

it('a Shopify line split over two parcels: each confirms its own units, the second closes the fulfillment order', async () => {
  const shopId = uniqueId('shopify');
  const created = await ctx.api.inject({
    method: 'POST',
    url: '/shops',
    headers: ctx.ops,
    payload: {
      id: shopId,
      platform: 'shopify',
      name: 'Shopify 店',
      platformShopId: SHOP,
      baseUrl: shopifyUrl,
      credentials: { appKey: 'shopify-app', appSecret: 'shpss_split', accessToken: TOKEN },
      syncEnabled: false,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);

  const platformOrderId = String(5_830_000_000_000 + (Date.now() % 1_000_000));
  const lineId = `${clockDigits(6)}01`;
  const push = orderPush({
    platformOrderId,
    buyer: { id: uniqueId('buyer'), nick: 'b**r' },
    amounts: { goodsFen: 59_400, discountFen: 0, shippingFen: 0, paidFen: 59_400 },
    lines: [
      {
        lineId,
        platformSkuId: '45000000001',
        skuCode: TEST_SKU.code,
        title: '纯棉T恤',
        quantity: 6,
        unitPriceFen: 9_900,
        discountFen: 0,
      },
    ],
  });
  // The same order on the simulated store: its line and the fulfillment order Shopify keeps for it.
  const sim = paidSimOrder(
    { id: platformOrderId, shopKey: SHOP, buyerNick: 'b**r', receiver: push.receiver },
    [{ code: TEST_SKU.code, priceFen: 9_900 }],
    { line: () => lineId, sku: () => '45000000001' },
  );
  sim.items[0]!.quantity = 6;
  sim.paidMinor = 59_400;
  store.upsert(sim);
  const res = await submitOrder(ctx.api, { platform: 'shopify', shopId, order: push }, ctx.ops);
  expect(res.statusCode, res.body).toBe(202);
  const orderId = orderWorkflowId('shopify', shopId, platformOrderId);

  // Two parcels of the one line, picked, packed and labelled.
  const state = await waitForState(ctx.h.client, orderId, (s) => s.parcels.length === 2);
  const ids = state.parcels.map((p) => p.parcelId);
  await waitForShipments(ctx.h.db, ids);
  const waves = await ctx.h.db.selectFrom('shipments').select('wave_id').where('id', 'in', ids).execute();
  for (const waveId of new Set(waves.map((w) => w.wave_id))) await workWave(ctx.api, ctx.wh, waveId);
  for (const id of ids) await packParcel(ctx.api, ctx.wh, id);
  const labelled = await waitForState(ctx.h.client, orderId, (s) =>
    s.parcels.every((p) => p.trackingNumber != null),
  );
  const units = new Map<string, number>();
  for (const p of labelled.parcels) {
    const rows = await ctx.h.db
      .selectFrom('wms_parcel_contents')
      .select('qty')
      .where('parcel_id', '=', p.parcelId)
      .execute();
    units.set(
      p.trackingNumber!,
      rows.reduce((n, r) => n + r.qty, 0),
    );
  }
  expect([...units.values()].sort()).toEqual([2, 4]);
  const [bigger, smaller] = [...units].sort((a, b) => b[1] - a[1]).map(([number]) => number);

  // The bigger parcel is collected first: Shopify has 4 of the 6 fulfilled, the rest open.
  ctx.carriers.sandbox.network.finish(bigger!);
  await expect.poll(() => store.get(SHOP, platformOrderId)?.shipment?.trackingNumber).toBe(bigger);
  expect(store.get(SHOP, platformOrderId)?.shipment?.quantities).toEqual({ [lineId]: 4 });
  let fo = renderFulfillmentOrders(store.get(SHOP, platformOrderId)!).fulfillment_orders[0]!;
  expect(fo.status).toBe('in_progress');
  expect(fo.line_items[0]!.fulfillable_quantity).toBe(2);

  // The second parcel confirms its 2 and closes the fulfillment order.
  ctx.carriers.sandbox.network.finish(smaller!);
  await expect.poll(() => store.get(SHOP, platformOrderId)?.extraShipments?.length ?? 0).toBe(1);
  expect(store.get(SHOP, platformOrderId)?.extraShipments![0]).toMatchObject({
    trackingNumber: smaller,
    quantities: { [lineId]: 2 },
  });
  fo = renderFulfillmentOrders(store.get(SHOP, platformOrderId)!).fulfillment_orders[0]!;
  expect(fo.status).toBe('closed');
  expect(store.get(SHOP, platformOrderId)?.status).toBe('shipped');

  // Both uploads recorded as confirmed, none skipped or refused; the order follows both to delivery.
  // Shopify holds the second fulfillment a moment before the activity records the upload it answered.
  const uploads = () =>
    ctx.h.db
      .selectFrom('shipment_orders')
      .select(['tracking_uploaded_at', 'upload_skipped'])
      .where('order_id', '=', orderId)
      .execute();
  await expect
    .poll(async () => (await uploads()).filter((u) => u.tracking_uploaded_at !== null).length)
    .toBe(2);
  expect((await uploads()).map((u) => u.upload_skipped)).toEqual([null, null]);
  const exceptions = await ctx.h.db
    .selectFrom('alerts')
    .select('message')
    .where('kind', '=', 'shipment_exception')
    .where('message', 'like', `%${platformOrderId}%`)
    .execute();
  expect(exceptions).toEqual([]);
  await waitForOrderStatus(ctx.h.db, orderId, 'completed');
});

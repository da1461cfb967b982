import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { ShopeeSimAuth, shopeeSimulator } from '../../sandbox/platforms/shopee/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, createSku, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { submitOrder } from '../support/intake.js';
import { waitForStage, waitForState } from '../support/waits.js';

const PARTNER = { partnerId: '2001887', partnerKey: 'sp-partner-key' };

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let shopee: FastifyInstance;
let shopeeUrl: string;
const store = new SimOrderStore();
const auth = new ShopeeSimAuth();
let ops: { authorization: string };
let wh: { authorization: string };
let shops = 0;

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  shopee = Fastify();
  await shopee.register(shopeeSimulator, {
    store,
    partner: PARTNER,
    auth,
    logistics: 'seller',
    rateLimit: { limit: 1000, windowMs: 1000 },
  });
  await shopee.listen({ port: 0, host: '127.0.0.1' });
  shopeeUrl = `http://127.0.0.1:${(shopee.server.address() as { port: number }).port}`;
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '2', TRACKING_POLL_SECONDS: '1' });
  api = await h.api();
  await seedCatalog(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
  await shopee.close();
});

const sku = () => createSku(h.db);

/** A Shopee shop connected to the simulator through the shops API. */
async function shopeeShop(settings: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  shops += 1;
  const key = String(700_000 + shops);
  const id = uniqueId('sp');
  const grant = auth.grant(key);
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: ops,
    payload: {
      id,
      platform: 'shopee',
      name: 'Shopee 店',
      platformShopId: key,
      baseUrl: shopeeUrl,
      credentials: {
        appKey: PARTNER.partnerId,
        appSecret: PARTNER.partnerKey,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
      },
      syncEnabled: false,
      settings,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await setupCarrierAccounts(h.db, id);
  return { id, key };
}

/** One order on the simulated Shopee and as captured: one unit of each SKU, one line each. */
function twoLineOrder(shopKey: string, skus: [string, string]): { sim: SimOrder; push: OrderPush } {
  const sn = `2612${Date.now().toString().slice(-8)}SP${shops}`;
  const items = skus.map((code, i) => ({
    lineId: `70${shops}${i}`,
    platformSkuId: `80${shops}${i}`,
    skuCode: code,
    title: code,
    spec: '',
    quantity: 1,
    unitPriceMinor: 1_000,
    discountMinor: 0,
  }));
  const now = new Date();
  const push = orderPush({
    platformOrderId: sn,
    lines: items.map((i) => ({
      lineId: `${i.lineId}-${i.platformSkuId}`,
      platformSkuId: i.platformSkuId,
      skuCode: i.skuCode,
      title: i.title,
      quantity: 1,
      unitPriceFen: 1_000,
      discountFen: 0,
    })),
    amounts: { goodsFen: 2_000, discountFen: 0, shippingFen: 0, paidFen: 2_000 },
  });
  const sim: SimOrder = {
    id: sn,
    shopKey,
    status: 'paid',
    type: 'normal',
    createdAt: now,
    paidAt: now,
    modifiedAt: now,
    currency: 'CNY',
    items,
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 2_000,
    buyer: { id: uniqueId('buyer'), nick: 'b**r' },
    receiver: { ...push.receiver, town: undefined, postalCode: undefined },
  };
  return { sim, push };
}

async function submit(platform: 'shopee' | 'taobao', shopId: string, order: OrderPush): Promise<string> {
  const res = await submitOrder(api, { platform, shopId, order }, ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId(platform, shopId, order.platformOrderId);
}

function review(id: string, payload: Record<string, unknown>) {
  return api.inject({
    method: 'POST',
    url: `/orders/${encodeURIComponent(id)}/review`,
    headers: ops,
    payload,
  });
}

async function reservedUnits(orderId: string): Promise<number> {
  const rows = await h.db
    .selectFrom('stock_reservations')
    .select('qty')
    .where('order_id', '=', orderId)
    .execute();
  return rows.reduce((n, r) => n + Number(r.qty), 0);
}

async function stages(id: string): Promise<string[]> {
  return (
    await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).orderBy('seq').execute()
  ).map((e) => e.stage);
}

/** Picks, packs and hands over one parcel; its tracking number once labelled. */
async function shipParcel(orderId: string, parcelId: string): Promise<string> {
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, wh, wave_id);
  await packParcel(api, wh, parcelId);
  const labelled = await waitForState(
    h.client,
    orderId,
    (s) => s.parcels.find((p) => p.parcelId === parcelId)?.trackingNumber != null,
  );
  await handOver(api, wh, parcelId);
  return labelled.parcels.find((p) => p.parcelId === parcelId)!.trackingNumber!;
}

describe('an order two warehouses would have to ship, on a platform that cannot take it split', () => {
  it('a Shopee order is held with the reason instead of split; waiting for stock ships it together when stock arrives', async () => {
    const [left, right] = [await sku(), await sku()];
    const both = await setupWarehouse(h.db, { stock: { [left]: 3, [right]: 0 } });
    await setupWarehouse(h.db, { stock: { [right]: 3 } });
    const shop = await shopeeShop();
    const { sim, push } = twoLineOrder(shop.key, [left, right]);
    store.upsert(sim);
    const id = await submit('shopee', shop.id, push);

    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds).toEqual([
      expect.objectContaining({
        reason: 'split_shipment',
        clearedBy: 'ops',
        detail: expect.stringMatching(
          /no single warehouse can ship everything.*Not split: shopee orders of this shop cannot ship in several parcels/,
        ),
        message: expect.stringMatching(/wait for stock so one warehouse ships the whole order together/),
      }),
    ]);
    expect(held.parcels).toEqual([]);
    expect(await stages(id)).not.toContain('allocated');
    expect(await reservedUnits(id)).toBe(0);

    const waited = await review(id, { decision: 'approve', split: 'wait', note: 'ship together' });
    expect(waited.statusCode, waited.body).toBe(200);
    await waitForStage(h.db, id, 'waiting_to_ship_together');
    const waiting = await waitForState(h.client, id, (s) => s.status === 'out_of_stock');
    expect(waiting.waitingFor).toMatch(/one warehouse ships the whole order together/);

    // The missing SKU arrives where the rest is: the order resumes by itself, one parcel from there.
    const receipt = await api.inject({
      method: 'POST',
      url: '/stock/receipts',
      headers: wh,
      payload: { warehouse: both, lines: [{ sku: right, qty: 2 }] },
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
    await waitForStage(h.db, id, 'stock_reserved');
    const together = await waitForState(h.client, id, (s) => s.parcels.length === 1);
    expect(together.parcels[0]!.warehouse).toBe(both);
    expect(together.parcels[0]!.lineIds?.sort()).toEqual(push.lines.map((l) => l.lineId).sort());

    // Shipped whole: Shopee gets one ship_order for the order, no split.
    const trackingNumber = await shipParcel(id, together.parcels[0]!.parcelId);
    await expect.poll(() => store.get(shop.key, sim.id)?.shipment?.trackingNumber).toBe(trackingNumber);
    expect(store.get(shop.key, sim.id)?.packages).toBeUndefined();
    await recordHistory(h.client, id, 'order-split-held-shipped-together');
  });

  it('a Shopee shop that splits when a person says so: approved, the order ships as two packages through split_order', async () => {
    const [left, right] = [await sku(), await sku()];
    const w1 = await setupWarehouse(h.db, { stock: { [left]: 3 } });
    const w2 = await setupWarehouse(h.db, { stock: { [right]: 3 } });
    const shop = await shopeeShop({ splitShipments: 'ask' });
    const { sim, push } = twoLineOrder(shop.key, [left, right]);
    store.upsert(sim);
    const id = await submit('shopee', shop.id, push);

    const held = await waitForState(h.client, id, (s) => s.status === 'held');
    expect(held.holds[0]).toMatchObject({
      reason: 'split_shipment',
      detail: expect.stringMatching(/splits shopee orders only when a person says so/),
    });
    const split = await review(id, { decision: 'approve', split: 'split' });
    expect(split.statusCode, split.body).toBe(200);

    const parcels = (await waitForState(h.client, id, (s) => s.parcels.length === 2)).parcels;
    expect(parcels.map((p) => p.warehouse).sort()).toEqual([w1, w2].sort());
    const numbers = new Map<string, string>();
    for (const p of parcels) numbers.set(p.lineIds![0]!, await shipParcel(id, p.parcelId));

    // Each parcel's upload split the order on Shopee and shipped its own package.
    await expect
      .poll(() =>
        (store.get(shop.key, sim.id)?.packages ?? []).map((p) => p.shipment?.trackingNumber ?? null),
      )
      .toEqual(expect.arrayContaining([...numbers.values()]));
    const order = store.get(shop.key, sim.id)!;
    expect(order.packages).toHaveLength(2);
    for (const p of order.packages!) {
      const item = sim.items.find((i) => i.lineId === p.lineIds[0])!;
      expect(p.shipment?.trackingNumber).toBe(numbers.get(`${item.lineId}-${item.platformSkuId}`));
    }
    expect(order.status).toBe('shipped');
    await expect.poll(async () => (await stages(id)).filter((s) => s === 'tracking_uploaded').length).toBe(2);
    expect(await stages(id)).not.toContain('tracking_upload_rejected');
    await recordHistory(h.client, id, 'order-split-approved');
  });
});

describe('a platform that takes split shipments', () => {
  it('a Taobao order two warehouses must ship is split as before, without asking anyone', async () => {
    const [left, right] = [await sku(), await sku()];
    const w1 = await setupWarehouse(h.db, { stock: { [left]: 3 } });
    const w2 = await setupWarehouse(h.db, { stock: { [right]: 3 } });
    const shopId = await createShop(h.db, 'taobao');
    const push = orderPush({
      lines: [left, right].map((code, i) => ({
        lineId: String(i + 1),
        platformSkuId: '',
        skuCode: code,
        title: code,
        quantity: 1,
        unitPriceFen: 1_000,
        discountFen: 0,
      })),
      amounts: { goodsFen: 2_000, discountFen: 0, shippingFen: 0, paidFen: 2_000 },
    });
    const id = await submit('taobao', shopId, push);
    const state = await waitForState(h.client, id, (s) => s.parcels.length === 2);
    expect(state.parcels.map((p) => p.warehouse).sort()).toEqual([w1, w2].sort());
    expect(state.holds).toEqual([]);
    expect(await stages(id)).not.toContain('held');
  });
});

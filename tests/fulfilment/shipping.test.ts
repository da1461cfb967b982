import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { taobaoSimulator } from '../../sandbox/platforms/taobao/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { orderPush, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import {
  formWaveNow,
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
import { PATIENCE_MS, waitForOrderStatus, waitForState } from '../support/waits.js';

const TOP = { appKey: '23456789', appSecret: 'top-test-secret', nick: 'tb-flagship', token: 'session-1' };

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let top: FastifyInstance;
let topUrl: string;
const store = new SimOrderStore();
const faults = new FaultPlan();
let ops: { authorization: string };
let wh: { authorization: string };
let warehouse: string;

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  top = Fastify();
  await top.register(taobaoSimulator, {
    store,
    appKey: TOP.appKey,
    appSecret: TOP.appSecret,
    shops: [{ nick: TOP.nick, accessToken: TOP.token }],
    faults,
  });
  await top.listen({ port: 0, host: '127.0.0.1' });
  topUrl = `http://127.0.0.1:${(top.server.address() as { port: number }).port}`;
  h = await createHarness({
    ...carriers.env,
    // An hour's window: each test asks for its wave once its orders wait in it (two orders merge
    // only when both are in one wave, which a short window cannot promise on a busy machine).
    WAVE_WINDOW_SECONDS: '3600',
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '3',
  });
  api = await h.api();
  await seedCatalog(h.db);
  warehouse = await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20 } });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
  await top.close();
});

/** A Taobao shop connected to the simulated TOP gateway through the shops API. */
async function connectedShop(): Promise<string> {
  const id = uniqueId('tb');
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: ops,
    payload: {
      id,
      platform: 'taobao',
      name: '示例旗舰店',
      platformShopId: TOP.nick,
      baseUrl: topUrl,
      credentials: { appKey: TOP.appKey, appSecret: TOP.appSecret, accessToken: TOP.token },
      syncEnabled: false,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await setupCarrierAccounts(h.db, id);
  return id;
}

/** The same order on the platform (the simulator) and as we capture it. */
function platformOrder(tid: string, buyer: { id: string; nick: string }): { sim: SimOrder; push: OrderPush } {
  const push = orderPush({ platformOrderId: tid, buyer });
  const now = new Date();
  const sim: SimOrder = {
    id: tid,
    shopKey: TOP.nick,
    status: 'paid',
    type: 'normal',
    createdAt: now,
    paidAt: now,
    modifiedAt: now,
    currency: 'CNY',
    items: [
      {
        lineId: tid,
        platformSkuId: '1',
        skuCode: TEST_SKU.code,
        title: 'T恤',
        spec: '',
        quantity: 2,
        unitPriceMinor: 9_900,
        discountMinor: 1_000,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 17_800,
    buyer,
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路100号',
    },
  };
  return { sim, push };
}

/** Works the order's parcel through the warehouse; `waveWith` are the orders that must share its wave. */
async function throughWarehouse(orderId: string, waveWith: readonly string[] = [orderId]) {
  await formWaveNow(h.client, api, wh, warehouse, waveWith);
  const state = await waitForState(h.client, orderId, (s) => s.parcels.length === 1);
  const parcelId = state.parcels[0]!.parcelId;
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, wh, wave_id);
  await packParcel(api, wh, parcelId);
  const labelled = await waitForState(h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
  await handOver(api, wh, parcelId);
  return {
    parcelId,
    trackingNumber: labelled.parcels[0]!.trackingNumber!,
    carrier: labelled.parcels[0]!.carrier!,
  };
}

describe('tracking back to the platforms', () => {
  it('uploads the tracking number of a merged parcel to each of its orders once, although the platform fails twice first', async () => {
    const shopId = await connectedShop();
    const buyer = { id: uniqueId('buyer'), nick: 'b**r' };
    const tids = [`38${Date.now()}01`, `38${Date.now()}02`];
    const orders = tids.map((tid) => platformOrder(tid, buyer));
    for (const o of orders) store.upsert(o.sim);
    for (const o of orders)
      expect((await submitOrder(api, { platform: 'taobao', shopId, order: o.push }, ops)).statusCode).toBe(
        202,
      );
    const [a, b] = tids.map((tid) => orderWorkflowId('taobao', shopId, tid)) as [string, string];

    faults.fail('taobao.logistics.offline.send', 500, 2);
    const { parcelId, trackingNumber } = await throughWarehouse(a, [a, b]);
    // The second order hears of the parcel it was merged into by a signal: waited for (a busy worker
    // lets it run after the first order's label).
    const stateB = await waitForState(h.client, b, (s) => s.parcels.length > 0);
    expect(stateB.parcels[0]?.parcelId).toBe(parcelId);

    await expect
      .poll(async () => tids.map((tid) => store.get(TOP.nick, tid)?.shipment?.trackingNumber), {
        interval: 250,
      })
      .toEqual([trackingNumber, trackingNumber]);
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('shipment_orders')
              .select(['order_id', 'tracking_uploaded_at', 'upload_attempts'])
              .where('shipment_id', '=', parcelId)
              .execute()
          ).filter((r) => r.tracking_uploaded_at).length,
      )
      .toBe(2);
    const rows = await h.db
      .selectFrom('shipment_orders')
      .select(['order_id', 'upload_attempts'])
      .where('shipment_id', '=', parcelId)
      .execute();
    // Two failed calls, then one accepted call per order: nothing uploaded twice.
    expect(rows.reduce((n, r) => n + r.upload_attempts, 0)).toBe(4);
    for (const id of [a, b]) {
      await expect
        .poll(
          async () =>
            (
              await h.db.selectFrom('order_events').select('stage').where('order_id', '=', id).execute()
            ).filter((e) => e.stage === 'tracking_uploaded').length,
        )
        .toBe(1);
    }
  });
});

describe('a tracking upload the platform refuses for good', () => {
  it('an order closed on Taobao before its parcel left: one attempt, recorded on the order, the shop alerted, the parcel followed on', async () => {
    const shopId = await connectedShop();
    const tid = `39${Date.now()}01`;
    const order = platformOrder(tid, { id: uniqueId('buyer'), nick: 'b**r' });
    store.upsert(order.sim);
    const res = await submitOrder(api, { platform: 'taobao', shopId, order: order.push }, ops);
    expect(res.statusCode).toBe(202);
    const orderId = orderWorkflowId('taobao', shopId, tid);
    // The buyer's order closes on the platform; nobody tells us (the shop's sync is off).
    store.update(TOP.nick, tid, (o) => {
      o.status = 'cancelled';
    });

    const { parcelId } = await throughWarehouse(orderId);

    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('shipment_orders')
              .select('upload_skipped')
              .where('shipment_id', '=', parcelId)
              .executeTakeFirst()
          )?.upload_skipped,
        { timeout: PATIENCE_MS },
      )
      .toMatch(/^rejected \(order_closed\): .*已关闭/);
    const row = await h.db
      .selectFrom('shipment_orders')
      .select(['upload_attempts', 'tracking_uploaded_at'])
      .where('shipment_id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(row.upload_attempts).toBe(1);
    expect(row.tracking_uploaded_at).toBeNull();

    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('order_events')
              .select(['stage', 'detail'])
              .where('order_id', '=', orderId)
              .where('stage', '=', 'tracking_upload_rejected')
              .executeTakeFirst()
          )?.detail,
        { timeout: PATIENCE_MS },
      )
      .toMatchObject({ rejection: 'order_closed', platform: 'taobao' });
    const alerts = (await api.inject({ method: 'GET', url: '/alerts', headers: ops })).json()
      .alerts as Array<{
      kind: string;
      shopId: string | null;
      message: string;
    }>;
    expect(alerts.find((a) => a.shopId === shopId && a.kind === 'shipment_exception')?.message).toMatch(
      new RegExp(`${tid} refused tracking .*\\(order_closed\\)`),
    );

    // The shipment did not fail: it follows the parcel to the buyer.
    const handle = h.client.workflow.getHandle(`shipment:${parcelId}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const state = await handle.query((await import('../../workflows/messages.js')).shipmentStateQuery);
    expect(state.uploads).toEqual([
      expect.objectContaining({
        orderId,
        uploadedAt: null,
        skipped: expect.stringMatching(/^rejected \(order_closed\)/),
      }),
    ]);
    await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-upload-rejected');
  });
});

describe('tracking exceptions', () => {
  it('raises an exception when a parcel gets no scan in time, and resumes once ops resolve it', async () => {
    const shopId = await connectedShop();
    const { sim, push } = platformOrder(`39${Date.now()}`, { id: uniqueId('buyer'), nick: 'x' });
    store.upsert(sim);
    await submitOrder(api, { platform: 'taobao', shopId, order: push }, ops);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    const { parcelId, trackingNumber } = await throughWarehouse(id);

    await waitForOrderStatus(h.db, id, 'exception');
    const shipment = await h.db
      .selectFrom('shipments')
      .select(['exception_kind', 'exception_detail'])
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(shipment.exception_kind).toBe('no_scan');
    const alerts = async () =>
      (await api.inject({ method: 'GET', url: '/alerts', headers: ops })).json().alerts as Array<{
        kind: string;
        shopId: string | null;
        resolvedAt: string | null;
      }>;
    await expect
      .poll(async () =>
        (await alerts()).some((a) => a.kind === 'shipment_exception' && a.shopId === shopId && !a.resolvedAt),
      )
      .toBe(true);
    const badRole = await api.inject({
      method: 'POST',
      url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
      headers: bearer(await apiKeyFor(h.db, ['finance'])),
      payload: { action: 'resume' },
    });
    expect(badRole.statusCode).toBe(403);

    // Resolved before the carrier scans again: the shipment polls on during the exception, and a
    // scan seen first would settle it by itself (the next test) with nothing left to resolve.
    const resolved = await api.inject({
      method: 'POST',
      url: `/shipments/${encodeURIComponent(parcelId)}/resolve`,
      headers: ops,
      payload: { action: 'resume', note: '已联系快递员补扫' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(h.db, id, 'completed');
    expect(
      (await alerts()).some((a) => a.kind === 'shipment_exception' && a.shopId === shopId && !a.resolvedAt),
    ).toBe(false);
    const events = await h.db
      .selectFrom('shipment_events')
      .select(['stage', 'actor'])
      .where('shipment_id', '=', parcelId)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.stage)).toEqual(
      expect.arrayContaining(['exception', 'exception_resolved', 'delivered']),
    );
    expect(events.find((e) => e.stage === 'exception_resolved')?.actor).toMatch(/^user-/);
  });

  it('a parcel in a no-scan exception that the carrier then scans settles by itself: polling goes on', async () => {
    const shopId = await connectedShop();
    const { sim, push } = platformOrder(`38${Date.now()}`, { id: uniqueId('buyer'), nick: 'y' });
    store.upsert(sim);
    await submitOrder(api, { platform: 'taobao', shopId, order: push }, ops);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    const { parcelId, trackingNumber } = await throughWarehouse(id);
    await waitForOrderStatus(h.db, id, 'exception');

    // Nobody resolves it: the carrier's scans, found by the next polls, are enough.
    carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(h.db, id, 'completed');
    const stages = (
      await h.db
        .selectFrom('shipment_events')
        .select('stage')
        .where('shipment_id', '=', parcelId)
        .orderBy('seq')
        .execute()
    ).map((e) => e.stage);
    expect(stages).toContain('exception');
    expect(stages).not.toContain('exception_resolved');
    expect(stages.at(-1)).toBe('delivered');
    const open = await h.db
      .selectFrom('alerts')
      .select('id')
      .where('kind', '=', 'shipment_exception')
      .where('shop_id', '=', shopId)
      .where('resolved_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
  });

  it('refuses a tracking push with a forged signature and changes nothing', async () => {
    const param = JSON.stringify({
      status: 'polling',
      lastResult: { nu: 'ZTO123', com: 'zhongtong', state: '3', data: [] },
    });
    const res = await api.inject({
      method: 'POST',
      url: '/webhooks/tracking/kuaidi100',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ param, sign: '0123456789ABCDEF0123456789ABCDEF' }).toString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ result: false });
  });
});

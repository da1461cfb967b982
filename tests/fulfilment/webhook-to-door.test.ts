import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { PROVINCES } from '../../domain/regions/division.js';
import { CATALOGUE } from '../../sandbox/orders/catalogue.js';
import { renderDouyinPush } from '../../sandbox/platforms/douyin/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { stateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
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
import { waitForOrderStatus, waitForState } from '../support/waits.js';

// The whole of milestone 1 for one order, with nothing entered by hand: a signed Douyin push names
// the order, the ERP fetches it from the platform, audits, allocates and waves it, the warehouse
// picks and packs, a carrier issues the waybill, the tracking number goes back to Douyin, and the
// carrier's scans take it to delivered.

const douyinShop = uniqueId('dy');
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let carriers: CarrierSandboxServer;
let wh: Record<string, string>;

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  sandbox = await startSandbox({ shopIds: { douyin: douyinShop } });
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' });
  api = await h.api();
  await seedDemoData(h.db);
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  // Polling off: the order arrives only because Douyin pushed it.
  await registerShop(api, ops, sandbox.shop('douyin'), { syncEnabled: false });
  await setupCarrierAccounts(h.db, douyinShop);
  await setupWarehouse(h.db, {
    stock: Object.fromEntries(CATALOGUE.map((s) => [s.code, 50])),
    capabilities: ['cold_chain', 'fragile'],
    provinces: PROVINCES.map((p) => p.name),
  });
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
  await carriers.close();
});

describe('a Douyin order from its push to the buyer’s door', () => {
  it('is fetched, fulfilled, its tracking number confirmed on Douyin, and delivered', async () => {
    const [order] = sandbox.placeOrders('douyin', { count: 1, scenario: 'group_buy', seed: 'to-door' });
    // A plain paid order: no remark for a person to read, so nothing holds it.
    delete order!.buyerRemark;
    delete order!.sellerMemo;
    expect(order!.status).toBe('paid');

    const app = sandbox.shop('douyin').credentials;
    const pushed = renderDouyinPush({ appKey: app.appKey, appSecret: app.appSecret }, order!, 110);
    const res = await api.inject({
      method: 'POST',
      url: `/webhooks/douyin/${douyinShop}`,
      headers: pushed.headers,
      payload: pushed.body,
    });
    expect(res.statusCode, res.body).toBe(200);

    const id = orderWorkflowId('douyin', douyinShop, order!.id);
    const assigned = await waitForState(h.client, id, (s) => s.parcels.length > 0);
    const parcelIds = assigned.parcels.map((p) => p.parcelId);
    await waitForShipments(h.db, parcelIds);
    const waves = await h.db
      .selectFrom('shipments')
      .select(['id', 'wave_id'])
      .where('id', 'in', parcelIds)
      .execute();
    for (const waveId of new Set(waves.map((w) => w.wave_id))) await workWave(api, wh, waveId);
    for (const parcelId of parcelIds) await packParcel(api, wh, parcelId);
    const labelled = await waitForState(h.client, id, (s) =>
      s.parcels.every((p) => p.trackingNumber !== null),
    );
    for (const parcelId of parcelIds) await handOver(api, wh, parcelId);
    await waitForOrderStatus(h.db, id, 'shipped');

    // Douyin now shows the order shipped with our carrier's tracking number.
    const trackingNumbers = labelled.parcels.map((p) => p.trackingNumber!);
    await expect.poll(() => order!.shipment?.trackingNumber).toBeOneOf(trackingNumbers);
    expect(order!.status).toBe('shipped');

    for (const trackingNumber of trackingNumbers) carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(h.db, id, 'completed');
    const final = await h.client.workflow.getHandle(id).query(stateQuery);
    expect(final).toMatchObject({ status: 'completed', outcome: 'delivered', platformOrderId: order!.id });
    const stages = (
      await h.db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.stage);
    for (const stage of ['captured', 'audit_passed', 'allocated', 'waybill_issued', 'shipped', 'delivered'])
      expect(stages).toContain(stage);
    expect(stages.indexOf('tracking_uploaded')).toBeGreaterThan(stages.indexOf('shipped'));
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { orderPush, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
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

// A seller's own store learns the tracking number through its signed fulfilment callback; a store
// that configured none is told nothing, and the parcel's timeline says why.

const storeId = uniqueId('own');
const bareId = uniqueId('own-bare');
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let carriers: CarrierSandboxServer;
let wh: Record<string, string>;

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  sandbox = await startSandbox({ shopIds: { own: storeId } });
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' });
  api = await h.api();
  await seedCatalog(h.db);
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  await registerShop(api, ops, sandbox.shop('own'));
  await registerShop(api, ops, { ...sandbox.shop('own'), baseUrl: '' }, { id: bareId });
  for (const shop of [storeId, bareId]) await setupCarrierAccounts(h.db, shop);
  await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20 } });
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
  await carriers.close();
});

/** Pushes an order from the store, ships it, and returns its parcel and tracking number. */
async function pushAndShip(shopId: string) {
  const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'm**e' } });
  const rendered = renderOwnPush(sandbox.own.webhookSecret, push);
  const res = await api.inject({
    method: 'POST',
    url: `/webhooks/own/${shopId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('own', shopId, push.platformOrderId);
  const state = await waitForState(h.client, id, (s) => s.parcels.length === 1);
  const parcelId = state.parcels[0]!.parcelId;
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, wh, wave_id);
  await packParcel(api, wh, parcelId);
  const labelled = await waitForState(h.client, id, (s) => s.parcels[0]?.trackingNumber != null);
  await handOver(api, wh, parcelId);
  await waitForOrderStatus(h.db, id, 'shipped');
  return {
    id,
    platformOrderId: push.platformOrderId,
    parcelId,
    trackingNumber: labelled.parcels[0]!.trackingNumber!,
  };
}

async function shipmentEvent(parcelId: string, stage: string) {
  await expect
    .poll(async () =>
      (
        await h.db.selectFrom('shipment_events').select('stage').where('shipment_id', '=', parcelId).execute()
      ).map((e) => e.stage),
    )
    .toContain(stage);
  return h.db
    .selectFrom('shipment_events')
    .select('detail')
    .where('shipment_id', '=', parcelId)
    .where('stage', '=', stage)
    .executeTakeFirstOrThrow();
}

describe('own-store orders when they ship', () => {
  it('the store receives a signed fulfilment callback with the tracking number, once', async () => {
    const { id, platformOrderId, parcelId, trackingNumber } = await pushAndShip(storeId);
    await shipmentEvent(parcelId, 'tracking_uploaded');
    const received = sandbox.own.fulfilments.forOrder(platformOrderId);
    expect(received).toEqual([expect.objectContaining({ trackingNumber, wholeOrder: true, deliveries: 1 })]);
    expect(sandbox.own.fulfilments.forged).toBe(0);
    await waitForState(h.client, id, (s) => s.timeline.some((t) => t.stage === 'tracking_uploaded'));
  });

  it('a store without a callback URL is told nothing; the parcel says why and still goes on to delivery', async () => {
    const { id, platformOrderId, parcelId, trackingNumber } = await pushAndShip(bareId);
    const skipped = await shipmentEvent(parcelId, 'tracking_upload_skipped');
    expect(skipped.detail).toMatchObject({
      outcome: 'unsupported',
      reason: expect.stringMatching(/callback/i),
    });
    expect(sandbox.own.fulfilments.forOrder(platformOrderId)).toEqual([]);
    carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(h.db, id, 'completed');
  });
});

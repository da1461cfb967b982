import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { shipmentStateQuery, stateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, TEST_SKU } from '../support/fixtures.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { recordHistory } from '../support/histories.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let shopId: string;
let warehouse: string;
let wh: Record<string, string>;
let ops: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({
    ...carriers.env,
    WAVE_WINDOW_SECONDS: '1',
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '3600',
  });
  api = await h.api();
  await seedCatalog(h.db);
  shopId = await createShop(h.db, 'taobao');
  await setupCarrierAccounts(h.db, shopId);
  warehouse = await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 10 } });
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

describe('an order from webhook to the buyer’s door', () => {
  it('is allocated, waved, picked, packed, labelled, handed over, tracked and delivered', async () => {
    const push = orderPush();
    const res = await submitOrder(api, { platform: 'taobao', shopId, order: push }, ops);
    expect(res.statusCode).toBe(202);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);

    const assigned = await waitForState(h.client, id, (s) => s.parcels.length === 1);
    const parcelId = assigned.parcels[0]!.parcelId;
    expect(assigned.parcels[0]).toMatchObject({ warehouse, stage: 'picking', mergedWith: [] });
    await expect
      .poll(() => h.db.selectFrom('shipments').select('id').where('id', '=', parcelId).executeTakeFirst())
      .toBeTruthy();
    const shipment = await h.db
      .selectFrom('shipments')
      .selectAll()
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();

    await workWave(api, wh, shipment.wave_id);
    await packParcel(api, wh, parcelId, 700);
    const labelled = await waitForState(h.client, id, (s) => s.parcels[0]?.stage === 'labelled');
    const trackingNumber = labelled.parcels[0]!.trackingNumber!;
    expect(trackingNumber).toBeTruthy();
    const label = await api.inject({
      method: 'GET',
      url: `/shipments/${encodeURIComponent(parcelId)}/label.pdf`,
      headers: wh,
    });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toBe('application/pdf');

    await handOver(api, wh, parcelId);
    await waitForOrderStatus(h.db, id, 'shipped');
    const stock = await h.db
      .selectFrom('stock')
      .select(['on_hand', 'reserved'])
      .where('warehouse_code', '=', warehouse)
      .where('sku_code', '=', TEST_SKU.code)
      .executeTakeFirstOrThrow();
    expect(stock).toEqual({ on_hand: 8, reserved: 0 });

    carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(h.db, id, 'completed');

    const stages = (
      await h.db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.stage);
    expect(stages).toEqual(
      expect.arrayContaining([
        'allocated',
        'parcel_assigned',
        'picked',
        'packed',
        'waybill_issued',
        'shipped',
        'in_transit',
        'delivered',
        'completed',
      ]),
    );
    expect(stages.indexOf('allocated')).toBeLessThan(stages.indexOf('shipped'));
    expect(stages.at(-1)).toBe('completed');
    const final = await h.client.workflow.getHandle(id).query(stateQuery);
    expect(final).toMatchObject({ status: 'completed', outcome: 'delivered' });

    const row = await h.db
      .selectFrom('shipments')
      .selectAll()
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ stage: 'delivered', tracking_number: trackingNumber, weight_g: 700 });
    expect(row.carrier).toMatch(/^(ZTO|SF)$/);
    expect(row.carrier_reason).toEqual(expect.any(String));
    expect(row.delivered_at).toBeInstanceOf(Date);
    const timeliness = await h.db
      .selectFrom('order_timeliness')
      .selectAll()
      .where('order_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(timeliness.paid_to_shipped_seconds).toBeGreaterThan(0);
    expect(timeliness.shipped_to_delivered_seconds).not.toBeNull();
    const shipmentState = await h.client.workflow.getHandle(`shipment:${parcelId}`).query(shipmentStateQuery);
    expect(shipmentState.stage).toBe('delivered');
    await recordHistory(h.client, id, 'order-delivered');
    // Its wave join numbered in the workflow's state (the patch 'order-wave-join-key').
    await recordHistory(h.client, id, 'order-delivered-numbered-wave-join');
    await recordHistory(h.client, id, 'order-delivered-in-flight-progress');
    // Stages passed straight through written by the next activity ('order-combined-stage-writes').
    await recordHistory(h.client, id, 'order-delivered-combined-writes');
    await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-delivered');
    // Its start in one activity ('shipment-combined-start').
    await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-delivered-combined-start');
    // Its carrier choice reading the warehouse itself ('shipment-choice-reads-warehouse').
    await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-delivered-choice-reads-warehouse');
    await recordHistory(h.client, `wave:${warehouse}`, 'wave-dispatched');
  });
});

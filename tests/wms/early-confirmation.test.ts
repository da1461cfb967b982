import { MockActivityEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shipmentTaskQueue } from '../../config/index.js';
import { createFulfilmentActivities } from '../../activities/fulfilment.js';
import { createWmsActivities } from '../../activities/wms/index.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { addWaveCandidate, loadWaveContents } from '../../db/queries/waves.js';
import { assignBin, loadWave } from '../../db/queries/wms.js';
import { DEFAULT_MERGE_POLICY } from '../../domain/parcels/types.js';
import { createFulfilmentEventHandlers } from '../../services/fulfilment-events.js';
import { buildExternalServices } from '../../worker/services.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { seedSku, seedStock, seedWarehouse } from '../stock/seed.js';
import type { ShipmentWorkflowInput, WaveEntry } from '../../workflows/messages.js';
import { shipmentStages as stages } from '../support/fulfilment.js';
import { allocatedOrder, routesApp, started, waveEntry } from './support.js';

// A wave is listed as `picking` as soon as its pick list is written, while its dispatch still starts
// the shipments (minutes for a big wave on a busy worker). A crew that picks and packs at once
// confirms parcels whose shipment does not exist yet: the shipment takes those confirmations from
// the WMS record when it starts, and the later ones by signal as before.

let h: Harness;
let api: FastifyInstance;

beforeAll(async () => {
  h = await createHarness();
  // The orders' shop (tests/wms/support.ts allocates for it): a shipment's alerts name it.
  await h.db
    .insertInto('shops')
    .values({ id: 'shop-a', platform: 'taobao', name: 'Test shop', settings: '{}' })
    .execute();
  await h.startWorker();
  // The WMS routes with the integrator's own handler: confirmations signal the real shipments.
  const handlers = createFulfilmentEventHandlers({ temporal: h.client, config: h.config });
  api = await routesApp(h, h.db, { onWmsEvent: handlers.onWmsEvent });
});
afterAll(async () => {
  await api.close();
  await h.teardown();
});

async function post(url: string, payload: object) {
  const res = await api.inject({ method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(200);
}

/** The shipments a wave's dispatch starts, one per parcel, with the input it gives them. */
async function startShipments(waveId: string, warehouse: string): Promise<void> {
  const { parcels, entries } = await loadWaveContents<WaveEntry>(h.db, dataKeyring(h.config), waveId);
  for (const parcel of parcels) {
    const input: ShipmentWorkflowInput = {
      shipmentId: parcel.id,
      waveId,
      warehouse,
      parcel,
      orders: entries
        .filter((e) => parcel.orderIds.includes(e.ready.orderId))
        .map((e) => ({
          ...e.ref,
          lineIds: [
            ...new Set(parcel.contents.filter((c) => c.orderId === e.ready.orderId).map((c) => c.lineId)),
          ],
        })),
    };
    await h.client.workflow.start('shipmentWorkflow', {
      workflowId: `shipment:${parcel.id}`,
      taskQueue: shipmentTaskQueue(h.config),
      args: [input],
    });
  }
}

describe('a warehouse confirmation before the shipment starts', () => {
  it('is not lost: the shipment acts on it when the wave’s dispatch starts it', async () => {
    const warehouse = await seedWarehouse(h.db);
    const sku = await seedSku(h.db, { weightG: 300 });
    await seedStock(h.db, warehouse, sku, 10);
    await assignBin(h.db, { warehouse, bin: 'A-01-01-1', sku });
    // Two buyers, two parcels.
    const ready = [
      ...(await allocatedOrder(h.db, [{ sku, qty: 1 }], { buyerId: uniqueId('buyer') })),
      ...(await allocatedOrder(h.db, [{ sku, qty: 1 }], { buyerId: uniqueId('buyer') })),
    ];
    const ring = dataKeyring(h.config);
    const candidates = [];
    for (const r of ready)
      candidates.push(await addWaveCandidate(h.db, ring, warehouse, waveEntry(warehouse, r)));

    // The wave workflow's steps up to its dispatch: formed, and its pick list written.
    const fulfilment = createFulfilmentActivities({
      db: h.db,
      client: h.client,
      config: h.config,
      platforms: buildExternalServices(h.db, h.config).platforms,
    });
    const wms = createWmsActivities({ db: h.db, config: h.config });
    const waveId = `${warehouse}-1`;
    const env = new MockActivityEnvironment();
    const formed = await env.run(fulfilment.formWave, {
      waveId,
      warehouse,
      candidates,
      carrierLimits: { maxWeightG: 30_000 },
      merge: DEFAULT_MERGE_POLICY,
    });
    expect(formed).toEqual({ parcels: 2, orders: 2 });
    await env.run(wms.createWave, { waveId, warehouse });
    const wave = (await loadWave(h.db, waveId))!;
    expect(wave.status).toBe('picking');
    const [early, later] = (await loadWaveContents(h.db, dataKeyring(h.config), waveId)).parcels.map(
      (p) => p.id,
    );

    // The crew picks the whole wave and packs one parcel before any shipment exists.
    for (const line of wave.pickList) {
      await post('/wms/pick-confirmations', {
        key: `${waveId}-pick-${line.seq}`,
        waveId,
        line: line.seq,
        outcome: 'picked',
        qty: line.qty,
      });
    }
    const dims = { weightG: 420, lengthMm: 200, widthMm: 150, heightMm: 80 };
    await post('/wms/pack-confirmations', { key: `${early}-pack`, parcelId: early, ...dims });
    expect(await started(h, `shipment:${early}`)).toBe(false);
    expect(await started(h, `shipment:${later}`)).toBe(false);

    // The dispatch starts the shipments (its other step, telling the orders, needs order workflows
    // this test has none of): the packed parcel moves on to its carrier, the picked one waits at the
    // packing bench.
    await startShipments(waveId, warehouse);
    await expect
      .poll(() => stages(h.db, early!))
      .toEqual(expect.arrayContaining(['created', 'picked', 'packed']));
    await expect.poll(() => stages(h.db, later!)).toEqual(['created', 'picked']);
    const packed = await h.db
      .selectFrom('shipments')
      .select('weight_g')
      .where('id', '=', early!)
      .executeTakeFirstOrThrow();
    expect(packed.weight_g).toBe(420);

    // Later confirmations reach the running shipment by signal, as before. The early pick sent
    // again with its key (its events now reach the shipments a second way) changes nothing.
    await post('/wms/pick-confirmations', {
      key: `${waveId}-pick-1`,
      waveId,
      line: 1,
      outcome: 'picked',
      qty: wave.pickList[0]!.qty,
    });
    await post('/wms/pack-confirmations', { key: `${later}-pack`, parcelId: later, ...dims });
    await expect
      .poll(() => stages(h.db, later!))
      .toEqual(expect.arrayContaining(['created', 'picked', 'packed']));
    for (const id of [early!, later!]) {
      const all = await stages(h.db, id);
      expect(all.filter((s) => s === 'picked')).toHaveLength(1);
      expect(all.filter((s) => s === 'packed')).toHaveLength(1);
    }
    await recordHistory(h.client, `shipment:${early}`, 'shipment-confirmed-before-start');
    await recordHistory(h.client, `shipment:${early}`, 'shipment-confirmed-before-combined-start');
  });
});

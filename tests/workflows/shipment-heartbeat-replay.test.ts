import { afterAll, beforeAll, expect, it } from 'vitest';
import { labelledOrderOfNewShop, startShipmentWorld, type ShipmentWorld } from '../carriers/shipment-flow.js';
import { cutAfterEachLocalActivity, localActivityMarkers, replayFailures } from '../support/cut-tasks.js';
import { handOver, shipmentStages } from '../support/fulfilment.js';
import { decidedHistory, recordHistory } from '../support/histories.js';
import { waitForOrderStatus } from '../support/waits.js';

/**
 * A shipment writes each stage with a local activity (created, picked, packed, the carrier chosen,
 * labelled, shipped, each scan) and asked some patches right after one (a person's 标记丢件 closing
 * the parcel after its write, polling on after an exception's alert, a continued run's policy): a
 * loaded workflow task cut short between them left it unreplayable, like the order
 * (heartbeat-replay.test.ts). Wherever a task of a delivered parcel's shipment is cut, it replays.
 */
let world: ShipmentWorld;

beforeAll(async () => {
  world = await startShipmentWorld({ TRACKING_POLL_SECONDS: '1', TRACKING_NO_SCAN_SECONDS: '3600' });
});
afterAll(async () => {
  await world?.close();
});

it('replays a delivered parcel’s shipment whose workflow task was cut short after any of its local activities', async () => {
  const { h, api, wh } = world;
  const { orderId, parcelId, trackingNumber } = await labelledOrderOfNewShop(world);
  await handOver(api, wh, parcelId);
  await waitForOrderStatus(h.db, orderId, 'shipped');
  world.carriers.sandbox.network.finish(trackingNumber);
  await waitForOrderStatus(h.db, orderId, 'completed');
  const shipment = h.client.workflow.getHandle(`shipment:${parcelId}`);
  expect(await shipment.result()).toEqual({ stage: 'delivered' });
  expect(await shipmentStages(h.db, parcelId)).toEqual(
    expect.arrayContaining([
      'created',
      'picked',
      'packed',
      'carrier_selected',
      'labelled',
      'shipped',
      'delivered',
    ]),
  );
  await recordHistory(h.client, `shipment:${parcelId}`, 'shipment-patches-asked-at-start');

  const events = decidedHistory(await shipment.fetchHistory()).events ?? [];
  const localActivities = localActivityMarkers(events);
  // Its start, picked, packed, the carrier's choice and selection, labelled, shipped, the scans.
  expect(localActivities.length).toBeGreaterThanOrEqual(8);
  const cuts = cutAfterEachLocalActivity(events);
  expect(await replayFailures(cuts)).toEqual({ replayed: cuts.length, failed: [] });
});

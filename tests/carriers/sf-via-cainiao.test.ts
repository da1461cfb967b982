import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { createShop } from '../support/fixtures.js';
import { handOver, SENDER } from '../support/fulfilment.js';
import { waitForOrderStatus } from '../support/waits.js';
import {
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  trackingPolls,
  type ShipmentWorld,
} from './shipment-flow.js';

// An SF waybill issued through Cainiao is followed by the aggregator (Kuaidi100), which shows SF
// routes only to someone who gives the receiver's phone: the shipment's polls must carry it.

let world: ShipmentWorld;

beforeAll(async () => {
  world = await startShipmentWorld({ TRACKING_POLL_SECONDS: '1', TRACKING_NO_SCAN_SECONDS: '3600' });
});
afterAll(() => world.close());

describe('an SF parcel on a Cainiao waybill', () => {
  it('is polled through Kuaidi100 with the receiver’s phone and reaches delivered', async () => {
    const shopId = await createShop(world.h.db, 'taobao');
    await upsertCarrierAccount(world.h.db, shopId, {
      carrier: 'SF',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: SENDER,
    });
    const orderId = await submitOwnOrder(world, shopId);
    const { parcelId, trackingNumber, carrier } = await toLabelled(world, orderId);
    expect(carrier).toBe('SF');
    const { waybill } = await world.h.db
      .selectFrom('shipments')
      .select('waybill')
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(waybill).toMatchObject({ provider: 'cainiao' });

    await handOver(world.api, world.wh, parcelId);
    await waitForOrderStatus(world.h.db, orderId, 'shipped');
    world.carriers.sandbox.network.finish(trackingNumber);
    await waitForOrderStatus(world.h.db, orderId, 'completed');
    expect(await trackingPolls(world, parcelId)).toBeGreaterThan(0);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedOrder } from '../../domain/order.js';
import { submitOrderSnapshot } from '../../services/order-start.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, TEST_SKU } from '../support/fixtures.js';
import {
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waitForState } from '../support/waits.js';

// A carrier the platform promised the buyer (PDD 顺丰包邮) binds the parcel, even where another
// carrier the seller uses would be cheaper.

let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let shopId: string;
let wh: Record<string, string>;

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' });
  api = await h.api();
  await seedCatalog(h.db);
  shopId = await createShop(h.db, 'pdd');
  await setupCarrierAccounts(h.db, shopId, ['ZTO', 'SF']);
  await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20 } });
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

/** Captures the order as the PDD adapter normalizes it, waves it, and packs its parcel. */
async function shipAndReadCarrier(order: NormalizedOrder) {
  const { workflowId } = await submitOrderSnapshot(h.client, h.config.TASK_QUEUE_ORDERS, order);
  const state = await waitForState(h.client, workflowId, (s) => s.parcels.length === 1);
  const parcelId = state.parcels[0]!.parcelId;
  await waitForShipments(h.db, [parcelId]);
  const { wave_id } = await h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(api, wh, wave_id);
  await packParcel(api, wh, parcelId, 500);
  await waitForState(h.client, workflowId, (s) => s.parcels[0]?.trackingNumber != null);
  return h.db
    .selectFrom('shipments')
    .select(['carrier', 'carrier_reason'])
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
}

function pddOrder(extra: Partial<NormalizedOrder> = {}): NormalizedOrder {
  return { ...orderPush(), platform: 'pdd', shopId, ...extra };
}

describe('the carrier a platform promised', () => {
  it('ships a PDD 顺丰包邮 order with SF and says the platform asked for it; the same order without the promise goes by cost', async () => {
    const unpromised = await shipAndReadCarrier(pddOrder());
    expect(unpromised.carrier).toBe('ZTO');

    const promised = await shipAndReadCarrier(
      pddOrder({ platformCarrier: { carrier: 'SF', source: 'PDD order_tag_list free_sf' } }),
    );
    expect(promised.carrier).toBe('SF');
    expect(promised.carrier_reason).toContain('free_sf');
  });
});

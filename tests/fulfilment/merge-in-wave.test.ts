import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { stateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, createSku, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import {
  formWaveNow,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForState } from '../support/waits.js';

/**
 * One buyer's orders share a parcel only when they wait in the same wave. The window is an hour here
 * and the warehouse lead asks for the wave once every order of the test waits in it (as
 * `POST /wms/waves/flush` does): on a busy machine a short window could close between two orders, and
 * the test would be timing the machine instead of the merge.
 */
let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let ops: { authorization: string };
let wh: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({
    ...carriers.env,
    WAVE_WINDOW_SECONDS: '3600',
    TRACKING_POLL_SECONDS: '1',
    MERGE_CROSS_SHOP: 'true',
  });
  api = await h.api();
  await seedCatalog(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

function paidFor(code: string, overrides: Partial<OrderPush>): OrderPush {
  return orderPush({
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: code,
        title: code,
        quantity: 1,
        unitPriceFen: 1_000,
        discountFen: 0,
      },
    ],
    amounts: { goodsFen: 1_000, discountFen: 0, shippingFen: 0, paidFen: 1_000 },
    ...overrides,
  });
}

async function submit(shopId: string, order: OrderPush) {
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, order.platformOrderId);
}

describe('merging one buyer’s orders in a wave', () => {
  it('merges one buyer’s orders from two shops of the same platform into one parcel', async () => {
    const code = await createSku(h.db);
    const warehouse = await setupWarehouse(h.db, { stock: { [code]: 10 } });
    const shopA = await createShop(h.db, 'taobao');
    const shopB = await createShop(h.db, 'taobao');
    const buyer = { id: uniqueId('buyer'), nick: '老顾客' };
    const a = await submit(shopA, paidFor(code, { buyer }));
    const b = await submit(shopB, paidFor(code, { buyer }));
    await formWaveNow(h.client, api, wh, warehouse, [a, b]);
    const stateA = await waitForState(h.client, a, (s) => s.parcels.length === 1);
    const stateB = await waitForState(h.client, b, (s) => s.parcels.length === 1);
    expect(stateA.parcels[0]!.parcelId).toBe(stateB.parcels[0]!.parcelId);
    expect(stateA.parcels[0]!.mergedWith).toEqual([b]);
    await waitForShipments(h.db, [stateA.parcels[0]!.parcelId]);
    const shipment = await h.db
      .selectFrom('shipments')
      .select('order_ids')
      .where('id', '=', stateA.parcels[0]!.parcelId)
      .executeTakeFirst();
    expect(shipment?.order_ids?.sort()).toEqual([a, b].sort());
  });

  it('does not merge a held order with another order of the same buyer', async () => {
    const code = await createSku(h.db);
    const warehouse = await setupWarehouse(h.db, { stock: { [code]: 10 } });
    const shopId = await createShop(h.db, 'taobao');
    const buyer = { id: uniqueId('buyer') };
    const held = await submit(shopId, paidFor(code, { buyer, buyerRemark: '请核对颜色' }));
    const free = await submit(shopId, paidFor(code, { buyer }));
    await waitForState(h.client, held, (s) => s.status === 'held');
    await formWaveNow(h.client, api, wh, warehouse, free);
    const freeState = await waitForState(h.client, free, (s) => s.parcels.length === 1);
    expect(freeState.parcels[0]!.mergedWith).toEqual([]);
    const heldState = await h.client.workflow.getHandle(held).query(stateQuery);
    expect(heldState.status).toBe('held');
    expect(heldState.parcels).toEqual([]);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, seedCatalog } from '../support/fixtures.js';
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
import { waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';
import { enterOrder, newSku, orderLine, paidOrder, stockOf } from '../wms/orders.js';

/**
 * An order split across two warehouses: one parcel has left with the carrier when the other comes
 * up short at picking. The order cannot be allocated again as a whole any more, so it waits for ops
 * with the `short_after_partial_shipment` hold.
 */
let h: Harness;
let api: FastifyInstance;
let carriers: CarrierSandboxServer;
let ops: { authorization: string };
let crew: { authorization: string };

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1' });
  api = await h.api();
  await seedCatalog(h.db);
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  crew = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await carriers.close();
});

async function waveOfParcel(parcelId: string) {
  await waitForShipments(h.db, [parcelId]);
  return (
    await h.db.selectFrom('shipments').select('wave_id').where('id', '=', parcelId).executeTakeFirstOrThrow()
  ).wave_id;
}

describe('units missing after another parcel of the order shipped', () => {
  it('holds the order for ops with the reason; once approved, only the missing line ships as a further parcel', async () => {
    const left = await newSku(h.db);
    const right = await newSku(h.db);
    const w1 = await setupWarehouse(h.db, { stock: { [left]: 2 } });
    const w2 = await setupWarehouse(h.db, { stock: { [right]: 2 } });
    const shopId = await createShop(h.db, 'taobao');
    await setupCarrierAccounts(h.db, shopId);
    const orderId = await enterOrder(
      api,
      ops,
      shopId,
      paidOrder([orderLine(left, 1, '1'), orderLine(right, 1, '2')]),
    );
    const split = await waitForState(h.client, orderId, (s) => s.parcels.length === 2);
    const first = split.parcels.find((p) => p.warehouse === w1)!.parcelId;
    const second = split.parcels.find((p) => p.warehouse === w2)!.parcelId;

    // The first warehouse ships its parcel.
    await workWave(api, crew, await waveOfParcel(first));
    await packParcel(api, crew, first);
    await waitForState(
      h.client,
      orderId,
      (s) => s.parcels.find((p) => p.parcelId === first)?.trackingNumber != null,
    );
    await handOver(api, crew, first);
    await waitForStage(h.db, orderId, 'shipped');

    // The second finds its bin empty.
    await workWave(api, crew, await waveOfParcel(second), { short: { line: 1, qty: 1 } });
    await waitForOrderStatus(h.db, orderId, 'held');

    const holds = await h.db
      .selectFrom('order_holds')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('reason', '=', 'short_after_partial_shipment')
      .execute();
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ cleared_by_role: 'ops', cleared_at: null });
    const queue = await api.inject({
      method: 'GET',
      url: '/reviews?reason=short_after_partial_shipment',
      headers: ops,
    });
    expect(queue.statusCode).toBe(200);
    const item = queue.json().items.find((i: { orderId: string }) => i.orderId === orderId);
    expect(item).toBeDefined();
    expect(JSON.stringify(item)).toContain(
      'units were missing at picking after another parcel of the order already shipped',
    );

    // Allocated only once: nothing was reserved again for the missing unit.
    const stages = (
      await h.db.selectFrom('order_events').select('stage').where('order_id', '=', orderId).execute()
    ).map((e) => e.stage);
    expect(stages.filter((s) => s === 'allocated')).toHaveLength(1);
    expect(stages).toContain('parcel_cancelled');
    expect(await stockOf(h.db, w1, left)).toEqual({ on_hand: 1, reserved: 0 });
    expect((await stockOf(h.db, w2, right)).on_hand).toBe(1);
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
    expect(JSON.stringify(item)).toContain(second);

    // Ops approve: only the missing line is allocated again and ships as a further parcel.
    const approved = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(orderId)}/review`,
      headers: ops,
      payload: { decision: 'approve', note: '仓库已补货，补发缺件' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const again = await waitForState(h.client, orderId, (s) =>
      s.parcels.some((p) => p.parcelId !== first && p.parcelId !== second),
    );
    const third = again.parcels.find((p) => p.parcelId !== first)!;
    expect(third.warehouse).toBe(w2);
    expect(await stockOf(h.db, w2, right)).toEqual({ on_hand: 1, reserved: 1 });
    expect(await stockOf(h.db, w1, left)).toEqual({ on_hand: 1, reserved: 0 });
    await workWave(api, crew, await waveOfParcel(third.parcelId));
    await packParcel(api, crew, third.parcelId);
    const labelled = await waitForState(
      h.client,
      orderId,
      (s) => s.parcels.find((p) => p.parcelId === third.parcelId)?.trackingNumber != null,
    );
    await handOver(api, crew, third.parcelId);
    for (const p of labelled.parcels) carriers.sandbox.network.finish(p.trackingNumber!);
    await waitForOrderStatus(h.db, orderId, 'completed');
    const shipped = await h.db
      .selectFrom('stock_reservations')
      .select(['warehouse_code', 'sku_code', 'qty'])
      .where('order_id', '=', orderId)
      .where('status', '=', 'shipped')
      .orderBy('warehouse_code')
      .execute();
    expect(shipped.map((r) => [r.sku_code, r.qty]).sort()).toEqual(
      [
        [left, 1],
        [right, 1],
      ].sort(),
    );
    expect((await verifyLedger(h.db)).mismatches).toEqual([]);
  });
});

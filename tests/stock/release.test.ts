import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStockActivities } from '../../activities/stock/index.js';
import { createWmsActivities } from '../../activities/wms/index.js';
import type { Db } from '../../db/connect.js';
import { reservationsOf, verifyLedger } from '../../db/queries/stock.js';
import { confirmPack, confirmPick } from '../../db/queries/wms.js';
import { createHarness, type Harness } from '../support/harness.js';
import { uniqueId } from '../support/fixtures.js';
import { allocatedOrder, waveOf } from '../wms/support.js';
import { closeDb, openDb, seedSku, seedStock, seedWarehouse, stockRow } from './seed.js';

let h: Harness;
let db: Db;
let warehouse: string;
let sku: string;
let stock: ReturnType<typeof createStockActivities>;
let wms: ReturnType<typeof createWmsActivities>;

beforeAll(async () => {
  h = await createHarness();
  db = openDb(h.databaseUrl, 10);
  stock = createStockActivities({ db });
  wms = createWmsActivities({ db });
  warehouse = await seedWarehouse(db);
  sku = await seedSku(db);
  await seedStock(db, warehouse, sku, 20);
});
afterAll(async () => {
  await closeDb(db, h.databaseUrl);
  await h.teardown();
});

type Stage = 'reserved' | 'in_wave' | 'picked' | 'packed';

/** An order for 2 units brought to `stage`. */
async function orderAt(stage: Stage) {
  const [ready] = await allocatedOrder(db, [{ sku, qty: 2 }], { buyerId: uniqueId('b') });
  if (stage === 'reserved') return { orderId: ready!.orderId, parcelId: null };
  const wave = await waveOf(db, warehouse, [ready!]);
  const parcelId = wave.packTasks[0]!.parcelId;
  if (stage === 'in_wave') return { orderId: ready!.orderId, parcelId };
  await confirmPick(db, {
    key: uniqueId('p'),
    waveId: wave.waveId,
    line: 1,
    outcome: 'picked',
    qty: 2,
    actor: 't',
  });
  if (stage === 'picked') return { orderId: ready!.orderId, parcelId };
  await confirmPack(db, {
    key: uniqueId('k'),
    parcelId,
    weightG: 500,
    lengthMm: 10,
    widthMm: 10,
    heightMm: 10,
    actor: 't',
  });
  return { orderId: ready!.orderId, parcelId };
}

describe('cancelling an order releases its stock at every stage', () => {
  it.each<Stage>(['reserved', 'in_wave', 'picked', 'packed'])('%s', async (stage) => {
    const before = (await stockRow(db, warehouse, sku))!;
    const { orderId, parcelId } = await orderAt(stage);
    expect((await stockRow(db, warehouse, sku))!.reserved).toBe(before.reserved + 2);

    if (parcelId) {
      const cancelled = await wms.cancelPackTask({
        key: `${orderId}:cancel-task`,
        parcelId,
        reason: 'buyer cancelled',
        actor: 't',
      });
      expect(cancelled.events[0]).toMatchObject({ type: 'pack_task_cancelled', parcelId });
    }
    const released = await stock.releaseOrderStock({
      key: `${orderId}:cancel`,
      orderId,
      reason: 'buyer cancelled',
      actor: 't',
    });
    expect(released.released).toEqual([
      { warehouse, sku, qty: 2, from: stage === 'picked' || stage === 'packed' ? 'picked' : 'reserved' },
    ]);
    expect(await stockRow(db, warehouse, sku)).toEqual(before);
    // Releasing again (a retried activity) changes nothing.
    await stock.releaseOrderStock({
      key: `${orderId}:cancel`,
      orderId,
      reason: 'buyer cancelled',
      actor: 't',
    });
    expect(await stockRow(db, warehouse, sku)).toEqual(before);
    expect((await reservationsOf(db, orderId)).every((r) => r.status === 'released')).toBe(true);
    expect((await verifyLedger(db)).mismatches).toEqual([]);
  });

  it('after shipping nothing is released; an intercepted parcel is restocked when it comes back', async () => {
    const { orderId, parcelId } = await orderAt('packed');
    await wms.shipParcel({ key: `${parcelId}:ship`, parcelId: parcelId!, waybill: 'SF1' });
    const before = (await stockRow(db, warehouse, sku))!;
    const released = await stock.releaseOrderStock({
      key: `${orderId}:intercept`,
      orderId,
      reason: 'intercepted',
      actor: 't',
    });
    expect(released).toEqual({ released: [], shipped: [{ warehouse, sku, qty: 2 }] });
    await stock.returnRestock({
      key: `${orderId}:returned`,
      warehouse,
      orderId,
      lines: [{ sku, qty: 2 }],
      reason: 'intercepted parcel returned',
      actor: 't',
    });
    expect(await stockRow(db, warehouse, sku)).toEqual({
      on_hand: before.on_hand + 2,
      reserved: before.reserved,
    });
    expect((await verifyLedger(db)).mismatches).toEqual([]);
  });

  it('a cancelled parcel cannot be packed', async () => {
    const { orderId, parcelId } = await orderAt('in_wave');
    await wms.cancelPackTask({ key: `${orderId}:c`, parcelId: parcelId!, reason: 'cancelled', actor: 't' });
    await expect(
      confirmPack(db, {
        key: uniqueId('k'),
        parcelId: parcelId!,
        weightG: 1,
        lengthMm: 1,
        widthMm: 1,
        heightMm: 1,
        actor: 't',
      }),
    ).rejects.toThrow(/was cancelled/);
  });
});

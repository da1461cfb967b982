import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shipmentTaskQueue, waveTaskQueue } from '../../config/index.js';
import { waveStateQuery, type WaveStateView } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waitForState } from '../support/waits.js';
import { enterOrder, newSku, orderLine, paidOrder } from './orders.js';

/**
 * waveWorkflow's three release rules, through real orders: collect until the window closes, release
 * at once at the size cap, and never keep an urgent (livestream) order waiting. Windows and caps come
 * from config, per harness.
 */
interface Stack {
  h: Harness;
  api: FastifyInstance;
  ops: { authorization: string };
  shopId: string;
}

async function stack(env: Record<string, string>): Promise<Stack> {
  const h = await createHarness(env);
  const api = await h.api();
  await seedCatalog(h.db);
  await h.startWorker();
  return { h, api, ops: bearer(await apiKeyFor(h.db, ['ops'])), shopId: await createShop(h.db, 'taobao') };
}

async function waveState(s: Stack, warehouse: string): Promise<WaveStateView | undefined> {
  try {
    return await s.h.client.workflow.getHandle(`wave:${warehouse}`).query(waveStateQuery);
  } catch {
    return undefined;
  }
}

/** The wave each order's parcel went into. */
async function wavesOf(s: Stack, orderIds: string[]): Promise<string[]> {
  const waves: string[] = [];
  for (const id of orderIds) {
    const state = await waitForState(s.h.client, id, (o) => o.parcels.length > 0);
    await expect
      .poll(
        async () =>
          (
            await s.h.db
              .selectFrom('shipments')
              .select('wave_id')
              .where('id', '=', state.parcels[0]!.parcelId)
              .executeTakeFirst()
          )?.wave_id,
      )
      .toBeTruthy();
    const row = await s.h.db
      .selectFrom('shipments')
      .select('wave_id')
      .where('id', '=', state.parcels[0]!.parcelId)
      .executeTakeFirstOrThrow();
    waves.push(row.wave_id);
  }
  return waves;
}

async function orders(s: Stack, sku: string, count: number, type: 'normal' | 'livestream' = 'normal') {
  return Promise.all(
    Array.from({ length: count }, () =>
      enterOrder(s.api, s.ops, s.shopId, paidOrder([orderLine(sku)], { type })),
    ),
  );
}

describe('the wave window', () => {
  // Long enough that both orders (entered together) are ready inside it on a loaded machine.
  const WINDOW_SECONDS = 15;
  let s: Stack;
  beforeAll(async () => {
    s = await stack({ WAVE_WINDOW_SECONDS: String(WINDOW_SECONDS), WAVE_SIZE_CAP: '200' });
  });
  afterAll(() => s.h.teardown());

  it('collects orders until the window after the first one closes, then forms one wave of them', async () => {
    const sku = await newSku(s.h.db);
    const warehouse = await setupWarehouse(s.h.db, { stock: { [sku]: 10 } });
    const ids = await orders(s, sku, 2);

    // Both wait in the wave, none released, with the flush due one window after the oldest.
    let waiting: WaveStateView | undefined;
    await expect
      .poll(
        async () => {
          waiting = await waveState(s, warehouse);
          return waiting?.nextFlushAt ? waiting.pending.map((p) => p.orderId).sort() : [];
        },
        { interval: 100 },
      )
      .toEqual([...ids].sort());
    expect(waiting!.wavesFormed).toBe(0);
    // Due one window after the order the wave heard of first (signals may overtake each other).
    const flushAt = Date.parse(waiting!.nextFlushAt!);
    expect(waiting!.pending.map((p) => Date.parse(p.readyAt) + WINDOW_SECONDS * 1000)).toContain(flushAt);

    const [a, b] = await wavesOf(s, ids);
    expect(a).toBe(b);
    const wave = await s.h.db
      .selectFrom('wms_waves')
      .select(['created_at', 'parcel_count'])
      .where('id', '=', a!)
      .executeTakeFirstOrThrow();
    expect(wave.created_at.getTime()).toBeGreaterThanOrEqual(flushAt - 50);
    expect(wave.parcel_count).toBe(2);
    const after = await waveState(s, warehouse);
    expect(after).toMatchObject({ pending: [], wavesFormed: 1, lastWaveId: a, nextFlushAt: null });
    // The wave runs on a task queue of its own: a burst's backlog of order tasks never queues in
    // front of it (docs/benchmarks.md, livestream-burst).
    const described = await s.h.client.workflow.getHandle(`wave:${warehouse}`).describe();
    expect(described.taskQueue).toBe(waveTaskQueue(s.h.config));
    expect(described.taskQueue).not.toBe(s.h.config.TASK_QUEUE_ORDERS);
    // So do its parcels' shipments: their waybills never wait behind order tasks either.
    await expect
      .poll(async () =>
        (await s.h.db.selectFrom('shipments').select('id').where('wave_id', '=', a!).execute()).map(
          (r) => r.id,
        ),
      )
      .toHaveLength(2);
    for (const { id } of await s.h.db
      .selectFrom('shipments')
      .select('id')
      .where('wave_id', '=', a!)
      .execute()) {
      const shipment = await s.h.client.workflow.getHandle(`shipment:${id}`).describe();
      expect(shipment.taskQueue).toBe(shipmentTaskQueue(s.h.config));
    }
  });
});

describe('the size cap and urgent orders', () => {
  let s: Stack;
  beforeAll(async () => {
    // A window far longer than any test: whatever is released early was released by the rule.
    s = await stack({ WAVE_WINDOW_SECONDS: '600', WAVE_SIZE_CAP: '3' });
  });
  afterAll(() => s.h.teardown());

  it('releases a wave as soon as the size cap is reached; urgent orders do not wait and take the waiting along', async () => {
    const sku = await newSku(s.h.db);
    const warehouse = await setupWarehouse(s.h.db, { stock: { [sku]: 10 } });
    const started = Date.now();
    const capped = await orders(s, sku, 3);
    const waves = await wavesOf(s, capped);
    expect(new Set(waves).size).toBe(1);
    expect(Date.now() - started).toBeLessThan(120_000);

    // The next order waits: one pending, due in ten minutes.
    const [late] = await orders(s, sku, 1);
    let state: WaveStateView | undefined;
    await expect
      .poll(
        async () => {
          state = await waveState(s, warehouse);
          return state?.nextFlushAt ? state.pending.map((p) => p.orderId) : [];
        },
        { interval: 100 },
      )
      .toEqual([late]);
    expect(state!.wavesFormed).toBe(1);
    expect(Date.parse(state!.nextFlushAt!) - Date.now()).toBeGreaterThan(500_000);

    // A livestream order is urgent: the wave goes now, with the order that was waiting.
    const [urgent] = await orders(s, sku, 1, 'livestream');
    const [lateWave, urgentWave] = await wavesOf(s, [late!, urgent!]);
    expect(urgentWave).toBe(lateWave);
    expect(urgentWave).not.toBe(waves[0]);
    expect(await waveState(s, warehouse)).toMatchObject({ pending: [], wavesFormed: 2 });
    expect(Date.now() - started).toBeLessThan(300_000);
  });
});

describe('a wave asked for now (立即生成波次)', () => {
  let s: Stack;
  let wh: { authorization: string };
  beforeAll(async () => {
    // Nothing would leave in this file's lifetime but for the request.
    s = await stack({ WAVE_WINDOW_SECONDS: '3600', WAVE_SIZE_CAP: '200' });
    wh = bearer(await apiKeyFor(s.h.db, ['warehouse']));
  });
  afterAll(() => s.h.teardown());

  const flush = (headers: Record<string, string>, warehouse: unknown) =>
    s.api.inject({ method: 'POST', url: '/wms/waves/flush', headers, payload: { warehouse } });

  it('forms the waiting orders into a wave at once; refuses an unknown warehouse, an empty wave and other roles', async () => {
    const sku = await newSku(s.h.db);
    const warehouse = await setupWarehouse(s.h.db, { stock: { [sku]: 10 } });

    // Nobody waits yet: nothing to form.
    const empty = await flush(wh, warehouse);
    expect(empty.statusCode).toBe(409);
    expect(empty.json()).toMatchObject({ issues: [{ field: 'warehouse' }] });

    const ids = await orders(s, sku, 2);
    await expect
      .poll(async () => (await waveState(s, warehouse))?.pending.map((p) => p.orderId).sort() ?? [])
      .toEqual([...ids].sort());

    // Cutting a wave is the warehouse's call (ops may not); an unknown warehouse is named.
    expect((await flush(s.ops, warehouse)).statusCode).toBe(403);
    const unknown = await flush(wh, 'NO-SUCH-WH');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ issues: [{ field: 'warehouse' }] });
    expect((await flush(wh, 'bad code!')).statusCode).toBe(400);

    const asked = await flush(wh, warehouse);
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toEqual({ warehouse, orders: 2 });
    const [a, b] = await wavesOf(s, ids);
    expect(a).toBe(b);
    expect(await waveState(s, warehouse)).toMatchObject({ pending: [], wavesFormed: 1, lastWaveId: a });
  });
});

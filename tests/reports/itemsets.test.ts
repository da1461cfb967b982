import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mineItemsetRun } from '../../activities/reports/itemsets.js';
import { openItemsetRun, readItemsetRun, type ItemsetRunParams } from '../../db/queries/reports/itemsets.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';
import { line, timelineWriter } from './support.js';

/**
 * Itemsets of three SKUs mined by FP-growth in the background, on planted baskets (20 orders on
 * 2026-03-05: 10 × {A, B, C}, 3 × {A, B}, 2 × {C, D}, 5 × {D}).
 */
let h: Harness;
let app: FastifyInstance;
let ops: string;
let shop: string;
const DAY = '2026-03-05';

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  ops = await apiKeyFor(h.db, ['ops']);
  shop = await createShop(h.db, 'jd');
  const w = timelineWriter(h);
  const planted: Array<[number, string[]]> = [
    [10, ['A', 'B', 'C']],
    [3, ['A', 'B']],
    [2, ['C', 'D']],
    [5, ['D']],
  ];
  let n = 0;
  for (const [times, skus] of planted) {
    for (let i = 0; i < times; i += 1) {
      n += 1;
      const at = `${DAY}T0${n % 10}:00:00Z`;
      await w.place('jd', shop, {
        buyer: `buyer-${n}`,
        createdAt: at,
        paidAt: at,
        lines: skus.map((sku, j) => line(String(j + 1), sku, 1, 1_000)),
      });
    }
  }
});
afterAll(() => h.teardown());

const ask = (body: Record<string, unknown>, key = ops) =>
  app.inject({ method: 'POST', url: '/reports/basket/itemsets', headers: bearer(key), payload: body });
const read = (runId: string, query = '') =>
  app.inject({ method: 'GET', url: `/reports/basket/itemsets/${runId}${query}`, headers: bearer(ops) });

const params = (minOrders: number): ItemsetRunParams => ({
  from: DAY,
  to: DAY,
  shopIds: [shop],
  platform: null,
  minOrders,
  maxSize: 4,
});

describe('itemsets of three SKUs and more', () => {
  it('are mined in the background and read with their rules and bundles', async () => {
    const first = await ask({ from: DAY, to: DAY, shopId: shop, minOrders: 3 });
    expect(first.statusCode, first.body).toBe(202);
    const { runId, created } = first.json();
    expect(created).toBe(true);
    // Asked again while it mines: the same run.
    const again = await ask({ from: DAY, to: DAY, shopId: shop, minOrders: 3 });
    expect(again.json()).toEqual({ runId, created: false });

    await h.startWorker();
    await expect
      .poll(async () => (await read(runId)).json().run.status, { timeout: PATIENCE_MS, interval: 250 })
      .toBe('done');
    const report = (await read(runId)).json();
    expect(report.run).toMatchObject({
      baskets: 20,
      itemsTotal: 4,
      itemsMined: 4,
      minOrders: 3,
      error: null,
    });
    expect(report.itemsets).toEqual([{ skus: ['A', 'B', 'C'], orders: 10, support: 0.5 }]);
    // {A, C} ⇒ B: every order with A and C holds B (10 of 10); B is in 13 of 20 orders.
    expect(report.rules).toContainEqual({
      antecedent: ['A', 'C'],
      consequent: 'B',
      orders: 10,
      support: 0.5,
      confidence: 1,
      lift: 1.5385,
    });
    expect(report.bundles).toHaveLength(1);
    expect(report.bundles[0]).toMatchObject({
      skus: ['A', 'B', 'C'],
      orders: 10,
      confidence: 1,
      lift: 1.5385,
    });

    // Pairs too, on request, with their support.
    const withPairs = (await read(runId, '?minSize=2')).json();
    expect(withPairs.itemsets).toContainEqual({ skus: ['A', 'B'], orders: 13, support: 0.65 });
    const runs = await app.inject({ method: 'GET', url: '/reports/basket/itemsets', headers: bearer(ops) });
    expect(runs.json().runs.map((r: { runId: string }) => r.runId)).toContain(runId);
  });

  it('resume after an attempt died mid-way with the answer of one uninterrupted run', async () => {
    const whole = await openItemsetRun(h.db, { id: 'bi-whole', params: params(2), requestedBy: 'test' });
    await mineItemsetRun(h.db, whole.id, () => {});
    const cut = await openItemsetRun(h.db, {
      id: 'bi-cut',
      params: params(2),
      requestedBy: 'test',
    });
    // The first attempt dies after its second header item (a worker killed between heartbeats).
    const dying = (mined: number) => {
      if (mined === 2) throw new Error('worker lost');
    };
    await expect(mineItemsetRun(h.db, cut.id, dying)).rejects.toThrow('worker lost');
    const halfway = await readItemsetRun(h.db, cut.id);
    expect(halfway?.run).toMatchObject({ status: 'running', items_mined: expect.any(Array) });
    expect(halfway?.run.items_mined).toHaveLength(2);
    const retried = await mineItemsetRun(h.db, cut.id, () => {});
    expect(retried).toMatchObject({ skipped: 2, mined: 2 });

    const sets = async (id: string) =>
      (await readItemsetRun(h.db, id))!.itemsets.map((s) => `${s.items.join('+')}:${s.count}`).sort();
    expect(await sets(cut.id)).toEqual(await sets(whole.id));
    expect((await readItemsetRun(h.db, cut.id))!.run.status).toBe('done');
  });

  it('refuses a question it cannot answer, naming the field', async () => {
    const tooLoose = await ask({ from: DAY, to: DAY, minOrders: 1 });
    expect(tooLoose.statusCode).toBe(400);
    expect(tooLoose.json().issues).toContainEqual(expect.objectContaining({ field: 'body.minOrders' }));
    const backwards = await ask({ from: DAY, to: '2026-03-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().issues).toEqual([{ field: 'body.to', problem: 'must not be before from' }]);
    const missing = await read('bi-nothing');
    expect(missing.statusCode).toBe(404);
    const warehouse = await apiKeyFor(h.db, ['warehouse']);
    expect((await ask({ from: DAY, to: DAY }, warehouse)).statusCode).toBe(403);
  });
});

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStageFoldSchedule, stageFoldScheduleId } from '../../services/reports/stage-fold.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';
import { line, timelineWriter } from './support.js';

/**
 * The stage durations a timeline event makes known are appended on write and folded into the
 * efficiency histograms by a Temporal schedule (docs/reports.md); the report reads the same figures
 * before and after.
 */
let h: Harness;
let app: FastifyInstance;
let ops: { authorization: string };
const DAY = '2026-04-07';

beforeAll(async () => {
  h = await createHarness();
  app = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  const shop = await createShop(h.db, 'jd');
  const w = timelineWriter(h);
  for (let n = 1; n <= 4; n += 1) {
    const paid = Date.parse(`${DAY}T0${n}:00:00Z`);
    const at = (minutes: number) => new Date(paid + minutes * 60_000).toISOString();
    const order = await w.place('jd', shop, {
      buyer: `buyer-${n}`,
      createdAt: at(-5),
      paidAt: at(0),
      lines: [line('1', `SKU-${n}`, 1, 1_000)],
    });
    await order.step('audit_passed', 'audit_passed', at(2 * n));
    await order.step('stock_reserved', 'stock_reserved', at(3 * n), { warehouse: 'WH-1' });
    await order.step('parcel_assigned', 'parcel_assigned', at(30 * n));
    if (n === 4) continue; // still in the wave when the report is read
    await order.step('picked', 'picked', at(40 * n));
    await order.step('packed', 'packed', at(45 * n));
    await order.step('shipped', 'shipped', at(60 * n), { carrier: 'SF', parcelId: 'p1' });
  }
});
afterAll(async () => {
  await h.client.schedule
    .getHandle(stageFoldScheduleId(h.config.TASK_QUEUE_ORDERS))
    .delete()
    .catch(() => undefined);
  await h.teardown();
});

const count = async (table: 'stage_durations_unfolded' | 'stage_duration_hist') =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(h.db)).rows[0]!.n;

const report = async () => {
  const res = await app.inject({
    method: 'GET',
    url: `/reports/efficiency?from=${DAY}&to=${DAY}`,
    headers: ops,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('stage durations folded on a schedule', () => {
  it('the schedule folds what the writes appended; the report is the same before and after', async () => {
    expect(await count('stage_durations_unfolded')).toBeGreaterThan(20);
    expect(await count('stage_duration_hist')).toBe(0);
    const before = await report();
    expect(before.stages.find((s: { stage: string }) => s.stage === 'picking')).toMatchObject({
      orders: 3,
      p50Seconds: 20 * 60,
    });
    // The fourth order's wave formed and it waits to be picked.
    expect(before.stages.find((s: { stage: string }) => s.stage === 'picking')).toMatchObject({
      waitingNow: 1,
    });
    expect(before.shipping).toMatchObject({ paidOrders: 4, shippedWithin24h: 3 });

    const config = { TASK_QUEUE_ORDERS: h.config.TASK_QUEUE_ORDERS, STAGE_FOLD_SECONDS: 1 };
    await ensureStageFoldSchedule(h.client, { ...config, STAGE_FOLD_SECONDS: 3600 });
    // Asked again (every worker asks at start): the same schedule, brought to the interval asked.
    await ensureStageFoldSchedule(h.client, config);
    const described = await h.client.schedule
      .getHandle(stageFoldScheduleId(config.TASK_QUEUE_ORDERS))
      .describe();
    expect(described.spec.intervals?.map((i) => i.every)).toEqual([1000]);
    expect(described.policies.overlap).toBe('SKIP');

    await h.startWorker();
    await expect
      .poll(() => count('stage_durations_unfolded'), { timeout: PATIENCE_MS, interval: 250 })
      .toBe(0);
    expect(await count('stage_duration_hist')).toBeGreaterThan(0);
    expect(await report()).toEqual(before);
  });
});

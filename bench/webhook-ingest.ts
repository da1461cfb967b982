import { bundleWorkflowCode } from '@temporalio/worker';
import { orderWorkflowId } from '../domain/ids.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import {
  benchApiKey,
  benchOrder,
  createOwnStore,
  pushOwnOrder,
  setupBenchWarehouse,
} from './support/fixtures.js';
import { measureEngineCeiling, printFigures, quietBundler } from './support/ceiling.js';
import { activityCounts } from './support/history.js';
import { argValue, fmt, percentile, runPool } from './support/stats.js';
import { startBenchStack } from './support/stack.js';

/**
 * Signed webhook → audited order with stock reserved, on one machine, against the engine's ceiling:
 * the same number of workflows running the same number of empty activities on the same server.
 *
 *   npm run bench -- webhook-ingest --orders 1000 --concurrency 50
 */
const ORDERS = argValue('orders', 1000);
const CONCURRENCY = argValue('concurrency', 50);

async function waitUntil(check: () => Promise<boolean>, intervalMs = 200): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, intervalMs));
}

export async function run(): Promise<void> {
  // Waves never form here (a long window, no size cap in reach): this measures capture, audit and
  // stock reservation.
  const stack = await startBenchStack({ WAVE_WINDOW_SECONDS: '3600', WAVE_SIZE_CAP: '10000' });
  const { db, client, config } = stack;
  try {
    await db
      .insertInto('skus')
      .values({
        code: 'BENCH-SKU',
        name: 'Bench SKU',
        weight_g: 200,
        length_mm: 200,
        width_mm: 150,
        height_mm: 50,
      })
      .execute();
    await setupBenchWarehouse(db, 'BENCH-WH', { 'BENCH-SKU': ORDERS });
    const ops = await benchApiKey(db, ['ops']);
    const store = await createOwnStore(stack.apiUrl, ops, 'bench-store');
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
    const worker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle: bundle,
    });
    const workerRun = worker.run();
    const runId = Date.now().toString(36);

    // Phase 1: the real pipeline, fed over HTTP.
    const latencies: number[] = [];
    let accepted = 0;
    const started = performance.now();
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const t0 = performance.now();
      const status = await pushOwnOrder(stack.apiUrl, store, benchOrder(i, runId));
      latencies.push(performance.now() - t0);
      if (status === 202) accepted += 1;
    });
    const ingestMs = performance.now() - started;
    await waitUntil(async () => {
      // An order held for a person would never be reserved: say why instead of waiting forever.
      const held = await db.selectFrom('orders').select('id').where('status', '=', 'held').executeTakeFirst();
      if (held) throw new Error(`order ${held.id} is held; the benchmark's orders should pass audit`);
      const row = await db
        .selectFrom('order_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stage', '=', 'allocated')
        .executeTakeFirstOrThrow();
      return Number(row.n) >= ORDERS;
    });
    const pipelineMs = performance.now() - started;
    const sample = await client.workflow
      .getHandle(orderWorkflowId('own', 'bench-store', `B${runId}-1`))
      .fetchHistory();
    const counts = activityCounts(sample);
    worker.shutdown();
    await workerRun;

    // Phase 2: the engine ceiling — same count of workflows and activities, no work in them.
    const engineMs = await measureEngineCeiling({
      client,
      connection: stack.workerConnection,
      count: ORDERS,
      concurrency: CONCURRENCY,
      activities: counts,
      runId,
    });

    latencies.sort((a, b) => a - b);
    const rows: Array<[string, string]> = [
      ['orders posted', `${ORDERS} at concurrency ${CONCURRENCY}`],
      ['accepted (202)', String(accepted)],
      ['accepted orders/s', fmt((accepted / ingestMs) * 1000)],
      ['webhook latency p50', `${fmt(percentile(latencies, 50))} ms`],
      ['webhook latency p99', `${fmt(percentile(latencies, 99))} ms`],
      [
        'all orders audited and reserved after',
        `${fmt(pipelineMs / 1000, 2)} s  (${fmt((ORDERS / pipelineMs) * 1000)} orders/s)`,
      ],
      ['activities per order', `${counts.remote} + ${counts.local} local`],
      [
        'engine ceiling (no-op workflows)',
        `${fmt(engineMs / 1000, 2)} s  (${fmt((ORDERS / engineMs) * 1000)} workflows/s)`,
      ],
      ['pipeline / ceiling throughput', `${fmt((engineMs / pipelineMs) * 100)} %`],
    ];
    printFigures('webhook-ingest', rows);
  } finally {
    await stack.stop();
  }
}

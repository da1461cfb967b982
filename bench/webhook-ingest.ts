import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { orderWorkflowId } from '../domain/ids.js';
import type { OrderPush } from '../domain/order.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { argValue, fmt, percentile, runPool } from './support/stats.js';
import { startBenchStack } from './support/stack.js';

/**
 * Webhook → completed order throughput on one machine, against the engine's own ceiling:
 * the same number of workflows running the same number of empty activities on the same server.
 *
 *   npm run bench -- webhook-ingest --orders 1000 --concurrency 50
 */
const ORDERS = argValue('orders', 1000);
const CONCURRENCY = argValue('concurrency', 50);

function push(i: number, runId: string): OrderPush {
  const at = new Date().toISOString();
  return {
    platformOrderId: `B${runId}-${i}`,
    status: 'paid',
    refundStatus: 'none',
    type: i % 10 === 0 ? 'livestream' : 'normal',
    createdAt: at,
    paidAt: at,
    modifiedAt: at,
    currency: 'CNY',
    amounts: { goodsFen: 9_900, discountFen: 0, shippingFen: 0, paidFen: 9_900 },
    buyer: { id: `buyer-${i}` },
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: `文三路${i}号`,
      protected: false,
    },
    lines: [
      {
        lineId: '1',
        platformSkuId: '',
        skuCode: 'SKU-001-RED-M',
        title: 'T恤',
        quantity: 1,
        unitPriceFen: 9_900,
        discountFen: 0,
      },
    ],
  };
}

async function waitUntil(check: () => Promise<boolean>, intervalMs = 200): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, intervalMs));
}

export async function run(): Promise<void> {
  const stack = await startBenchStack();
  const { db, client, config } = stack;
  try {
    await db
      .insertInto('shops')
      .values({ id: 'bench-shop', platform: 'taobao', name: 'Bench', settings: '{}' })
      .execute();
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: silent });
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
      const res = await fetch(`${stack.apiUrl}/webhooks/taobao/bench-shop`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(push(i, runId)),
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status === 202) accepted += 1;
    });
    const ingestMs = performance.now() - started;
    await waitUntil(async () => {
      const row = await db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'completed')
        .executeTakeFirstOrThrow();
      return Number(row.n) >= ORDERS;
    });
    const pipelineMs = performance.now() - started;
    const sample = await client.workflow
      .getHandle(orderWorkflowId('taobao', 'bench-shop', `B${runId}-1`))
      .fetchHistory();
    const activityCount = sample.events?.filter((e) => e.activityTaskScheduledEventAttributes).length ?? 0;
    worker.shutdown();
    await workerRun;

    // Phase 2: the engine ceiling — same count of workflows and activities, no work in them.
    const noopBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./support/noop-workflow.ts', import.meta.url)),
      logger: silent,
    });
    const noopWorker = await Worker.create({
      connection: stack.workerConnection,
      taskQueue: 'bench-noop',
      workflowBundle: noopBundle,
      activities: { async noop() {} },
    });
    const noopRun = noopWorker.run();
    const engineStart = performance.now();
    const handles: Array<Promise<unknown>> = [];
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const handle = await client.workflow.start('noopWorkflow', {
        taskQueue: 'bench-noop',
        workflowId: `noop-${runId}-${i}`,
        args: [activityCount],
      });
      handles.push(handle.result());
    });
    await Promise.all(handles);
    const engineMs = performance.now() - engineStart;
    noopWorker.shutdown();
    await noopRun;

    latencies.sort((a, b) => a - b);
    const rows: Array<[string, string]> = [
      ['orders posted', `${ORDERS} at concurrency ${CONCURRENCY}`],
      ['accepted (202)', String(accepted)],
      ['accepted orders/s', fmt((accepted / ingestMs) * 1000)],
      ['webhook latency p50', `${fmt(percentile(latencies, 50))} ms`],
      ['webhook latency p99', `${fmt(percentile(latencies, 99))} ms`],
      [
        'all orders completed after',
        `${fmt(pipelineMs / 1000, 2)} s  (${fmt((ORDERS / pipelineMs) * 1000)} orders/s)`,
      ],
      ['activities per order', String(activityCount)],
      [
        'engine ceiling (no-op workflows)',
        `${fmt(engineMs / 1000, 2)} s  (${fmt((ORDERS / engineMs) * 1000)} workflows/s)`,
      ],
      ['pipeline / ceiling throughput', `${fmt((engineMs / pipelineMs) * 100)} %`],
    ];
    console.log('\nwebhook-ingest');
    for (const [k, v] of rows) console.log(`  ${k.padEnd(34)} ${v}`);
  } finally {
    await stack.stop();
  }
}

const ignore = () => {};
const silent = {
  log: ignore,
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: console.error,
};

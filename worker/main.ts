import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { sql } from 'kysely';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { createDb } from '../db/connect.js';
import { ensureStageFoldSchedule } from '../services/reports/stage-fold.js';
import { startStockSyncs } from '../services/stock-sync/control.js';
import { temporalDataConverter } from '../services/temporal/payload-codec.js';
import { startMessageChannels } from './channels.js';
import { createOrderWorker } from './create-worker.js';
import { installTemporalLogging } from './runtime.js';
import { serveWorkerMetrics, serverUrl, type WorkerHealth } from './metrics-server.js';
import { ensureSearchAttributes } from './search-attributes.js';

/** `npm run worker`: a standalone worker process (production, or a second worker beside `npm run dev`). */
const config = loadConfigOrExit();
const logger = createLogger(config, 'worker');
if (!config.DATABASE_URL) {
  logger.fatal(
    'DATABASE_URL must be set for a standalone worker (npm run dev starts an embedded database itself)',
  );
  process.exit(78);
}
installTemporalLogging(logger, config.TEMPORAL_METRICS_PORT);

const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const added = await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE).catch(
  (err: Error) => {
    logger.warn(
      { err },
      'could not check search attributes; register OrderStatus, Platform, ShopId (Keyword) yourself',
    );
    return [];
  },
);
if (added.length) logger.info({ added }, 'registered search attributes');
const client = new Client({
  connection: clientConnection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: temporalDataConverter(config),
});

const db = createDb({
  url: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  applicationName: 'order-erp-worker',
});
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
const worker = await createOrderWorker({
  connection,
  db,
  config,
  client,
  ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
});

// Taobao TMC and PDD PMC: order changes within seconds instead of at the next poll.
const channels = startMessageChannels({ db, client, config, logger });

// Stock sync for every shop that lists something, whether or not a listing was saved since.
void startStockSyncs(client, db, config)
  .then(({ started, failed }) => {
    if (started.length) logger.info({ shops: started.length }, 'stock sync running for the listing shops');
    for (const f of failed) logger.warn(f, 'could not start the stock sync of a shop');
  })
  .catch((err: Error) => logger.warn({ err }, 'could not list the shops to start stock sync for'));

// The efficiency report's histograms are folded from the stage durations on a schedule.
void ensureStageFoldSchedule(client, config).catch((err: Error) =>
  logger.warn(
    { err },
    'could not create the stage-duration fold schedule (the report stays exact; folds wait)',
  ),
);

const started = Date.now();
/** Polling every queue, and the database answering: this worker can move orders on. */
async function health(): Promise<WorkerHealth> {
  const status = worker.getStatus();
  const database = await Promise.race([
    sql`select 1`.execute(db).then(
      () => 'ok',
      () => 'unreachable',
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 2_000).unref()),
  ]);
  return {
    ok:
      status.runState === 'RUNNING' &&
      status.workflowPollerState === 'POLLING' &&
      status.activityPollerState === 'POLLING' &&
      (status.wavesPollerState ?? 'POLLING') === 'POLLING' &&
      (status.shipmentsPollerState ?? 'POLLING') === 'POLLING' &&
      database === 'ok',
    database,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    rssBytes: process.memoryUsage.rss(),
    ...status,
  };
}

// Port 0: the kernel picks one; the worker says which in its log (and to a parent process that
// started it with an IPC channel, as the tests do).
const metricsServer =
  config.WORKER_METRICS_PORT !== undefined
    ? await serveWorkerMetrics({
        port: config.WORKER_METRICS_PORT,
        host: config.API_HOST,
        ...(config.TEMPORAL_METRICS_PORT ? { temporalMetricsPort: config.TEMPORAL_METRICS_PORT } : {}),
        health,
      })
    : undefined;
const metricsUrl = metricsServer ? serverUrl(metricsServer, config.API_HOST) : undefined;
if (process.send) {
  process.send({ worker: 'started', pid: process.pid, metricsUrl });
  process.channel?.unref();
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight tasks');
    // Channels close first, so frames in hand are handed over and ACKed while Temporal is reachable.
    void channels
      .stop()
      .catch((err: Error) => logger.warn({ err }, 'closing the message channels failed'))
      .finally(() => {
        metricsServer?.close();
        worker.shutdown();
      });
  });
}

logger.info(
  { taskQueue: config.TASK_QUEUE_ORDERS, address: config.TEMPORAL_ADDRESS, metricsUrl },
  'worker started',
);
try {
  await worker.run();
} finally {
  await channels.stop();
  await connection.close();
  await clientConnection.close();
  await db.destroy();
  logger.info('worker stopped');
}

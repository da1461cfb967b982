import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { createDb } from '../db/connect.js';
import { startStockSyncs } from '../services/stock-sync/control.js';
import { temporalDataConverter } from '../services/temporal/payload-codec.js';
import { startMessageChannels } from './channels.js';
import { createOrderWorker } from './create-worker.js';
import { installTemporalLogging } from './runtime.js';
import { serveWorkerMetrics } from './metrics-server.js';
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

const metricsServer = config.WORKER_METRICS_PORT
  ? await serveWorkerMetrics({
      port: config.WORKER_METRICS_PORT,
      host: config.API_HOST,
      ...(config.TEMPORAL_METRICS_PORT ? { temporalMetricsPort: config.TEMPORAL_METRICS_PORT } : {}),
    })
  : undefined;

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

logger.info({ taskQueue: config.TASK_QUEUE_ORDERS, address: config.TEMPORAL_ADDRESS }, 'worker started');
try {
  await worker.run();
} finally {
  await channels.stop();
  await connection.close();
  await clientConnection.close();
  await db.destroy();
  logger.info('worker stopped');
}

import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { createDb } from '../db/connect.js';
import { temporalDataConverter } from '../services/temporal/payload-codec.js';
import { buildServer } from './server.js';

/** `npm run api`: a standalone API process (production; `npm run dev` runs it in-process). */
const config = loadConfigOrExit();
const logger = createLogger(config, 'api');
if (!config.DATABASE_URL) {
  logger.fatal(
    'DATABASE_URL must be set for a standalone API (npm run dev starts an embedded database itself)',
  );
  process.exit(78);
}
const db = createDb({
  url: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  applicationName: 'order-erp-api',
});
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: temporalDataConverter(config),
});
const app = await buildServer({ db, temporal, config, logger });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await connection.close();
    await db.destroy();
  });
}
await app.listen({ host: config.API_HOST, port: config.API_PORT });

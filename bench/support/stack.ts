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
import {
  freeFrontendPort,
  postgresFromUrl,
  startClusterServer,
} from '../../scripts/stack/temporal-cluster.js';
import { startTemporalServer, throwawayDataDir } from '../../scripts/stack/temporal-server.js';
import { resolveTemporalCli } from '../../scripts/temporal-cli.js';
import { resolveClusterBinaries } from '../../scripts/temporal-cluster-bins.js';
import { onTeardown, tearingDown } from './teardown.js';

export interface BenchStack {
  config: Config;
  /** The settings `config` was loaded from: worker processes of the run get the same. */
  env: Record<string, string>;
  db: Db;
  client: Client;
  workerConnection: NativeConnection;
  apiUrl: string;
  /** The Temporal SDK's Prometheus metrics of this process's workers. */
  sdkMetricsUrl: string;
  app: FastifyInstance;
  /** The run's Temporal: which shape, and its process (for its CPU). */
  temporal: { shape: TemporalShape; pid?: number };
  /** The run's own databases on `adminUrl`'s server (the ERP's, and Temporal's in the cluster shape). */
  databases: string[];
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * `dev`: the Temporal CLI's dev server (SQLite in /dev/shm), as the tests use. `cluster`: the
 * production shape's Temporal (docs/cluster.md): the real server with PostgreSQL persistence and
 * visibility, on databases of the run's own.
 */
export type TemporalShape = 'dev' | 'cluster';

export async function freePort(): Promise<number> {
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
 * A complete, isolated system for a benchmark: its own Temporal (a dev server, or with
 * `temporal: 'cluster'` the real server on PostgreSQL), its own database (DATABASE_URL's server,
 * or an embedded one; Temporal's databases beside it), the API on a real port. Workers are the
 * caller's. Everything it starts is stopped by `stop()`, when starting fails part way, and on
 * Ctrl-C once the benchmark called `stopOnSignals` (teardown.ts).
 */
export async function startBenchStack(
  env: Record<string, string> = {},
  options: { temporal?: TemporalShape } = {},
): Promise<BenchStack> {
  const shape = options.temporal ?? 'dev';
  const stops: Array<() => Promise<void>> = [];
  const started = (name: string, stop: () => Promise<unknown>) => stops.push(onTeardown(name, stop));
  // Every step runs even when one fails (a connection a worker still holds refuses to close).
  const stopAll = async () => {
    let failure: unknown;
    while (stops.length) await stops.pop()!().catch((err: unknown) => (failure ??= err));
    if (failure) throw failure;
  };
  try {
    // The SDK's own metrics (local activity and workflow task latencies, slots, cache) on a free
    // port: the benchmarks say where a run's time went from them (`sdkMetricsUrl`).
    const sdkMetricsPort = await freePort();
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      shutdownSignals: [],
      telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}` } } },
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-bench-'));
    started('the run directory', () => rm(dir, { recursive: true, force: true }));
    // The embedded cluster runs as the `postgres` OS user when we are root; it must reach its data dir.
    await chmod(dir, 0o755);

    const embedded = process.env.DATABASE_URL
      ? undefined
      : await startEmbeddedPostgres({
          dataDir: path.join(dir, 'pg'),
          port: await freePort(),
          persistent: false,
        });
    if (embedded) started('PostgreSQL', () => embedded.stop());
    const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    started('the admin connection', () => admin.end());
    const dropDatabases = (names: string[]) => async () => {
      for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
    };

    let temporal: { address: string; pid?: number };
    const databases: string[] = [];
    if (shape === 'cluster') {
      const bins = await resolveClusterBinaries({ log: (l) => console.error(l) });
      const temporalDatabases = {
        main: `temporal_bench_${process.pid}`,
        visibility: `temporal_bench_${process.pid}_visibility`,
      };
      // Dropped before the server stops would be too early: it is stopped first (registered after).
      await dropDatabases(Object.values(temporalDatabases))();
      started("Temporal's databases", dropDatabases(Object.values(temporalDatabases)));
      databases.push(...Object.values(temporalDatabases));
      let serverUp = false;
      const server = await startClusterServer({
        bins,
        postgres: postgresFromUrl(adminUrl),
        databases: temporalDatabases,
        address: `127.0.0.1:${await freeFrontendPort()}`,
        namespace: 'default',
        dir: path.join(dir, 'temporal-cluster'),
        // Errors only: the server's warnings under a burst (slow persistence) would drown the figures.
        logLevel: 'error',
        // Until it is up its errors are part of starting (no matching host yet); a failed start
        // says why in its error.
        log: (line) => serverUp && !tearingDown() && console.error(serverLine(line)),
      });
      serverUp = true;
      started('the Temporal server', () => {
        // What it says while stopping (its services leaving one by one) is expected.
        serverUp = false;
        return server.stop();
      });
      // The port was free a moment ago; a server there now is another stack's, never this run's.
      if (server.mode === 'existing') throw new Error(`${server.address} is taken by another process`);
      temporal = server;
    } else {
      const cli = await resolveTemporalCli({ log: (l) => console.error(l) });
      const temporalDir = await throwawayDataDir('erp-bench-temporal-');
      started("the Temporal server's data", () => rm(temporalDir, { recursive: true, force: true }));
      const server = await startTemporalServer({
        cli,
        address: `127.0.0.1:${await freePort()}`,
        uiPort: await freePort(),
        namespace: 'default',
        // A file in /dev/shm: no disk syncs blur the figures, and a loaded machine cannot lose it.
        dataDir: temporalDir,
        log: () => {},
        // The port was free a moment ago; a server there now is another stack's, never this run's.
        reuseExisting: false,
      });
      started('the Temporal server', () => server.stop());
      temporal = server;
    }

    const database = `erp_bench_${process.pid}`;
    await dropDatabases([database])();
    await admin.query(`create database ${database}`);
    started('the database', dropDatabases([database]));
    databases.unshift(database);
    const databaseUrl = withDatabase(adminUrl, database);

    const configEnv: Record<string, string> = {
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
    };
    const config = loadConfig(configEnv);
    const db = createDb({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
    started('the database pool', () => db.destroy());
    await migrateToLatest(db);
    const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    started('the Temporal client', () => connection.close());
    const client = new Client({ connection, dataConverter: temporalDataConverter(config) });
    const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    started("the workers' connection", () => workerConnection.close());
    const app = await buildServer({ db, temporal: client, config, logger: false });
    started('the API', () => app.close());
    // Port 0: a port picked free beforehand can be taken by another process before we listen (seen
    // beside a test suite: EADDRINUSE, and the benchmark hung with its server children alive).
    await app.listen({ host: '127.0.0.1', port: 0 });
    config.API_PORT = (app.server.address() as { port: number }).port;

    return {
      config,
      env: configEnv,
      db,
      client,
      workerConnection,
      app,
      apiUrl: `http://127.0.0.1:${config.API_PORT}`,
      sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
      temporal: { shape, ...(temporal.pid ? { pid: temporal.pid } : {}) },
      databases,
      adminUrl,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A server log line without its stack trace: "[temporal] error: <msg> (<error>)". */
function serverLine(line: string): string {
  const json = line.indexOf('{');
  if (json < 0) return line;
  try {
    const entry = JSON.parse(line.slice(json)) as { level?: string; msg?: string; error?: string };
    return `${line.slice(0, json)}${entry.level ?? ''}: ${entry.msg ?? ''}${entry.error ? ` (${entry.error})` : ''}`;
  } catch {
    return line;
  }
}

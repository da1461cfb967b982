import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildServer } from '../../api/server.js';
import { loadConfig, type Config } from '../../config/index.js';
import { createDb, withDatabase, type Db } from '../../db/connect.js';
import { createOrderWorker, type OrderWorker } from '../../worker/create-worker.js';
import type { ServiceOverrides } from '../../worker/services.js';
import { PATIENCE_MS } from './waits.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { TEST_DATA_KEYS } from './data-keys.js';
import { freePort } from './free-port.js';

export interface Harness {
  db: Db;
  databaseUrl: string;
  config: Config;
  client: Client;
  /** Starts a worker on this file's task queue; stopped by teardown. */
  startWorker(options?: { identity?: string; services?: ServiceOverrides }): Promise<RunningWorker>;
  /** The API, built over this file's database and task queue; `overrides` change its configuration only. */
  api(overrides?: Partial<Config>): Promise<FastifyInstance>;
  teardown(): Promise<void>;
}

export interface RunningWorker {
  worker: OrderWorker;
  stop(): Promise<void>;
}

let runtime: Promise<string> | undefined;

/**
 * The SDK's runtime for this test process, once: only warnings from the SDK (test output should
 * show test results), and sdk-core's own metrics served on a free port, for tests that must see
 * inside sdk-core (tests/support/cut-short.ts). Test files share their process (vitest `isolate:
 * false`), so every file gets the runtime the process's first file installed. Answers the metrics'
 * address.
 */
export function installTestRuntime(): Promise<string> {
  runtime ??= (async () => {
    const port = await freePort();
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } },
    });
    return `http://127.0.0.1:${port}/metrics`;
  })();
  return runtime;
}

/**
 * Shop sync that follows a simulator at test speed: a short overlap, no safety lag (the simulators'
 * clocks are ours), and retries of a failed call within a second.
 */
export const QUICK_SYNC: Readonly<Record<string, string>> = {
  SYNC_OVERLAP_SECONDS: '5',
  SYNC_SAFETY_LAG_SECONDS: '0',
  SYNC_RETRY_INITIAL_SECONDS: '0.2',
  SYNC_RETRY_MAX_SECONDS: '1',
};

/**
 * Per test file: a fresh database copied from the migrated template, a task queue of its own on the
 * shared dev server, and the config every component of the system would read in production.
 */
export async function createHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  await installTestRuntime();
  const adminUrl = inject('databaseAdminUrl');
  const template = inject('templateDatabase');
  const suffix = randomUUID().slice(0, 8);
  const database = `${template.replace('erp_template_', 'erp_test_')}_${suffix}`;
  await createDatabaseFromTemplate(adminUrl, database, template);
  const databaseUrl = withDatabase(adminUrl, database);

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_UI_URL: inject('temporalUiUrl'),
    TASK_QUEUE_ORDERS: `orders-${suffix}`,
    STICKY_TIMEOUT_SECONDS: '1',
    WORKER_SHUTDOWN_GRACE_SECONDS: '2',
    // A person's action waits for the workflow's answer; on a loaded machine a workflow task can take
    // several seconds, and the 15 s default turned approvals into 503s. Tests that check the busy
    // answer set their own.
    WORKFLOW_ANSWER_SECONDS: '120',
    // Shop credentials are encrypted with a key of this file's own.
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    // Buyers' data: the fixed test keys, so recorded histories replay (tests/support/data-keys.ts).
    ...TEST_DATA_KEYS,
    ...overrides,
  });
  const db = createDb({ url: databaseUrl, poolSize: config.DATABASE_POOL_SIZE });
  const client = new Client({
    connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
    dataConverter: temporalDataConverter(config),
  });
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workers: RunningWorker[] = [];
  const apps: FastifyInstance[] = [];

  return {
    db,
    databaseUrl,
    config,
    client,
    async startWorker(options = {}) {
      const worker = await createOrderWorker({
        connection: nativeConnection,
        db,
        config,
        client,
        ...(options.services ? { services: options.services } : {}),
        workflowBundle: { codePath: inject('workflowBundlePath') },
        ...(options.identity ? { identity: options.identity } : {}),
      });
      const running = worker.run();
      const handle: RunningWorker = {
        worker,
        async stop() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        },
      };
      workers.push(handle);
      return handle;
    },
    async api(overrides = {}) {
      const app = await buildServer({
        db,
        temporal: client,
        config: { ...config, ...overrides },
        logger: false,
      });
      await app.ready();
      apps.push(app);
      return app;
    },
    async teardown() {
      await Promise.all(apps.map((app) => app.close()));
      await Promise.all(workers.map((w) => w.stop()));
      await nativeConnection.close();
      await client.connection.close();
      await db.destroy();
      await dropDatabase(adminUrl, database);
    },
  };
}

async function createDatabaseFromTemplate(
  adminUrl: string,
  database: string,
  template: string,
): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Concurrent copies of one template collide while another copy runs; retry until it is free
    // (minutes on a busy machine, where a copy can take long).
    const deadline = Date.now() + PATIENCE_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${database}" template "${template}"`);
        return;
      } catch (err) {
        if (Date.now() > deadline || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, Math.min(100 + attempt * 50, 1_000)));
      }
    }
  } finally {
    await admin.end();
  }
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${database}" with (force)`);
  } finally {
    await admin.end();
  }
}

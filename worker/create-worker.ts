import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import type { WmsAdapter } from '../domain/wms/adapter.js';
import { workerDataConverter } from '../services/temporal/payload-codec.js';
import { buildExternalServices, type ServiceOverrides } from './services.js';

export interface OrderWorkerOptions {
  connection: NativeConnection;
  db: Db;
  config: Config;
  /** A client for activities that start or signal workflows (waves, shipments). */
  client: Client;
  services?: ServiceOverrides;
  wms?: WmsAdapter;
  /** A prebuilt workflow bundle (production, tests); otherwise workflows are bundled at start. */
  workflowBundle?: { codePath: string } | { code: string };
  taskQueue?: string;
  identity?: string;
}

/** The workflow entry point, as TypeScript source in development or compiled JavaScript under dist/. */
export function workflowsPath(): string {
  const ts = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/index.js', import.meta.url));
}

export async function createOrderWorker(options: OrderWorkerOptions): Promise<Worker> {
  const { connection, config, db, client } = options;
  // Bundle here (quietly) when no prebuilt bundle is given: the SDK would log webpack's stats at info.
  const workflowBundle =
    options.workflowBundle ??
    (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: bundlerLogger }));
  const services = buildExternalServices(db, config, options.services);
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: options.taskQueue ?? config.TASK_QUEUE_ORDERS,
    workflowBundle,
    // Histories hold ciphertext: the same codec as every client (docs/data-protection.md); the
    // worker also checks the actor assertions of Updates (docs/human-actions.md).
    dataConverter: workerDataConverter(config),
    activities: createActivities({
      db,
      config,
      client,
      ...services,
      ...(options.wms ? { wms: options.wms } : {}),
    }),
    stickyQueueScheduleToStartTimeout: `${config.STICKY_TIMEOUT_SECONDS} seconds`,
    ...(config.WORKER_MAX_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS }
      : {}),
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS} seconds`,
    ...(options.identity ? { identity: options.identity } : {}),
  });
}

const ignore = () => {};
const bundlerLogger = {
  log: ignore,
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { shipmentTaskQueue, waveTaskQueue, type Config } from '../config/index.js';
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

/**
 * The order worker: the orders task queue (orders and the rest) and, beside it, the waves task
 * queue (`waveTaskQueue`) and the shipments task queue (`shipmentTaskQueue`), each a Worker of its
 * own sharing the activities, the database pool and the workflow bundle. Their tasks never wait
 * behind a burst's backlog of order tasks, in the server's queue or for the worker's slots. The
 * waves Worker holds one workflow per warehouse, so its cache and slots are small.
 */
export interface OrderWorker {
  /** The orders task queue's Worker. */
  readonly orders: Worker;
  /** The waves task queue's Worker; absent for a worker of another task queue (`taskQueue`). */
  readonly waves: Worker | undefined;
  /** The shipments task queue's Worker; absent for a worker of another task queue (`taskQueue`). */
  readonly shipments: Worker | undefined;
  run(): Promise<void>;
  shutdown(): void;
  getState(): ReturnType<Worker['getState']>;
  /** The orders Worker's status, with the waves and shipments Workers' pollers' state. */
  getStatus(): ReturnType<Worker['getStatus']> & {
    wavesRunState?: string;
    wavesPollerState?: string;
    shipmentsRunState?: string;
    shipmentsPollerState?: string;
  };
}

/** The waves Worker's bounds: a handful of warehouses' wave workflows and their activities. */
/** How long past its shutdown grace a stopping worker waits before it gives up (GracefulShutdownPeriodExpiredError). */
const SHUTDOWN_FORCE_AFTER_GRACE_SECONDS = 60;

const WAVE_WORKER_LIMITS = {
  maxCachedWorkflows: 20,
  maxConcurrentWorkflowTaskExecutions: 4,
  maxConcurrentActivityTaskExecutions: 8,
  maxConcurrentLocalActivityExecutions: 8,
} as const;

export async function createOrderWorker(options: OrderWorkerOptions): Promise<OrderWorker> {
  const { connection, config, db, client } = options;
  // Bundle here (quietly) when no prebuilt bundle is given: the SDK would log webpack's stats at info.
  const workflowBundle =
    options.workflowBundle ??
    (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: bundlerLogger }));
  const services = buildExternalServices(db, config, options.services);
  const activities = createActivities({
    db,
    config,
    client,
    ...services,
    ...(options.wms ? { wms: options.wms } : {}),
  });
  const common = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    workflowBundle,
    // Histories hold ciphertext: the same codec as every client (docs/data-protection.md); the
    // worker also checks the actor assertions of Updates (docs/human-actions.md).
    dataConverter: workerDataConverter(config),
    activities,
    stickyQueueScheduleToStartTimeout: `${config.STICKY_TIMEOUT_SECONDS} seconds`,
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS} seconds`,
    // A local activity failing for ever (or a task that never returns) would otherwise keep the
    // worker from stopping at all: give up a minute after the grace and let the process exit.
    shutdownForceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS + SHUTDOWN_FORCE_AFTER_GRACE_SECONDS} seconds`,
    ...(options.identity ? { identity: options.identity } : {}),
  } as const;
  const withSiblings = options.taskQueue === undefined || options.taskQueue === config.TASK_QUEUE_ORDERS;
  // The workflow cache bounds the process's memory (WORKER_MAX_CACHED_WORKFLOWS): orders and
  // shipments, about one each per order, share it half and half.
  const cache = config.WORKER_MAX_CACHED_WORKFLOWS;
  // 0 turns the cache off; otherwise at least 2 each (the SDK's smallest cache).
  const ordersCache = withSiblings && cache > 0 ? Math.max(Math.ceil(cache / 2), 2) : cache;
  const shipmentsCache = cache > 0 ? Math.max(cache - ordersCache, 2) : 0;
  const localActivities = config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES ?? config.DATABASE_POOL_SIZE;
  const orders = await Worker.create({
    ...common,
    taskQueue: options.taskQueue ?? config.TASK_QUEUE_ORDERS,
    maxCachedWorkflows: ordersCache,
    // Taken on only as much as it can finish within a workflow task's timeout (docs/benchmarks.md).
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivityExecutions: localActivities,
  });
  const waves = withSiblings
    ? await Worker.create({ ...common, taskQueue: waveTaskQueue(config), ...WAVE_WORKER_LIMITS })
    : undefined;
  // Slots of its own, beside the orders': a shipment's task (a projection write, a carrier call's
  // result) never waits for a burst's order tasks to free one.
  const shipments = withSiblings
    ? await Worker.create({
        ...common,
        taskQueue: shipmentTaskQueue(config),
        maxCachedWorkflows: shipmentsCache,
        maxConcurrentWorkflowTaskExecutions: config.WORKER_SHIPMENTS_MAX_CONCURRENT_WORKFLOW_TASKS,
        maxConcurrentLocalActivityExecutions: Math.min(
          localActivities,
          config.WORKER_SHIPMENTS_MAX_CONCURRENT_WORKFLOW_TASKS * 2,
        ),
      })
    : undefined;
  const all = [orders, ...(waves ? [waves] : []), ...(shipments ? [shipments] : [])];
  return {
    orders,
    waves,
    shipments,
    async run() {
      // One stopping (shutdown, or a fatal error) stops the other: they serve one process.
      const runs = all.map((w) =>
        w.run().finally(() => {
          for (const other of all) if (other.getState() === 'RUNNING') other.shutdown();
        }),
      );
      const results = await Promise.allSettled(runs);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown() {
      for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
    },
    getState() {
      return orders.getState();
    },
    getStatus() {
      const status = orders.getStatus();
      const wavesStatus = waves?.getStatus();
      const shipmentsStatus = shipments?.getStatus();
      return {
        ...status,
        ...(wavesStatus
          ? { wavesRunState: wavesStatus.runState, wavesPollerState: wavesStatus.workflowPollerState }
          : {}),
        ...(shipmentsStatus
          ? {
              shipmentsRunState: shipmentsStatus.runState,
              shipmentsPollerState: shipmentsStatus.workflowPollerState,
            }
          : {}),
      };
    },
  };
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

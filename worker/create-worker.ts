import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

export interface OrderWorkerOptions extends ActivityDeps {
  connection: NativeConnection;
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
  const { connection, config } = options;
  // Bundle here (quietly) when no prebuilt bundle is given: the SDK would log webpack's stats at info.
  const workflowBundle =
    options.workflowBundle ??
    (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: bundlerLogger }));
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: options.taskQueue ?? config.TASK_QUEUE_ORDERS,
    workflowBundle,
    activities: createActivities(options),
    stickyQueueScheduleToStartTimeout: `${config.STICKY_TIMEOUT_SECONDS} seconds`,
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

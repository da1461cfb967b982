import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
// The package is CommonJS: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { runPool } from './stats.js';

const UNHANDLED_FAILURE =
  proto.temporal.api.enums.v1.WorkflowTaskFailedCause
    .WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE;

const ignore = () => {};
/** The webpack bundler's logger with only errors: benchmark output is figures. */
export const quietBundler = {
  log: ignore,
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: console.error,
};

/**
 * The engine's ceiling on this machine: `count` workflows, started at `concurrency`, each running
 * the given numbers of empty ordinary and local activities. Returns the wall time until all finished.
 *
 * The worker takes the client's own data converter and namespace: the client seals every payload
 * (workflow arguments included) with the deployment's codec, and a worker without it fails every
 * workflow task ("Unknown encoding: binary/encrypted") for ever. It polls a task queue of this run
 * only. A failing workflow task ends the measurement with its reason instead of waiting for ever.
 */
export async function measureEngineCeiling(options: {
  client: Client;
  connection: NativeConnection;
  count: number;
  concurrency: number;
  activities: { remote: number; local: number };
  runId: string;
}): Promise<number> {
  const { client } = options;
  const taskQueue = `bench-noop-${options.runId}`;
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./noop-workflow.ts', import.meta.url)),
    logger: quietBundler,
  });
  const worker = await Worker.create({
    connection: options.connection,
    namespace: client.options.namespace,
    dataConverter: client.options.dataConverter,
    taskQueue,
    workflowBundle: bundle,
    activities: { async noop() {} },
  });
  const running = worker.run();
  const watch = new AbortController();
  try {
    const started = performance.now();
    const results: Array<Promise<unknown>> = [];
    const first = `noop-${options.runId}-0`;
    const failed = firstTaskFailure(client, first, watch.signal);
    failed.catch(() => {}); // raced below; rejecting while workflows are still being started is fine
    await runPool(options.count, options.concurrency, async (i) => {
      const handle = await client.workflow.start('noopWorkflow', {
        taskQueue,
        workflowId: `noop-${options.runId}-${i}`,
        args: [options.activities.remote, options.activities.local],
      });
      results.push(handle.result());
    });
    await Promise.race([Promise.all(results), failed]);
    return performance.now() - started;
  } finally {
    watch.abort();
    worker.shutdown();
    await running;
  }
}

/**
 * Rejects with the failure of the first workflow task that the worker failed (its code or its
 * payloads, not a timeout) in `workflowId`'s history, read every 2 s until `signal` aborts: a worker
 * that cannot run the ceiling's workflows fails each of their tasks alike, and the server retries
 * them for ever.
 */
async function firstTaskFailure(client: Client, workflowId: string, signal: AbortSignal): Promise<never> {
  while (!signal.aborted) {
    await new Promise((r) => setTimeout(r, 2_000));
    if (signal.aborted) break;
    const history = await client.workflow
      .getHandle(workflowId)
      .fetchHistory()
      .catch(() => undefined);
    const failed = history?.events?.find(
      (e) => e.workflowTaskFailedEventAttributes?.cause === UNHANDLED_FAILURE,
    )?.workflowTaskFailedEventAttributes;
    if (failed && !signal.aborted)
      throw new Error(`the engine ceiling's workflow tasks fail: ${failed.failure?.message ?? 'no message'}`);
  }
  return new Promise<never>(() => {});
}

/** Prints a benchmark's figures as an aligned two-column block. */
export function printFigures(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)} ${v}`);
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { isWarningLine, startNodeProcess, type SupervisedProcess } from '../../scripts/stack/node-process.js';
import { waitForPollers } from '../../scripts/stack/temporal-cluster.js';
import { cachedWorkflowBundle } from '../../scripts/stack/workflow-bundle.js';
import { orderErpCacheDir } from '../../scripts/go-install.js';
import { freePort } from './stack.js';
import { onTeardown, tearingDown } from './teardown.js';

const WORKER_MAIN = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));

export interface WorkerProcess {
  name: string;
  pid: number;
  /** The SDK's Prometheus page of this process (TEMPORAL_METRICS_PORT). */
  sdkMetricsUrl: string;
  process: SupervisedProcess;
}

export interface WorkerProcesses {
  workers: WorkerProcess[];
  /** Why the run cannot go on: a worker process that exited before `stop()`. */
  failure(): string | undefined;
  /** How many warning lines the workers printed (slow workflow tasks, retried activities). */
  warnings(): number;
  /** Stops every worker at once (each finishes the tasks in hand); resolves when all are gone. */
  stop(): Promise<void>;
}

/**
 * `count` production workers (`worker/main.ts`, as `npm run worker` and the cluster shape of
 * `npm run dev` run them) as processes of their own, with the settings of the stack's config
 * (`env`: the same database, Temporal, keys and knobs), the workflow bundle prebuilt once and
 * shared, and each its own SDK metrics port. Resolves once every one of them polls each of
 * `queues`. Their ordinary lines go to stderr prefixed with their name; warnings are counted (under
 * a burst the SDK warns of every slow workflow task) and the first few shown.
 */
export async function startWorkerProcesses(options: {
  count: number;
  env: Record<string, string>;
  client: Client;
  queues: string[];
  /** How long a stopping worker may take to finish its tasks before it is killed. */
  graceMs: number;
}): Promise<WorkerProcesses> {
  const bundle = await cachedWorkflowBundle(path.join(orderErpCacheDir(), 'bench-workflow-bundle'));
  let warnings = 0;
  let stopping = false;
  const log = (line: string) => {
    if (stopping || tearingDown()) return;
    // The line comes prefixed with the worker's name (supervise): the level follows it.
    if (isWarningLine(line.replace(/^\[[^\]]*\] /, '')) && ++warnings > 3) return;
    console.error(line);
  };
  const workers: WorkerProcess[] = [];
  const stop = onTeardown('the worker processes', async () => {
    stopping = true;
    await Promise.all(workers.map((w) => w.process.stop(options.graceMs)));
  });
  try {
    for (let i = 1; i <= options.count; i += 1) {
      const metricsPort = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...options.env,
        WORKFLOW_BUNDLE_PATH: bundle.codePath,
        TEMPORAL_METRICS_PORT: String(metricsPort),
      };
      // The benchmark's own process group marker (bench/run.ts) is not the workers' business.
      delete env.ORDER_ERP_DEV_SESSION;
      const name = `worker-${i}`;
      const process_ = startNodeProcess({ name, script: WORKER_MAIN, env, log });
      workers.push({
        name,
        pid: process_.child.pid!,
        sdkMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
        process: process_,
      });
    }
    let settled = false;
    const exitDuringStart = Promise.race(
      workers.map((w) => w.process.exited.then((code) => ({ w, code }))),
    ).then(({ w, code }) => {
      if (!settled)
        throw new Error(`${w.name} exited during start (code ${code}):\n${w.process.tail().join('\n')}`);
    });
    // Ready when every worker polls every queue: "ready" means taking work.
    const polling = (async () => {
      for (const queue of options.queues) {
        await waitForPollers(
          options.client,
          queue,
          workers.map((w) => w.pid),
          180_000,
        );
      }
    })();
    polling.catch(() => undefined); // raced below; still polling when a worker exited first
    try {
      await Promise.race([polling, exitDuringStart]);
    } finally {
      settled = true;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    workers,
    failure() {
      if (stopping) return undefined;
      const gone = workers.find(
        (w) => w.process.child.exitCode !== null || w.process.child.signalCode !== null,
      );
      return (
        gone &&
        `${gone.name} exited (code ${gone.process.child.exitCode}):\n${gone.process.tail().join('\n')}`
      );
    },
    warnings: () => warnings,
    stop,
  };
}

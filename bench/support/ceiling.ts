import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection } from '@temporalio/worker';
import { runPool } from './stats.js';

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
 */
export async function measureEngineCeiling(options: {
  client: Client;
  connection: NativeConnection;
  count: number;
  concurrency: number;
  activities: { remote: number; local: number };
  runId: string;
}): Promise<number> {
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./noop-workflow.ts', import.meta.url)),
    logger: quietBundler,
  });
  const worker = await Worker.create({
    connection: options.connection,
    taskQueue: 'bench-noop',
    workflowBundle: bundle,
    activities: { async noop() {} },
  });
  const running = worker.run();
  const started = performance.now();
  const results: Array<Promise<unknown>> = [];
  await runPool(options.count, options.concurrency, async (i) => {
    const handle = await options.client.workflow.start('noopWorkflow', {
      taskQueue: 'bench-noop',
      workflowId: `noop-${options.runId}-${i}`,
      args: [options.activities.remote, options.activities.local],
    });
    results.push(handle.result());
  });
  await Promise.all(results);
  const elapsed = performance.now() - started;
  worker.shutdown();
  await running;
  return elapsed;
}

/** Prints a benchmark's figures as an aligned two-column block. */
export function printFigures(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)} ${v}`);
}

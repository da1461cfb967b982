import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { TEST_DATA_KEYS } from './data-keys.js';
import type { Harness } from './harness.js';

/**
 * `npm run worker` as a process of its own on the harness's database and task queue, with the
 * harness's data keys (the worker and the test's client read each other's payloads).
 */
export function startWorkerProcess(h: Harness, env: Record<string, string> = {}): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: h.databaseUrl,
      TEMPORAL_ADDRESS: h.config.TEMPORAL_ADDRESS,
      TASK_QUEUE_ORDERS: h.config.TASK_QUEUE_ORDERS,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      ...TEST_DATA_KEYS,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[worker process] ${chunk}`));
  return proc;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { isWarningLine } from '../../scripts/stack/node-process.js';
import { TEST_DATA_KEYS } from './data-keys.js';
import type { Harness } from './harness.js';

/** A worker process a test started, with what it can tell about itself. */
export type WorkerProcess = ChildProcess & {
  /** Its /health answer (ok, run state, pollers, in-flight work, cache), or why there is none. */
  health(): Promise<string>;
  /** How it is doing, in a few lines for a failure message: start, health or exit, last lines. */
  describe(): Promise<string>;
};

/**
 * `npm run worker` as a process of its own on the harness's database and task queue, with the
 * harness's data keys (the worker and the test's client read each other's payloads). Its log lines
 * (warnings and errors) and stderr are printed with a prefix and the last of them kept; it serves
 * /health on a port the kernel picks and says which over the IPC channel.
 */
export function startWorkerProcess(h: Harness, env: Record<string, string> = {}): WorkerProcess {
  const spawnedAt = Date.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: h.databaseUrl,
      TEMPORAL_ADDRESS: h.config.TEMPORAL_ADDRESS,
      TASK_QUEUE_ORDERS: h.config.TASK_QUEUE_ORDERS,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      WORKER_METRICS_PORT: '0',
      ...TEST_DATA_KEYS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const last: string[] = [];
  const keep = (stream: string) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      last.push(`${stream}: ${line.trimEnd().slice(0, 2_000)}`);
      if (last.length > 30) last.shift();
      // Warnings (an activity's retried failure, a slow workflow task on a busy machine: many) stay
      // in the tail, unprinted: pino's level 40 on stdout, the SDK core's WARN on stderr.
      if (isWarningLine(line)) continue;
      process.stderr.write(`[worker ${proc.pid}] ${line.trimEnd()}\n`);
    }
  };
  proc.stdout?.on('data', keep('log'));
  proc.stderr?.on('data', keep('stderr'));
  let metricsUrl: string | undefined;
  let startedAfterMs: number | undefined;
  proc.on('message', (message: { worker?: string; metricsUrl?: string }) => {
    if (message.worker !== 'started') return;
    metricsUrl = message.metricsUrl;
    startedAfterMs = Date.now() - spawnedAt;
  });
  proc.channel?.unref();

  async function health(): Promise<string> {
    if (proc.exitCode !== null || proc.signalCode !== null)
      return `exited (code ${proc.exitCode}, signal ${proc.signalCode})`;
    if (!metricsUrl) return `not started yet (${Math.round((Date.now() - spawnedAt) / 1000)} s after spawn)`;
    try {
      const res = await fetch(`${metricsUrl}/health`, { signal: AbortSignal.timeout(5_000) });
      return `${res.status} ${await res.text()}`;
    } catch (err) {
      return `no answer at ${metricsUrl}/health: ${(err as Error).message}`;
    }
  }

  return Object.assign(proc, {
    health,
    async describe() {
      return [
        `worker pid ${proc.pid}, spawned ${Math.round((Date.now() - spawnedAt) / 1000)} s ago` +
          (startedAfterMs === undefined
            ? ', never reported started'
            : `, started after ${startedAfterMs} ms`),
        `health: ${await health()}`,
        'last lines:',
        ...last.map((line) => `  ${line}`),
      ].join('\n');
    },
  });
}

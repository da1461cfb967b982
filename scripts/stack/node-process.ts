import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisedProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last lines it printed (for an error that says why it stopped). */
  tail(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Prefixes every line a child prints with its name and hands it to `log`. */
export function supervise(child: ChildProcess, name: string, log: (line: string) => void): SupervisedProcess {
  const last: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      last.push(line.trimEnd());
      if (last.length > 20) last.shift();
      log(`[${name}] ${line.trimEnd()}`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    exited,
    tail: () => [...last],
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves when `ready` does; stops the process and throws if it fails or the process exits first. */
export async function untilReady(supervised: SupervisedProcess, what: string, ready: () => Promise<void>) {
  try {
    await Promise.race([
      ready(),
      supervised.exited.then((code) => {
        throw new Error(`${what} exited during start (code ${code}):\n${supervised.tail().join('\n')}`);
      }),
    ]);
  } catch (err) {
    await supervised.stop();
    throw err;
  }
}

/**
 * One of our TypeScript entry points (`api/main.ts`, `worker/main.ts`) as a process of its own, run
 * with tsx like `npm run api` and `npm run worker`.
 */
export function startNodeProcess(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}): SupervisedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', options.script], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return supervise(child, options.name, options.log);
}

/** Waits until `url` answers 2xx (e.g. the API's /health), or throws after `timeoutMs`. */
export async function waitUntilHealthy(
  url: string,
  timeoutMs: number,
  exited?: Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited?.then(() => (gone = true));
  let last = '';
  while (Date.now() < deadline && !gone) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${url} ${gone ? 'exited before it was healthy' : `not healthy within ${timeoutMs / 1000}s`} (${last})`,
  );
}

/**
 * Whether a line a worker or API process printed is a warning: pino's level 40 (a retried
 * activity's failure) or the Temporal SDK core's WARN (a slow workflow task). Under a fault run's
 * weather or on a busy machine there are many; callers keep them out of what they print.
 */
export function isWarningLine(line: string): boolean {
  // The core's lines start with a timestamp and the level, both coloured (ANSI escapes).
  const plain = line.replace(new RegExp(String.fromCharCode(27) + '\\[[\\d;]*m', 'g'), '');
  return /"level":40\b/.test(line) || /^\S+\s+WARN\b/.test(plain);
}

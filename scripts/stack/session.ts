import { spawn } from 'node:child_process';

const SESSION_ENV = 'ORDER_ERP_DEV_SESSION';

/** Whether this process is the dev stack itself, started by `runInOwnProcessGroup`. */
export function inOwnProcessGroup(): boolean {
  return process.env[SESSION_ENV] === '1';
}

/**
 * Runs this same script again in a process group of its own and waits for it, passing Ctrl-C on
 * once. Ctrl-C in a terminal signals the whole foreground group: the Temporal server and
 * PostgreSQL would stop at once, under the feet of a worker still draining. In its own group the
 * dev stack hears Ctrl-C only through us, and stops its servers last. A second Ctrl-C says it is
 * still stopping; a third kills the whole group. Whatever the stack leaves behind when it ends
 * (a crash before it stopped its servers) is stopped with it.
 */
export async function runInOwnProcessGroup(): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, [SESSION_ENV]: '1' },
  });
  const group = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let presses = 0;
  let lastPress = 0;
  const relay = (signal: NodeJS.Signals) => {
    // One Ctrl-C arrives twice: from the terminal and relayed by tsx's parent process.
    if (Date.now() - lastPress < 1_000) return;
    lastPress = Date.now();
    presses += 1;
    if (presses === 1) child.kill(signal);
    else if (presses === 2)
      process.stdout.write('\n  still stopping… Ctrl-C once more stops everything at once\n');
    else group('SIGKILL');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, relay);
  const code = await new Promise<number>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  group('SIGTERM');
  process.exit(code);
}

/** Calls `onOrphaned` when the process that started this one is gone (killed without relaying). */
export function watchParent(onOrphaned: () => void, everyMs = 2_000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) onOrphaned();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

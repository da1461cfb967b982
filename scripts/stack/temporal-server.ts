import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeCliArgs, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import type { TemporalCli } from '../temporal-cli.js';

export interface TemporalServerHandle {
  address: string;
  uiUrl: string;
  /** 'started' when we run it, 'existing' when something already listened there. */
  mode: 'started' | 'existing';
  /** The server's process, when we run the CLI ourselves (a benchmark reads its CPU from /proc). */
  pid?: number;
  stop(): Promise<void>;
}

export interface TemporalServerOptions {
  cli: TemporalCli;
  address: string;
  uiPort: number;
  namespace: string;
  /**
   * Where the SQLite file lives; undefined keeps the server's state in memory, which a dropped
   * connection loses (see throwawayDataDir: use that for a server of a run's own).
   */
  dataDir?: string;
  log: (line: string) => void;
  /**
   * Use a server already listening at the address (the dev stack's default). False for a process
   * that must have a server of its own (a benchmark on a port it picked free): something listening
   * there is another stack's server, whose workers would take its tasks, so starting fails instead.
   */
  reuseExisting?: boolean;
}

/**
 * A fresh directory for a throwaway dev server's SQLite file: in /dev/shm where there is one (no disk
 * syncs), else the OS temp dir. Throwaway servers (the tests', a benchmark's) still keep their state
 * in a file rather than in memory: the dev server holds an in-memory database on a single
 * connection, and when that connection is dropped (a query cancelled on a loaded machine) every table
 * goes with it ("no such table: namespaces", temporalio/temporal#3784), failing everything after.
 */
export async function throwawayDataDir(prefix: string): Promise<string> {
  const base = (await stat('/dev/shm').catch(() => undefined))?.isDirectory() ? '/dev/shm' : os.tmpdir();
  return mkdtemp(path.join(base, prefix));
}

export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitUntilListening(host: string, port: number, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isListening(host, port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start listening on ${host}:${port} within ${timeoutMs / 1000}s`);
}

/**
 * The Temporal dev server with its state in a SQLite file under dataDir, so a second start keeps
 * every workflow. Reuses a server already listening at the address.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServerHandle> {
  const [host = 'localhost', portText = '7233'] = options.address.split(':');
  const port = Number(portText);
  const uiUrl = `http://${host}:${options.uiPort}`;
  if (await isListening(host, port)) {
    if (options.reuseExisting === false)
      throw new Error(`${options.address} is taken by another process: not starting a Temporal server there`);
    options.log(`Temporal already running at ${options.address}; using it`);
    return { address: options.address, uiUrl, mode: 'existing', stop: async () => {} };
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const dbFilename = options.dataDir ? path.join(options.dataDir, 'temporal.sqlite') : undefined;

  if (options.cli.kind === 'sdk-download') {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: options.cli.downloadDir },
        ...(dbFilename ? { dbFilename } : {}),
        ip: host === 'localhost' ? '127.0.0.1' : host,
        port,
        ui: true,
        uiPort: options.uiPort,
        namespace: options.namespace,
        searchAttributes: SEARCH_ATTRIBUTES,
      },
    });
    return { address: options.address, uiUrl, mode: 'started', stop: () => env.teardown() };
  }

  const child: ChildProcess = spawn(
    options.cli.path,
    [
      'server',
      'start-dev',
      ...(dbFilename ? ['--db-filename', dbFilename] : []),
      '--ip',
      host === 'localhost' ? '127.0.0.1' : host,
      '--port',
      String(port),
      '--ui-port',
      String(options.uiPort),
      '--namespace',
      options.namespace,
      '--log-level',
      'warn',
      ...searchAttributeCliArgs(),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim()) options.log(`[temporal] ${line.trim()}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await Promise.race([
    waitUntilListening(host, port, 60_000, 'Temporal dev server'),
    exited.then((code) => {
      throw new Error(`Temporal dev server exited during start (code ${code})`);
    }),
  ]);
  await waitUntilListening(host, options.uiPort, 30_000, 'Temporal Web UI');
  return {
    address: options.address,
    uiUrl,
    mode: 'started',
    ...(child.pid ? { pid: child.pid } : {}),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

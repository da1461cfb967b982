import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Finds (or builds) the Temporal CLI that runs the dev server.
 *
 * Order: TEMPORAL_CLI_PATH → `temporal` on PATH → our cache → `go install` from the Go module
 * proxy into the cache → the SDK's own download (machines with internet) → an error saying how
 * to install it. v1.5.1 is the newest CLI tag whose go.mod has no `replace` directive, which
 * `go install pkg@version` requires.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export type TemporalCli =
  | { kind: 'path'; path: string; source: 'env' | 'PATH' | 'cache' | 'built' }
  | { kind: 'sdk-download'; downloadDir: string };

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Build with `go install` when nothing is found (default true). */
  build?: boolean;
  /** Fall back to the SDK's download when Go is missing (default true). */
  allowDownload?: boolean;
  log?: (line: string) => void;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'order-erp', `temporal-${TEMPORAL_CLI_VERSION.replace(/^v/, '')}`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function runsDevServer(binary: string): boolean {
  const result = spawnSync(binary, ['server', 'start-dev', '--help'], { stdio: 'ignore', timeout: 15_000 });
  return result.status === 0;
}

function findGo(env: NodeJS.ProcessEnv): string | undefined {
  return onPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Builds the CLI from the Go module proxy into `dir`, streaming progress. The first build takes minutes. */
export async function buildWithGo(go: string, dir: string, log: (line: string) => void): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
  log(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${dir} (first time only; takes a few minutes)…`,
  );
  const started = Date.now();
  const child = spawn(go, ['install', '-v', target], {
    env: { ...process.env, GOBIN: dir, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let packages = 0;
  let lastError = '';
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (line.startsWith('go: downloading')) log(`  ${line}`);
      else if (/error|refused|not found|cannot/i.test(line)) {
        lastError += `${line}\n`;
        log(`  ${line}`);
      } else packages += 1;
    }
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  …still building (${packages} packages compiled, ${secs}s)`);
  }, 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(ticker);
  const binary = path.join(dir, 'temporal');
  if (code !== 0 || !isExecutable(binary)) {
    throw new Error(
      `go install ${target} failed (exit ${code}).\n${lastError.trim()}\n` +
        'If the module proxy refused a module, set GOPROXY or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH.',
    );
  }
  log(`Built ${binary} in ${Math.round((Date.now() - started) / 1000)}s.`);
  return binary;
}

export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<TemporalCli> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    return { kind: 'path', path: env.TEMPORAL_CLI_PATH, source: 'env' };
  }
  const fromPath = onPath('temporal', env);
  if (fromPath && runsDevServer(fromPath)) return { kind: 'path', path: fromPath, source: 'PATH' };

  const dir = cacheDir(env);
  const cached = path.join(dir, 'temporal');
  if (existsSync(cached) && isExecutable(cached) && runsDevServer(cached)) {
    return { kind: 'path', path: cached, source: 'cache' };
  }

  const go = findGo(env);
  if (go && options.build !== false) {
    return { kind: 'path', path: await buildWithGo(go, dir, log), source: 'built' };
  }
  if (options.allowDownload !== false) {
    log('No Temporal CLI and no Go toolchain found; using the Temporal SDK download (needs internet).');
    return { kind: 'sdk-download', downloadDir: dir };
  }
  throw new Error(
    'No Temporal CLI found. Install Go (https://go.dev/dl) and run `npm run temporal:cli`, ' +
      `or run \`GOBIN=${dir} go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}\`, ` +
      'or install the CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH.',
  );
}

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo, goBuildInModule, isExecutable, onPath, orderErpCacheDir } from './go-install.js';

/**
 * Finds (or builds) the Temporal CLI that runs the dev server.
 *
 * Order: TEMPORAL_CLI_PATH → `temporal` on PATH → our cache → built with Go from the module proxy
 * into the cache → the SDK's own download (machines with internet) → an error saying how to install
 * it. v1.5.1 is the newest CLI tag whose go.mod has no `replace` directive.
 *
 * It is built inside `scripts/temporal-cli/` (a go.mod of ours that requires the CLI) rather than
 * with `go install …@v1.5.1`, to take the SQLite driver the dev server stores its data with up to
 * modernc.org/sqlite v1.44.3. The v1.34.1 the CLI's go.mod names can leave its one connection
 * interrupted for good once a query is cancelled under load: every call then fails with
 * "interrupted (9)" and "Namespace not found: 'default'" until the server is restarted (seen on
 * this machine beside the test suite; docs/dev-server.md). Temporal moved its own SQLite to
 * v1.44.3 for the same errors (temporalio/temporal#9198).
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const SQLITE_DRIVER_VERSION = 'v1.44.3';
const MODULE_DIR = fileURLToPath(new URL('./temporal-cli/', import.meta.url));

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
  const cli = TEMPORAL_CLI_VERSION.replace(/^v/, '');
  const sqlite = SQLITE_DRIVER_VERSION.replace(/^v/, '');
  return path.join(orderErpCacheDir(env), `temporal-${cli}-sqlite-${sqlite}`);
}

function runsDevServer(binary: string): boolean {
  const result = spawnSync(binary, ['server', 'start-dev', '--help'], { stdio: 'ignore', timeout: 15_000 });
  return result.status === 0;
}

/** Builds the CLI from the Go module proxy into `dir`, streaming progress. The first build takes minutes. */
export async function buildWithGo(go: string, dir: string, log: (line: string) => void): Promise<string> {
  return goBuildInModule({
    go,
    label: `the Temporal CLI ${TEMPORAL_CLI_VERSION} (SQLite driver ${SQLITE_DRIVER_VERSION})`,
    moduleDir: MODULE_DIR,
    pkg: TEMPORAL_CLI_MODULE,
    output: path.join(dir, 'temporal'),
    log,
  });
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
      `or run \`go build -C ${MODULE_DIR} -o ${dir}/temporal ${TEMPORAL_CLI_MODULE}\`, ` +
      'or install the CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH.',
  );
}

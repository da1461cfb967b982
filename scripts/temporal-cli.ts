import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findGo, goInstall, isExecutable, onPath, orderErpCacheDir } from './go-install.js';

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
  return path.join(orderErpCacheDir(env), `temporal-${TEMPORAL_CLI_VERSION.replace(/^v/, '')}`);
}

function runsDevServer(binary: string): boolean {
  const result = spawnSync(binary, ['server', 'start-dev', '--help'], { stdio: 'ignore', timeout: 15_000 });
  return result.status === 0;
}

/** Builds the CLI from the Go module proxy into `dir`, streaming progress. The first build takes minutes. */
export async function buildWithGo(go: string, dir: string, log: (line: string) => void): Promise<string> {
  const [binary] = await goInstall({
    go,
    label: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    packages: [TEMPORAL_CLI_MODULE],
    version: TEMPORAL_CLI_VERSION,
    dir,
    log,
  });
  return binary!;
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

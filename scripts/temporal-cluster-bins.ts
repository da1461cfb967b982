import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findGo, goInstall, isExecutable, orderErpCacheDir } from './go-install.js';

/**
 * The programs of the production shape, built from the Go module proxy and cached like the CLI
 * (temporal-cli.ts): the Temporal server and its SQL schema tool at the version the cached CLI
 * embeds, Temporal Web (ui-server, its web assets embedded) at the version the CLI embeds, and
 * the PostgreSQL schema shipped in the server module, copied next to them. Neither module's
 * go.mod has a `replace` directive, so `go install pkg@version` takes them as published.
 */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_UI_SERVER_MODULE = 'github.com/temporalio/ui-server/v2';
export const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';

export interface ClusterBinaries {
  /** `temporal-server` (go.temporal.io/server/cmd/server). */
  server: string;
  /** `temporal-sql-tool` (go.temporal.io/server/cmd/tools/sql). */
  sqlTool: string;
  /** `temporal-ui-server` (github.com/temporalio/ui-server/v2/cmd/server). */
  uiServer: string;
  /** schema/postgresql/v12 of the server module: `temporal/` and `visibility/`, each with `versioned/`. */
  schemaDir: string;
}

const bare = (version: string) => version.replace(/^v/, '');

export function clusterCacheDirs(env: NodeJS.ProcessEnv = process.env) {
  const base = orderErpCacheDir(env);
  return {
    server: path.join(base, `temporal-server-${bare(TEMPORAL_SERVER_VERSION)}`),
    ui: path.join(base, `temporal-ui-server-${bare(TEMPORAL_UI_SERVER_VERSION)}`),
  };
}

export function cachedClusterBinaries(env: NodeJS.ProcessEnv = process.env): ClusterBinaries {
  const dirs = clusterCacheDirs(env);
  return {
    server: path.join(dirs.server, 'temporal-server'),
    sqlTool: path.join(dirs.server, 'temporal-sql-tool'),
    uiServer: path.join(dirs.ui, 'temporal-ui-server'),
    schemaDir: path.join(dirs.server, 'schema', 'postgresql', 'v12'),
  };
}

function complete(bins: ClusterBinaries): boolean {
  return (
    isExecutable(bins.server) &&
    isExecutable(bins.sqlTool) &&
    isExecutable(bins.uiServer) &&
    existsSync(path.join(bins.schemaDir, 'temporal', 'versioned')) &&
    existsSync(path.join(bins.schemaDir, 'visibility', 'versioned'))
  );
}

/** Copies schema/postgresql/v12 out of the server module as the module proxy serves it. */
async function copySchema(go: string, target: string): Promise<void> {
  // Outside any module, so the download is the published module and nothing else.
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'temporal-schema-'));
  const result = spawnSync(
    go,
    ['mod', 'download', '-json', `${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    },
  );
  await rm(cwd, { recursive: true, force: true });
  const dir = result.status === 0 ? (JSON.parse(result.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir)
    throw new Error(
      `go mod download ${TEMPORAL_SERVER_MODULE}@${TEMPORAL_SERVER_VERSION} failed: ${result.stderr}`,
    );
  await rm(target, { recursive: true, force: true });
  await cp(path.join(dir, 'schema', 'postgresql', 'v12'), target, { recursive: true });
  // The module cache is read-only; the copy need not be (a cache someone may clear).
  spawnSync('chmod', ['-R', 'u+w', target]);
}

export interface ResolveClusterOptions {
  env?: NodeJS.ProcessEnv;
  /** Build what is missing with `go install` (default true). */
  build?: boolean;
  log?: (line: string) => void;
}

/** The cached programs, building whatever is missing (the first time takes several minutes). */
export async function resolveClusterBinaries(options: ResolveClusterOptions = {}): Promise<ClusterBinaries> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bins = cachedClusterBinaries(env);
  if (complete(bins)) return bins;
  const go = findGo(env);
  if (!go || options.build === false) {
    const dirs = clusterCacheDirs(env);
    throw new Error(
      'The Temporal server, its SQL tool and Temporal Web are not built yet. Install Go (https://go.dev/dl) ' +
        'and run `npm run temporal:cluster -- build`, or run ' +
        `\`GOBIN=${dirs.server} go install ${TEMPORAL_SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION} ` +
        `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}\` and ` +
        `\`GOBIN=${dirs.ui} go install ${TEMPORAL_UI_SERVER_MODULE}/cmd/server@${TEMPORAL_UI_SERVER_VERSION}\`.`,
    );
  }
  const dirs = clusterCacheDirs(env);
  if (!isExecutable(bins.server) || !isExecutable(bins.sqlTool)) {
    await goInstall({
      go,
      label: `the Temporal server and SQL tool ${TEMPORAL_SERVER_VERSION}`,
      packages: [`${TEMPORAL_SERVER_MODULE}/cmd/server`, `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql`],
      version: TEMPORAL_SERVER_VERSION,
      dir: dirs.server,
      rename: { server: 'temporal-server', sql: 'temporal-sql-tool' },
      log,
    });
  }
  if (!isExecutable(bins.uiServer)) {
    await goInstall({
      go,
      label: `Temporal Web (ui-server) ${TEMPORAL_UI_SERVER_VERSION}`,
      packages: [`${TEMPORAL_UI_SERVER_MODULE}/cmd/server`],
      version: TEMPORAL_UI_SERVER_VERSION,
      dir: dirs.ui,
      rename: { server: 'temporal-ui-server' },
      log,
    });
  }
  if (!complete(bins)) await copySchema(go, bins.schemaDir);
  return bins;
}

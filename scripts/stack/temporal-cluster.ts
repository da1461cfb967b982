import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection, type Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import { ensureSearchAttributes } from '../../worker/search-attributes.js';
import { OrderStatusKey } from '../../workflows/search-attributes.js';
import type { ClusterBinaries } from '../temporal-cluster-bins.js';
import { supervise, untilReady } from './node-process.js';
import { isListening, waitUntilListening } from './temporal-server.js';

/**
 * The production shape of Temporal, run here: the real server (frontend, history, matching and
 * worker services in one process) with PostgreSQL persistence and visibility (`postgres12`) from a
 * generated config file, its two databases created and migrated with the server's own SQL tool and
 * the schema shipped in its module, our namespace and search attributes registered; and Temporal
 * Web (ui-server) pointed at it and at the API's /codec. docker-compose.yml runs the same shape in
 * containers.
 */

export interface ClusterPostgres {
  host: string;
  port: number;
  user: string;
  password?: string;
}

export interface ClusterDatabases {
  /** Executions, tasks, namespaces, cluster metadata. */
  main: string;
  /** Workflow lists and search attributes. */
  visibility: string;
}

export const DEFAULT_CLUSTER_DATABASES: ClusterDatabases = {
  main: 'temporal',
  visibility: 'temporal_visibility',
};

/** The server's ports, laid out around the frontend's as in the server's own sample configs. */
export function clusterPorts(frontend: number) {
  return {
    frontend,
    frontendHttp: frontend + 10,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    membership: {
      frontend: frontend - 300,
      history: frontend - 299,
      matching: frontend - 298,
      worker: frontend - 294,
    },
  };
}

/** Whether nothing listens on 127.0.0.1:port. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A frontend port for a cluster of a run's own (a test file's, a benchmark's) whose neighbours are
 * free too: the other services' ports (clusterPorts) and +1000, where such a run puts Temporal Web.
 */
export async function freeFrontendPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    // Below Linux's ephemeral range (32768+), where outgoing connections take their ports.
    const frontend = 20_000 + Math.floor(Math.random() * 11_000);
    const ports = clusterPorts(frontend);
    const all = [
      ports.frontend,
      ports.frontendHttp,
      ports.history,
      ports.matching,
      ports.worker,
      ...Object.values(ports.membership),
      frontend + 1000,
    ];
    const free = await Promise.all(all.map(portFree));
    if (free.every(Boolean)) return frontend;
  }
  throw new Error('no free port range for a Temporal cluster');
}

/** A postgres:// URL's server and credentials (its database is not Temporal's). */
export function postgresFromUrl(url: string): ClusterPostgres {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

const yamlString = (value: string) => JSON.stringify(value);

function datastore(pgServer: ClusterPostgres, database: string, maxConns: number): string {
  return [
    '      sql:',
    '        pluginName: "postgres12"',
    `        databaseName: ${yamlString(database)}`,
    `        connectAddr: ${yamlString(`${pgServer.host}:${pgServer.port}`)}`,
    '        connectProtocol: "tcp"',
    `        user: ${yamlString(pgServer.user)}`,
    `        password: ${yamlString(pgServer.password ?? '')}`,
    `        maxConns: ${maxConns}`,
    `        maxIdleConns: ${maxConns}`,
    '        maxConnLifetime: "1h"',
  ].join('\n');
}

/**
 * The server's config file: one process, every service bound to the loopback address, four
 * history shards (fixed for the life of the databases), logs at `logLevel` on stdout.
 */
export function serverConfigYaml(options: {
  postgres: ClusterPostgres;
  databases: ClusterDatabases;
  frontendPort: number;
  dynamicConfigFile: string;
  logLevel?: string;
}): string {
  const ports = clusterPorts(options.frontendPort);
  const service = (name: string, grpc: number, membership: number, extra: string[] = []) =>
    [
      `  ${name}:`,
      '    rpc:',
      `      grpcPort: ${grpc}`,
      `      membershipPort: ${membership}`,
      '      bindOnLocalHost: true',
      ...extra.map((line) => `      ${line}`),
    ].join('\n');
  return `${[
    '# Written by scripts/stack/temporal-cluster.ts on every start; edits are overwritten.',
    'log:',
    '  stdout: true',
    `  level: ${options.logLevel ?? 'warn'}`,
    '',
    'persistence:',
    '  defaultStore: postgres-default',
    '  visibilityStore: postgres-visibility',
    '  numHistoryShards: 4',
    '  datastores:',
    '    postgres-default:',
    datastore(options.postgres, options.databases.main, 20),
    '    postgres-visibility:',
    datastore(options.postgres, options.databases.visibility, 5),
    '',
    'global:',
    '  membership:',
    '    maxJoinDuration: 30s',
    '    broadcastAddress: "127.0.0.1"',
    '',
    'services:',
    service('frontend', ports.frontend, ports.membership.frontend, [`httpPort: ${ports.frontendHttp}`]),
    service('history', ports.history, ports.membership.history),
    service('matching', ports.matching, ports.membership.matching),
    service('worker', ports.worker, ports.membership.worker),
    '',
    'clusterMetadata:',
    '  enableGlobalNamespace: false',
    '  failoverVersionIncrement: 10',
    '  masterClusterName: "active"',
    '  currentClusterName: "active"',
    '  clusterInformation:',
    '    active:',
    '      enabled: true',
    '      initialFailoverVersion: 1',
    '      rpcName: "frontend"',
    `      rpcAddress: "127.0.0.1:${ports.frontend}"`,
    '',
    'dcRedirectionPolicy:',
    '  policy: "noop"',
    '',
    'dynamicConfigClient:',
    `  filepath: ${yamlString(options.dynamicConfigFile)}`,
    '  pollInterval: "10s"',
  ].join('\n')}\n`;
}

/** Dynamic config: none of the dev server's shortcuts, only what a production cluster would set too. */
export const DYNAMIC_CONFIG_YAML = `# Written by scripts/stack/temporal-cluster.ts on every start.
# The namespace cache refreshes every 10 s by default: a namespace registered at start is usable
# sooner (the dev stack registers ours right after the server starts).
system.namespaceCacheRefreshInterval:
  - value: 2s
`;

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/**
 * Creates Temporal's two databases when missing and brings their schema to the newest version
 * shipped in the server module, with the server's SQL tool (create, setup-schema -v 0.0,
 * update-schema), as Temporal's own docs do it. Safe to run on every start: an up-to-date schema is
 * left alone. Returns the databases it created.
 */
export async function setupTemporalDatabases(options: {
  bins: ClusterBinaries;
  postgres: ClusterPostgres;
  databases: ClusterDatabases;
  log?: (line: string) => void;
}): Promise<string[]> {
  const { bins, postgres } = options;
  const admin = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    ...(postgres.password ? { password: postgres.password } : {}),
    database: 'postgres',
  });
  await admin.connect();
  let existing: Set<string>;
  try {
    const rows = await admin.query<{ datname: string }>('select datname from pg_database');
    existing = new Set(rows.rows.map((row) => row.datname));
  } finally {
    await admin.end();
  }
  // The password goes through the environment, never the command line.
  const env = { ...process.env, SQL_PASSWORD: postgres.password ?? '' };
  const common = [
    '--plugin',
    'postgres12',
    '--ep',
    postgres.host,
    '-p',
    String(postgres.port),
    '-u',
    postgres.user,
  ];
  const tool = async (database: string, args: string[]) => {
    const result = await run(bins.sqlTool, [...common, '--db', database, ...args], env);
    if (result.code !== 0) {
      throw new Error(
        `temporal-sql-tool --db ${database} ${args.join(' ')} failed:\n${result.output.trim()}`,
      );
    }
  };
  const created: string[] = [];
  for (const [kind, database] of [
    ['temporal', options.databases.main],
    ['visibility', options.databases.visibility],
  ] as const) {
    if (!existing.has(database)) {
      await tool(database, ['create-database']);
      created.push(database);
      options.log?.(`created Temporal's database ${database}`);
    }
    await tool(database, ['setup-schema', '-v', '0.0']);
    await tool(database, ['update-schema', '-d', path.join(bins.schemaDir, kind, 'versioned')]);
  }
  return created;
}

export interface ClusterProcess {
  address: string;
  /** 'started' when we run it, 'existing' when something already listened there. */
  mode: 'started' | 'existing';
  /** The process, when we run it (a benchmark reads its CPU and memory from /proc). */
  pid?: number;
  stop(): Promise<void>;
}

async function retryUntil<T>(what: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

const ALREADY_EXISTS = 6;
// @temporalio/proto is CommonJS: its namespaces come through the default export under ESM.
const WORKFLOW_TASK_QUEUE = proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW;

/**
 * Registers `namespace` when missing (3 days' retention for closed workflows) and our search
 * attributes in it, then waits until both are in use: a list query on a search attribute
 * answers, as the workers' and the API's will.
 */
export async function registerNamespace(address: string, namespace: string, timeoutMs = 90_000) {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
      .catch((err: { code?: number }) => {
        if (err.code !== ALREADY_EXISTS) throw err;
      });
    await retryUntil('registering the search attributes', timeoutMs, () =>
      ensureSearchAttributes(connection, namespace),
    );
    await retryUntil(`namespace ${namespace} in use`, timeoutMs, () =>
      connection.workflowService.listWorkflowExecutions({
        namespace,
        pageSize: 1,
        query: `${OrderStatusKey.name} = "held"`,
      }),
    );
  } finally {
    await connection.close();
  }
}

export interface ClusterServerOptions {
  bins: ClusterBinaries;
  postgres: ClusterPostgres;
  databases?: ClusterDatabases;
  /** host:port of the frontend; the other services take ports next to it (clusterPorts). */
  address: string;
  namespace: string;
  /** Config files and the server's working directory. */
  dir: string;
  log: (line: string) => void;
  logLevel?: string;
}

/**
 * Sets up the databases, writes the config and starts the server; resolves once the namespace and
 * search attributes are in use. Reuses a server already listening at the address.
 */
export async function startClusterServer(options: ClusterServerOptions): Promise<ClusterProcess> {
  const [host = '127.0.0.1', portText = '7233'] = options.address.split(':');
  const port = Number(portText);
  if (await isListening(host, port)) {
    options.log(`Temporal already running at ${options.address}; using it`);
    await registerNamespace(options.address, options.namespace);
    return { address: options.address, mode: 'existing', stop: async () => {} };
  }
  const databases = options.databases ?? DEFAULT_CLUSTER_DATABASES;
  await setupTemporalDatabases({
    bins: options.bins,
    postgres: options.postgres,
    databases,
    log: options.log,
  });

  const configDir = path.join(options.dir, 'config');
  await mkdir(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamic.yaml');
  await writeFile(dynamicConfigFile, DYNAMIC_CONFIG_YAML);
  // Holds the database password when there is one.
  await writeFile(
    path.join(configDir, 'cluster.yaml'),
    serverConfigYaml({
      postgres: options.postgres,
      databases,
      frontendPort: port,
      dynamicConfigFile,
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    }),
    { mode: 0o600 },
  );
  const child = spawn(
    options.bins.server,
    ['--root', options.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
    { cwd: options.dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const supervised = supervise(child, 'temporal', options.log);
  await untilReady(supervised, 'Temporal server', async () => {
    await waitUntilListening(host, port, 120_000, 'Temporal server');
    await registerNamespace(options.address, options.namespace);
  });
  return {
    address: options.address,
    mode: 'started',
    ...(child.pid ? { pid: child.pid } : {}),
    stop: () => supervised.stop(),
  };
}

export interface TemporalWebOptions {
  bins: ClusterBinaries;
  /** The frontend's host:port. */
  address: string;
  host?: string;
  port: number;
  namespace: string;
  /** The API's /codec: Temporal Web decodes encrypted payloads there (docs/data-protection.md). */
  codecEndpoint?: string;
  dir: string;
  log: (line: string) => void;
}

/** Temporal Web's config file (ui-server reads `<root>/<config>/<env>.yaml`). */
export function webConfigYaml(options: Omit<TemporalWebOptions, 'bins' | 'dir' | 'log'>): string {
  return `${[
    '# Written by scripts/stack/temporal-cluster.ts on every start; edits are overwritten.',
    `temporalGrpcAddress: ${yamlString(options.address)}`,
    `host: ${yamlString(options.host ?? '127.0.0.1')}`,
    `port: ${options.port}`,
    'enableUi: true',
    `defaultNamespace: ${yamlString(options.namespace)}`,
    'showTemporalSystemNamespace: false',
    'notifyOnNewVersion: false',
    'refreshInterval: 1m',
    'cors:',
    '  cookieInsecure: true',
    '  allowOrigins: []',
    'codec:',
    `  endpoint: ${yamlString(options.codecEndpoint ?? '')}`,
    // The codec session cookie (docs/data-protection.md) goes with every decode request.
    `  includeCredentials: ${options.codecEndpoint ? 'true' : 'false'}`,
    '  passAccessToken: false',
    'forwardHeaders: []',
  ].join('\n')}\n`;
}

export async function startTemporalWeb(options: TemporalWebOptions): Promise<ClusterProcess> {
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${options.port}`;
  if (await isListening(host, options.port)) {
    options.log(`something already listens at ${url}; using it as Temporal Web`);
    return { address: url, mode: 'existing', stop: async () => {} };
  }
  const configDir = path.join(options.dir, 'config');
  await mkdir(configDir, { recursive: true });
  await writeFile(path.join(configDir, 'cluster.yaml'), webConfigYaml(options));
  const child = spawn(
    options.bins.uiServer,
    ['--root', options.dir, '--config', 'config', '--env', 'cluster', 'start'],
    { cwd: options.dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const supervised = supervise(child, 'temporal-web', options.log);
  await untilReady(supervised, 'Temporal Web', () =>
    waitUntilListening(host, options.port, 60_000, 'Temporal Web'),
  );
  return { address: url, mode: 'started', stop: () => supervised.stop() };
}

/**
 * Waits until a worker of each process in `pids` polls `taskQueue` for workflow tasks (the SDK's
 * default identity is `pid@host`), so "ready" means the workers are taking work.
 */
export async function waitForPollers(
  client: Client,
  taskQueue: string,
  pids: number[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing = pids;
  while (Date.now() < deadline) {
    const response = await client.workflowService
      .describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: WORKFLOW_TASK_QUEUE,
      })
      .catch(() => undefined);
    const identities = (response?.pollers ?? []).map((poller) => poller.identity ?? '');
    missing = pids.filter((pid) => !identities.some((identity) => identity.startsWith(`${pid}@`)));
    if (missing.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `worker process${missing.length === 1 ? '' : 'es'} ${missing.join(', ')} not polling ${taskQueue} within ${timeoutMs / 1000}s`,
  );
}

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { resolveClusterBinaries, type ClusterBinaries } from '../../scripts/temporal-cluster-bins.js';
import {
  freeFrontendPort,
  postgresFromUrl,
  startClusterServer,
  startTemporalWeb,
  type ClusterDatabases,
  type ClusterProcess,
} from '../../scripts/stack/temporal-cluster.js';

export interface TestCluster {
  bins: ClusterBinaries;
  address: string;
  webUrl: string;
  webPort: number;
  databases: ClusterDatabases;
  dir: string;
  server: ClusterProcess;
  web: ClusterProcess;
  /** The server's console lines, for a failing test's message. */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * The production shape's Temporal for one test file: the real server on the test PostgreSQL with
 * databases of its own, and Temporal Web pointed at it and at `codecEndpoint`.
 */
export async function startTestCluster(options: { codecEndpoint?: string } = {}): Promise<TestCluster> {
  const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);
  const bins = await resolveClusterBinaries({ log });
  const suffix = randomUUID().slice(0, 8);
  const databases = { main: `temporal_test_${suffix}`, visibility: `temporal_test_${suffix}_visibility` };
  const adminUrl = inject('databaseAdminUrl');
  const postgres = postgresFromUrl(adminUrl);
  const frontend = await freeFrontendPort();
  const address = `127.0.0.1:${frontend}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'temporal-cluster-'));
  const lines: string[] = [];
  const keep = (line: string) => lines.push(line);
  const server = await startClusterServer({
    bins,
    postgres,
    databases,
    address,
    namespace: 'default',
    dir: path.join(dir, 'server'),
    log: keep,
  });
  const webPort = frontend + 1000;
  const web = await startTemporalWeb({
    bins,
    address,
    port: webPort,
    namespace: 'default',
    ...(options.codecEndpoint ? { codecEndpoint: options.codecEndpoint } : {}),
    dir: path.join(dir, 'web'),
    log: keep,
  });
  return {
    bins,
    address,
    webUrl: `http://127.0.0.1:${webPort}`,
    webPort,
    databases,
    dir,
    server,
    web,
    lines,
    async stop() {
      await web.stop();
      await server.stop();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        for (const database of Object.values(databases)) {
          await admin.query(`drop database if exists "${database}" with (force)`);
        }
      } finally {
        await admin.end();
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

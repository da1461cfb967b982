import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, withDatabase } from '../../db/connect.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../db/embedded.js';
import { migrateToLatest } from '../../db/migrate.js';
import { throwawayDataDir } from '../../scripts/stack/temporal-server.js';
import { resolveTemporalCli } from '../../scripts/temporal-cli.js';
import { ensureUiBuilt } from '../../scripts/ui-build.js';
import { workflowsPath } from '../../worker/create-worker.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** Temporal Web of the test server (the web UI links orders to it). */
    temporalUiUrl: string;
    workflowBundlePath: string;
    databaseAdminUrl: string;
    templateDatabase: string;
  }
}

const TMP = path.resolve('tests/.tmp');

/**
 * Once per test run: one Temporal dev server, one workflow bundle, one migrated template database.
 * Each test file then copies the template into its own database (see harness.ts).
 */
export default async function setup(project: TestProject) {
  await mkdir(TMP, { recursive: true });
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[setup] ${line}\n`);

  const cli = await resolveTemporalCli({ log });
  const uiPort = await freePort();
  // In a file, not in memory: a loaded machine can drop the server's one connection, and an
  // in-memory database goes with it (throwawayDataDir says more).
  const temporalDir = await throwawayDataDir('erp-test-temporal-');
  const [env, bundle, database] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        dbFilename: path.join(temporalDir, 'temporal.sqlite'),
        // Temporal Web too: the web UI's browser tests follow an order's link into it.
        ui: true,
        uiPort,
        executable:
          cli.kind === 'path'
            ? { type: 'existing-path', path: cli.path }
            : { type: 'cached-download', downloadDir: cli.downloadDir },
        searchAttributes: SEARCH_ATTRIBUTES,
        log: { format: 'pretty', level: 'error' },
      },
    }),
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger }),
    prepareDatabase(log),
    // The API serves ui/dist; built here once (when stale) so no two test files build at once.
    ensureUiBuilt(log),
  ]);

  const bundlePath = path.join(TMP, `workflow-bundle-${process.pid}.js`);
  await writeFile(bundlePath, bundle.code);
  project.provide('temporalAddress', env.address);
  project.provide('temporalUiUrl', `http://127.0.0.1:${uiPort}`);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('databaseAdminUrl', database.adminUrl);
  project.provide('templateDatabase', database.template);
  log(
    `Temporal dev server ${env.address} (${cli.kind === 'path' ? cli.path : 'SDK download'}), ready in ${Date.now() - started} ms`,
  );

  return async () => {
    await env.teardown();
    await rm(temporalDir, { recursive: true, force: true });
    await database.cleanup();
    await rm(bundlePath, { force: true });
  };
}

async function prepareDatabase(log: (line: string) => void) {
  let embedded: EmbeddedPostgresHandle | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // A cluster of this run's own, so parallel runs on one machine never share a data directory.
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(TMP, `postgres-${process.pid}`),
      port: await freePort(),
      persistent: false,
    });
    adminUrl = embedded.adminUrl;
    log(`embedded PostgreSQL at ${adminUrl.replace(/:[^:@/]+@/, ':***@')}`);
  }
  const template = `erp_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const db = createDb({ url: withDatabase(adminUrl, template), poolSize: 1 });
  await migrateToLatest(db);
  await db.destroy();

  return {
    adminUrl,
    template,
    async cleanup() {
      // Drop this run's databases (template and per-file copies); the machine's server is shared.
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname = $1 or datname like $2`,
        [template, `erp_test_${process.pid}_%`],
      );
      for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
      await admin.end();
      await embedded?.stop();
    },
  };
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    process.stderr.write(`[bundle] ${message}\n`);
  },
  error(message: string) {
    process.stderr.write(`[bundle] ${message}\n`);
  },
};

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../db/connect.js';
import { postgresFromUrl, startClusterServer } from '../../scripts/stack/temporal-cluster.js';
import { OrderStatusKey, PlatformKey, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { startTestCluster, type TestCluster } from './support.js';

// The production shape's Temporal (docs/cluster.md): the real server built from the module proxy,
// PostgreSQL persistence and visibility, set up with the server's own SQL tool and schema, and
// Temporal Web in front of it.

let cluster: TestCluster;
const codecEndpoint = 'http://127.0.0.1:3999/codec';

beforeAll(async () => {
  cluster = await startTestCluster({ codecEndpoint });
});
afterAll(async () => {
  await cluster?.stop();
});

async function query<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: withDatabase(inject('databaseAdminUrl'), database) });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The newest version in a schema's versioned/ directory, as the SQL tool reads it. */
async function newestVersion(dir: string): Promise<string> {
  const versions = (await readdir(dir)).map((name) => name.replace(/^v/, ''));
  const key = (v: string) => v.split('.').map(Number);
  versions.sort((a, b) => key(a)[0]! - key(b)[0]! || key(a)[1]! - key(b)[1]!);
  return versions.at(-1)!;
}

describe('Temporal on PostgreSQL', () => {
  it('keeps its state in its own two databases, at the schema version its module ships', async () => {
    const [main] = await query<{ curr_version: string }>(
      cluster.databases.main,
      'select curr_version from schema_version',
    );
    expect(main!.curr_version).toBe(
      await newestVersion(path.join(cluster.bins.schemaDir, 'temporal', 'versioned')),
    );
    const [visibility] = await query<{ curr_version: string }>(
      cluster.databases.visibility,
      'select curr_version from schema_version',
    );
    expect(visibility!.curr_version).toBe(
      await newestVersion(path.join(cluster.bins.schemaDir, 'visibility', 'versioned')),
    );
    const namespaces = await query<{ name: string }>(cluster.databases.main, 'select name from namespaces');
    expect(namespaces.map((n) => n.name)).toContain('default');
  });

  it('has our search attributes, and finds a workflow by them after a restart', async () => {
    const connection = await Connection.connect({ address: cluster.address });
    try {
      const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of SEARCH_ATTRIBUTES)
        expect(Object.keys(attributes.customAttributes ?? {})).toContain(key.name);

      const client = new Client({ connection });
      // No worker needed: the start alone is recorded, in PostgreSQL, with its search attributes.
      const workflowId = `cluster-probe-${Date.now()}`;
      await client.workflow.start('probeWorkflow', {
        taskQueue: 'cluster-probe',
        workflowId,
        typedSearchAttributes: [
          { key: OrderStatusKey, value: 'held' },
          { key: PlatformKey, value: 'jd' },
        ],
      });
      const listed = async () => {
        const ids: string[] = [];
        for await (const wf of client.workflow.list({ query: `OrderStatus = "held" AND Platform = "jd"` }))
          ids.push(wf.workflowId);
        return ids;
      };
      await expect.poll(listed).toEqual([workflowId]);
      const rows = await query<{ workflow_id: string }>(
        cluster.databases.visibility,
        `select workflow_id from executions_visibility where workflow_id = '${workflowId}'`,
      );
      expect(rows).toHaveLength(1);

      // Stopped and started again on the same databases: nothing to set up, everything still there.
      await cluster.server.stop();
      cluster.server = await startClusterServer({
        bins: cluster.bins,
        postgres: postgresFromUrl(inject('databaseAdminUrl')),
        databases: cluster.databases,
        address: cluster.address,
        namespace: 'default',
        dir: path.join(cluster.dir, 'server'),
        log: (line) => cluster.lines.push(line),
      });
      const again = await Connection.connect({ address: cluster.address });
      try {
        const afterRestart = new Client({ connection: again });
        const description = await afterRestart.workflow.getHandle(workflowId).describe();
        expect(description.status.name).toBe('RUNNING');
        await expect
          .poll(async () => {
            const ids: string[] = [];
            for await (const wf of afterRestart.workflow.list({ query: `OrderStatus = "held"` }))
              ids.push(wf.workflowId);
            return ids;
          })
          .toEqual([workflowId]);
        await afterRestart.workflow.getHandle(workflowId).terminate('probe done');
      } finally {
        await again.close();
      }
    } finally {
      await connection.close();
    }
  });

  it('serves Temporal Web, which reads the server and decodes through the API’s /codec', async () => {
    const page = await fetch(`${cluster.webUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const settings = (await (await fetch(`${cluster.webUrl}/api/v1/settings`)).json()) as {
      DefaultNamespace: string;
      Codec: { Endpoint: string; IncludeCredentials: boolean };
    };
    expect(settings.DefaultNamespace).toBe('default');
    expect(settings.Codec).toMatchObject({ Endpoint: codecEndpoint, IncludeCredentials: true });
    // Through Temporal Web's API to the server's frontend (which the test above restarted: Temporal
    // Web reconnects by itself).
    await expect
      .poll(async () => {
        const response = await fetch(`${cluster.webUrl}/api/v1/namespaces/default`);
        return response.ok
          ? ((await response.json()) as { namespaceInfo: { name: string } }).namespaceInfo.name
          : response.status;
      })
      .toBe('default');
  });
});

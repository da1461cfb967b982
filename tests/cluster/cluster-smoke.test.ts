import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import {
  startNodeProcess,
  waitUntilHealthy,
  type SupervisedProcess,
} from '../../scripts/stack/node-process.js';
import { freeFrontendPort, waitForPollers } from '../../scripts/stack/temporal-cluster.js';
import { stateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { TEST_DATA_KEYS } from '../support/data-keys.js';
import { createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import {
  handOver,
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus, waitForState } from '../support/waits.js';
import { startTestCluster, type TestCluster } from './support.js';

// The production shape end to end (docs/cluster.md): the real Temporal server on PostgreSQL, the
// API as a process of its own reached over HTTP, and two worker processes sharing the work. Orders
// from two platforms go to the buyer's door; a held order is approved by a person first.

let cluster: TestCluster;
let h: Harness;
let carriers: CarrierSandboxServer;
let apiProcess: SupervisedProcess;
let workers: SupervisedProcess[] = [];
let apiUrl: string;
const settings = { WAVE_WINDOW_SECONDS: '1', TRACKING_POLL_SECONDS: '1', TRACKING_NO_SCAN_SECONDS: '3600' };

/** The API process over HTTP, shaped like the in-process API the test helpers drive. */
function overHttp(base: string): FastifyInstance {
  const api = {
    async inject(request: {
      method: string;
      url: string;
      headers?: Record<string, string>;
      payload?: unknown;
    }) {
      const body =
        request.payload === undefined
          ? undefined
          : typeof request.payload === 'string'
            ? request.payload
            : JSON.stringify(request.payload);
      const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...request.headers };
      const response = await fetch(`${base}${request.url}`, { method: request.method, headers, body });
      const text = await response.text();
      return {
        statusCode: response.status,
        body: text,
        headers: Object.fromEntries(response.headers),
        json: () => JSON.parse(text) as unknown,
      };
    },
  };
  return api as unknown as FastifyInstance;
}

beforeAll(async () => {
  const apiPort = await freeFrontendPort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  carriers = await startCarrierSandbox();
  cluster = await startTestCluster({ codecEndpoint: `${apiUrl}/codec` });
  h = await createHarness({ TEMPORAL_ADDRESS: cluster.address, ...carriers.env, ...settings });
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { 'SKU-001-RED-M': 20 } });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: h.databaseUrl,
    TEMPORAL_ADDRESS: cluster.address,
    TASK_QUEUE_ORDERS: h.config.TASK_QUEUE_ORDERS,
    STICKY_TIMEOUT_SECONDS: '1',
    WORKER_SHUTDOWN_GRACE_SECONDS: '2',
    CREDENTIALS_KEY: h.config.CREDENTIALS_KEY!,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    // The harness's keys: the processes and the test's client read each other's payloads.
    ...TEST_DATA_KEYS,
    ...carriers.env,
    ...settings,
  };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  apiProcess = startNodeProcess({ name: 'api', script: 'api/main.ts', env, log });
  workers = [1, 2].map((n) => startNodeProcess({ name: `worker-${n}`, script: 'worker/main.ts', env, log }));
  await waitUntilHealthy(`${apiUrl}/health`, 180_000, apiProcess.exited);
  await waitForPollers(
    h.client,
    h.config.TASK_QUEUE_ORDERS,
    workers.map((w) => w.child.pid!),
    180_000,
  );
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await apiProcess?.stop();
  await h?.teardown();
  await cluster?.stop();
  await carriers?.close();
});

describe('the cluster shape', () => {
  it('takes orders from two platforms and a held order to the door, the work shared by two workers', async () => {
    const api = overHttp(apiUrl);
    const ops = bearer(await apiKeyFor(h.db, ['ops']));
    const cs = bearer(await apiKeyFor(h.db, ['customer-service']));
    const wh = bearer(await apiKeyFor(h.db, ['warehouse']));
    const taobao = await createShop(h.db, 'taobao');
    const jd = await createShop(h.db, 'jd');
    await setupCarrierAccounts(h.db, taobao);
    await setupCarrierAccounts(h.db, jd);

    const plain = [
      { platform: 'taobao' as const, shopId: taobao, order: orderPush() },
      { platform: 'jd' as const, shopId: jd, order: orderPush() },
    ];
    // A buyer remark holds an order for customer service.
    const heldPush = {
      platform: 'jd' as const,
      shopId: jd,
      order: orderPush({
        buyerRemark: '请核对颜色再发',
        // Another buyer at another address: its own parcel, not merged with the other JD order.
        buyer: { id: 'buyer-2', nick: 'l**2' },
        receiver: { ...orderPush().receiver, name: '李四', phone: '13900005678', detail: '文二路200号' },
      }),
    };
    for (const entry of [...plain, heldPush]) {
      const res = await submitOrder(api, entry, ops);
      expect(res.statusCode, res.body).toBe(202);
    }
    const ids = [...plain, heldPush].map((e) =>
      orderWorkflowId(e.platform, e.shopId, e.order.platformOrderId),
    );
    const held = ids[2]!;

    await waitForOrderStatus(h.db, held, 'held');
    const approved = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(held)}/review`,
      headers: cs,
      payload: { decision: 'approve', note: '颜色已确认' },
    });
    expect(approved.statusCode, approved.body).toBeLessThan(300);

    // Every order gets its parcel; the warehouse works each wave once, packs and hands over.
    const parcels: string[] = [];
    for (const id of ids) {
      const state = await waitForState(h.client, id, (s) => s.parcels.length === 1);
      parcels.push(state.parcels[0]!.parcelId);
    }
    await waitForShipments(h.db, parcels);
    const waves = new Set<string>();
    for (const parcelId of parcels) {
      await expect
        .poll(
          async () =>
            (
              await h.db
                .selectFrom('shipments')
                .select('wave_id')
                .where('id', '=', parcelId)
                .executeTakeFirst()
            )?.wave_id,
        )
        .toBeTruthy();
    }
    const rows = await h.db
      .selectFrom('shipments')
      .select(['id', 'wave_id'])
      .where('id', 'in', parcels)
      .execute();
    for (const row of rows) waves.add(row.wave_id!);
    for (const waveId of waves) await workWave(api, wh, waveId);
    for (const parcelId of parcels) await packParcel(api, wh, parcelId);
    const tracking: string[] = [];
    for (const id of ids) {
      const labelled = await waitForState(h.client, id, (s) => s.parcels[0]?.trackingNumber != null);
      tracking.push(labelled.parcels[0]!.trackingNumber!);
    }
    for (const parcelId of parcels) await handOver(api, wh, parcelId);
    for (const id of ids) await waitForOrderStatus(h.db, id, 'shipped');
    for (const number of tracking) carriers.sandbox.network.finish(number);
    for (const id of ids) await waitForOrderStatus(h.db, id, 'completed');

    for (const id of ids) {
      const final = await h.client.workflow.getHandle(id).query(stateQuery);
      expect(final).toMatchObject({ status: 'completed', outcome: 'delivered' });
    }
    const heldStages = (
      await h.db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', held)
        .orderBy('seq')
        .execute()
    ).map((e) => e.stage);
    expect(heldStages.indexOf('review_approved')).toBeGreaterThan(-1);
    expect(heldStages.indexOf('review_approved')).toBeLessThan(heldStages.indexOf('shipped'));

    // Both worker processes did part of the work (tasks go to whichever worker polls first).
    const identities = new Set<string>();
    for (const id of [...ids, ...parcels.map((p) => `shipment:${p}`)]) {
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      for (const event of history.events ?? []) {
        const identity =
          event.workflowTaskStartedEventAttributes?.identity ??
          event.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.add(identity.split('@')[0]!);
      }
    }
    const pids = workers.map((w) => String(w.child.pid));
    expect([...identities].filter((pid) => pids.includes(pid)).sort()).toEqual([...pids].sort());
  });
});

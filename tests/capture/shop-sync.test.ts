import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, QUICK_SYNC, type Harness, type RunningWorker } from '../support/harness.js';
import { capturedIds, registerShop, waitForCaptured } from './support.js';
import type { Payload } from '@temporalio/common';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { EncryptionCodec } from '../../services/temporal/payload-codec.js';

let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
const shopIds = { taobao: uniqueId('tb'), pdd: uniqueId('pdd'), jd: uniqueId('jd') };

beforeAll(async () => {
  h = await createHarness({
    ...QUICK_SYNC,
    SYNC_ROUNDS_PER_RUN: '3',
    SYNC_ATTEMPTS_PER_CALL: '2',
    SYNC_ALERT_AFTER_FAILURES: '2',
  });
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  sandbox = await startSandbox({ shopIds });
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

async function orderWorkflowCount(shopId: string): Promise<number> {
  return (await h.client.workflow.count(`WorkflowType = 'orderWorkflow' AND ShopId = '${shopId}'`)).count;
}

describe('shopSyncWorkflow polling a Taobao shop every 2 seconds', () => {
  let worker: RunningWorker;

  it('captures orders created between polls exactly once, across a worker restart', async () => {
    const shopId = shopIds.taobao;
    const before = sandbox.placeOrders('taobao', { count: 12, scenario: 'group_buy' });
    worker = await h.startWorker();
    await registerShop(api, ops, sandbox.shop('taobao'), { pollIntervalSeconds: 2 });
    await waitForCaptured(
      h.db,
      shopId,
      before.map((o) => o.id),
    );

    const between = sandbox.placeOrders('taobao', { count: 8, scenario: 'normal_day' });
    await waitForCaptured(
      h.db,
      shopId,
      between.map((o) => o.id),
    );

    // The worker goes away; orders keep arriving on the platform meanwhile.
    await worker.stop();
    const whileDown = sandbox.placeOrders('taobao', { count: 9, scenario: 'group_buy' });
    worker = await h.startWorker({ identity: 'replacement' });
    const all = [...before, ...between, ...whileDown].map((o) => o.id).sort();
    await waitForCaptured(h.db, shopId, all);

    expect(await capturedIds(h.db, shopId)).toEqual(all);
    await expect.poll(() => orderWorkflowCount(shopId)).toBe(all.length);
  });

  it('keeps 19-digit Taobao ids exact in the orders row and the workflow id', async () => {
    const shopId = shopIds.taobao;
    const [order] = sandbox.placeOrders('taobao', { count: 1, scenario: 'group_buy' });
    expect(order!.id).toMatch(/^\d{19}$/);
    expect(Number.isSafeInteger(Number(order!.id))).toBe(false);
    await waitForCaptured(h.db, shopId, [order!.id]);
    const id = orderWorkflowId('taobao', shopId, order!.id);
    const row = await h.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.platform_order_id).toBe(order!.id);
    expect((await h.client.workflow.getHandle(id).describe()).workflowId).toBe(id);
  });

  it('continues as new every few polls and keeps its cursor', async () => {
    const handle = h.client.workflow.getHandle(shopSyncWorkflowId(shopIds.taobao));
    const state = await handle.query(shopSyncStateQuery);
    // SYNC_ROUNDS_PER_RUN=3: by now several runs have passed; their totals and cursor carried over.
    await expect.poll(async () => (await handle.query(shopSyncStateQuery)).totals.polls).toBeGreaterThan(3);
    const later = await handle.query(shopSyncStateQuery);
    expect(later.pollsThisRun).toBeLessThan(3);
    expect(later.cursor).not.toBeNull();
    expect(Date.parse(later.cursor!)).toBeGreaterThanOrEqual(
      Date.parse(state.cursor ?? '1970-01-01T00:00:00Z'),
    );
    const description = await handle.describe();
    expect(description.runId).not.toBe(description.raw.workflowExecutionInfo?.firstRunId);

    const [order] = sandbox.placeOrders('taobao', { count: 1, scenario: 'group_buy' });
    await waitForCaptured(h.db, shopIds.taobao, [order!.id]);
    const shop = await h.db
      .selectFrom('shops')
      .select(['sync_cursor', 'last_synced_at'])
      .where('id', '=', shopIds.taobao)
      .executeTakeFirstOrThrow();
    expect(shop.sync_cursor).not.toBeNull();
    expect(shop.last_synced_at).not.toBeNull();
  });
});

describe('a platform answering 429 and 5xx', () => {
  it('recovers with nothing lost; the alert is raised, then resolved', async () => {
    const shopId = shopIds.pdd;
    const faults = sandbox.platforms.pdd.faults;
    faults.fail('pdd.order.number.list.increment.get', 503, 3);
    faults.fail('pdd.order.number.list.increment.get', 429, 3, 1);
    const orders = sandbox.placeOrders('pdd', { count: 15, scenario: 'group_buy' });
    await registerShop(api, ops, sandbox.shop('pdd'), { pollIntervalSeconds: 2 });

    await expect
      .poll(
        async () => {
          const res = await api.inject({
            method: 'GET',
            url: `/alerts?shopId=${shopId}&includeResolved=true`,
            headers: ops,
          });
          return res.json().alerts.map((a: { kind: string }) => a.kind);
        },
        { interval: 200 },
      )
      .toContain('sync_failing');
    await waitForCaptured(
      h.db,
      shopId,
      orders.map((o) => o.id),
    );
    await expect
      .poll(
        async () =>
          (await api.inject({ method: 'GET', url: `/alerts?shopId=${shopId}`, headers: ops })).json().alerts,
      )
      .toEqual([]);
    const history = (
      await api.inject({ method: 'GET', url: `/alerts?shopId=${shopId}&includeResolved=true`, headers: ops })
    ).json().alerts;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ kind: 'sync_failing', shopId });
    expect(history[0].resolvedAt).not.toBeNull();
    expect(await capturedIds(h.db, shopId)).toEqual(orders.map((o) => o.id).sort());
  });
});

describe('a shop disabled for a while and enabled again', () => {
  it('resumes from its stored cursor and picks up exactly the orders placed while it was off, once', async () => {
    const shopId = shopIds.jd;
    const before = sandbox.placeOrders('jd', { count: 4, scenario: 'group_buy' });
    await registerShop(api, ops, sandbox.shop('jd'), { pollIntervalSeconds: 2 });
    await waitForCaptured(
      h.db,
      shopId,
      before.map((o) => o.id),
    );
    const handle = h.client.workflow.getHandle(shopSyncWorkflowId(shopId));
    // Let the polls move the cursor past the overlap window behind those orders.
    const placedAt = Date.now();
    await expect
      .poll(async () => Date.parse((await handle.query(shopSyncStateQuery)).cursor ?? '1970-01-01Z'), {})
      .toBeGreaterThan(placedAt + 6_000);

    const off = await api.inject({
      method: 'PATCH',
      url: `/shops/${shopId}`,
      headers: ops,
      payload: { syncEnabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
    const stored = await h.db
      .selectFrom('shops')
      .select('sync_cursor')
      .where('id', '=', shopId)
      .executeTakeFirstOrThrow();
    expect(stored.sync_cursor).not.toBeNull();
    const firstRun = (await handle.describe()).runId;

    const whileOff = sandbox.placeOrders('jd', { count: 5, scenario: 'group_buy' });
    const on = await api.inject({
      method: 'PATCH',
      url: `/shops/${shopId}`,
      headers: ops,
      payload: { syncEnabled: true },
    });
    expect(on.statusCode, on.body).toBe(200);
    await waitForCaptured(
      h.db,
      shopId,
      whileOff.map((o) => o.id),
    );

    const resumed = h.client.workflow.getHandle(shopSyncWorkflowId(shopId));
    expect((await resumed.describe()).runId).not.toBe(firstRun);
    // The new run read from the stored cursor less the overlap, not from the initial one-day
    // lookback: its first listing window starts there.
    const history = await resumed.fetchHistory();
    const firstListing = history.events?.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'syncOrderPage',
    )?.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
    expect(firstListing).toBeDefined();
    // Histories hold ciphertext: read the input the way Temporal Web does, through the codec.
    const [plain] = await new EncryptionCodec(dataKeyring(h.config)).decode([firstListing as Payload]);
    const window = JSON.parse(Buffer.from(plain!.data!).toString('utf8')) as { from: string };
    expect(Date.parse(window.from)).toBe(stored.sync_cursor!.getTime() - 5_000);
    const all = [...before, ...whileOff].map((o) => o.id).sort();
    expect(await capturedIds(h.db, shopId)).toEqual(all);
    await expect.poll(() => orderWorkflowCount(shopId)).toBe(all.length);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { workflowRuns } from '../support/histories.js';
import { PATIENCE_MS } from '../support/waits.js';
import { capturedIds, registerShop, waitForCaptured } from './support.js';

/**
 * A shop sync whose platform keeps failing does not pile up one endless history: with a small
 * WORKFLOW_HISTORY_LIMIT (and a poll count per run that is never reached) it continues as new while
 * it is still failing, carries its failure count and cursor, and captures everything once the
 * platform answers again.
 */
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;
let ops: { authorization: string };
const shopIds = { pdd: uniqueId('pdd') };

beforeAll(async () => {
  h = await createHarness({
    WORKFLOW_HISTORY_LIMIT: '40',
    SYNC_ROUNDS_PER_RUN: '1000',
    SYNC_OVERLAP_SECONDS: '5',
    SYNC_SAFETY_LAG_SECONDS: '0',
    SYNC_RETRY_INITIAL_SECONDS: '0.2',
    SYNC_RETRY_MAX_SECONDS: '0.5',
    SYNC_ATTEMPTS_PER_CALL: '2',
    SYNC_ALERT_AFTER_FAILURES: '2',
  });
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  sandbox = await startSandbox({ shopIds });
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

it('a shop sync that keeps failing continues as new meanwhile, then captures everything', async () => {
  const shopId = shopIds.pdd;
  sandbox.platforms.pdd.faults.fail('pdd.order.number.list.increment.get', 503, 30);
  const orders = sandbox.placeOrders('pdd', { count: 6, scenario: 'group_buy' });
  await registerShop(api, ops, sandbox.shop('pdd'), { pollIntervalSeconds: 1 });
  const workflowId = shopSyncWorkflowId(shopId);

  // Three runs before any poll succeeded: it handed over while failing.
  await expect
    .poll(async () => (await workflowRuns(h.client, workflowId).catch(() => [])).length, {
      timeout: PATIENCE_MS,
      interval: 500,
    })
    .toBeGreaterThanOrEqual(3);
  const failing = await h.client.workflow.getHandle(workflowId).query(shopSyncStateQuery);
  expect(failing.totals.polls).toBe(0);
  expect(failing.consecutiveFailures).toBeGreaterThanOrEqual(2);

  await waitForCaptured(
    h.db,
    shopId,
    orders.map((o) => o.id),
  );
  expect(await capturedIds(h.db, shopId)).toEqual(orders.map((o) => o.id).sort());
  // The failure count travelled with the runs: the alert raised while failing is resolved.
  await expect
    .poll(async () => {
      const res = await api.inject({
        method: 'GET',
        url: `/alerts?shopId=${shopId}&includeResolved=true`,
        headers: ops,
      });
      return res
        .json()
        .alerts.map((a: { kind: string; resolvedAt: string | null }) => [a.kind, a.resolvedAt !== null]);
    })
    .toEqual([['sync_failing', true]]);
});

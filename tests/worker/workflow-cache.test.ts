import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import {
  PAID_LATER_STAGES,
  READY_STATUS,
  createShop,
  paidSnapshot,
  seedCatalog,
  unpaidOrderPush,
} from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness, type RunningWorker } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { timelineStages, waitForOrderStatus, waitForState } from '../support/waits.js';

/**
 * A worker keeps at most WORKER_MAX_CACHED_WORKFLOWS workflows in memory (half for orders, half for
 * shipments), however many orders are open: the rest wait in Temporal's history and are replayed
 * when they next have work. Here the orders' half is 2 and six orders wait for their payment.
 */
let h: Harness;
let api: FastifyInstance;
let worker: RunningWorker;
let shopId: string;
let opsAuth: { authorization: string };

beforeAll(async () => {
  h = await createHarness({
    WORKER_MAX_CACHED_WORKFLOWS: '4',
    // The SDK takes no more tasks at once than it can cache.
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '2',
    WORKER_SHIPMENTS_MAX_CONCURRENT_WORKFLOW_TASKS: '2',
  });
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'own', { unpaidCancelSeconds: 3600 });
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  worker = await h.startWorker();
});
afterAll(() => h.teardown());

async function push(order: OrderPush): Promise<string> {
  const res = await submitOrder(api, { platform: 'own', shopId, order }, opsAuth);
  expect(res.statusCode).toBe(202);
  return orderWorkflowId('own', shopId, order.platformOrderId);
}

it('carries every open order past its memory bound: orders it no longer holds answer and go on when paid', async () => {
  const orders = Array.from({ length: 6 }, () => unpaidOrderPush());
  const ids: string[] = [];
  for (const order of orders) {
    const id = await push(order);
    await waitForOrderStatus(h.db, id, 'awaiting_payment');
    ids.push(id);
  }
  // Six open, two held: the rest were evicted and are in Temporal's history only.
  await expect.poll(() => worker.worker.orders.getStatus().numCachedWorkflows).toBeLessThanOrEqual(2);

  // Asking an order it no longer holds replays it: the same state as when it was cached.
  for (const id of ids) {
    const state = await waitForState(h.client, id, (s) => s.status === 'awaiting_payment');
    expect(state.waitingFor).toBe('payment from the buyer');
  }

  // One at a time: each payment wakes an order the worker no longer holds.
  for (const [i, order] of orders.entries()) {
    const id = ids[i]!;
    await push(paidSnapshot(order));
    await waitForOrderStatus(h.db, id, READY_STATUS);
    await expect.poll(() => timelineStages(h.db, id)).toEqual(PAID_LATER_STAGES);
  }
  await expect.poll(() => worker.worker.orders.getStatus().numCachedWorkflows).toBeLessThanOrEqual(2);
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { PATIENCE_MS, waitForOrderStatus, waitForState } from '../support/waits.js';

/**
 * A person's action never gets a bare 500 because the system is busy, and is never applied twice
 * or behind the caller's back: one key, one outcome (docs/human-actions.md).
 */
let h: Harness;
let api: FastifyInstance;
let shopId: string;
let csAuth: { authorization: string };
let opsAuth: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'jd');
  csAuth = bearer(await apiKeyFor(h.db, ['customer-service'], 'xiaowang'));
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function pushHeld(
  api: FastifyInstance,
  shop: string,
  auth = opsAuth,
  overrides: Partial<OrderPush> = {},
) {
  const order = orderPush({ buyerRemark: '请核对颜色再发', ...overrides });
  expect((await submitOrder(api, { platform: 'jd', shopId: shop, order }, auth)).statusCode).toBe(202);
  return orderWorkflowId('jd', shop, order.platformOrderId);
}

const stages = async (db: Harness['db'], id: string, stage: string) =>
  (
    await db
      .selectFrom('order_events')
      .select('stage')
      .where('order_id', '=', id)
      .where('stage', '=', stage)
      .execute()
  ).length;

describe('a review sent twice with one Idempotency-Key', () => {
  it('is applied once, and the retry gets the first answer — even after the order moved on', async () => {
    const id = await pushHeld(api, shopId);
    await waitForOrderStatus(h.db, id, 'held');
    const send = () =>
      api.inject({
        method: 'POST',
        url: `/orders/${encodeURIComponent(id)}/review`,
        headers: { ...csAuth, 'idempotency-key': `approve-${id}` },
        payload: { decision: 'approve', note: '颜色已核对' },
      });
    const first = await send();
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotency-key']).toBe(`approve-${id}`);
    // The order goes on past its review; a second approval would now be refused as "not held".
    await waitForState(h.client, id, (s) => s.status !== 'held' && s.status !== 'auditing');
    const retry = await send();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await stages(h.db, id, 'review_approved')).toBe(1);
  });

  it('refuses the key for a different request instead of answering it with another action’s outcome', async () => {
    const id = await pushHeld(api, shopId);
    await waitForOrderStatus(h.db, id, 'held');
    const headers = { ...csAuth, 'idempotency-key': `memo-${id}` };
    const url = `/orders/${encodeURIComponent(id)}/memos`;
    expect(
      (await api.inject({ method: 'POST', url, headers, payload: { memo: '先发顺丰' } })).statusCode,
    ).toBe(200);
    const other = await api.inject({ method: 'POST', url, headers, payload: { memo: '改发圆通' } });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stages(h.db, id, 'memo')).toBe(1);
  });

  it('treats a double click without a key as one action, and the same request after the order moved as a new one', async () => {
    const id = await pushHeld(api, shopId);
    await waitForOrderStatus(h.db, id, 'held');
    const url = `/orders/${encodeURIComponent(id)}/memos`;
    const memo = () => api.inject({ method: 'POST', url, headers: csAuth, payload: { memo: '请加固包装' } });
    const [a, b] = [await memo(), await memo()];
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.headers['idempotency-key']).toBe(a.headers['idempotency-key']);
    expect(await stages(h.db, id, 'memo')).toBe(1);

    // Something else happened to the order since: the same memo again is a new note.
    const lock = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(id)}/lock`,
      headers: csAuth,
      payload: { reason: '买家来电' },
    });
    expect(lock.statusCode).toBe(200);
    await expect.poll(() => stages(h.db, id, 'locked')).toBe(1);
    const again = await memo();
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotency-key']).not.toBe(a.headers['idempotency-key']);
    expect(await stages(h.db, id, 'memo')).toBe(2);
  });
});

describe('an action whose workflow does not answer in time', () => {
  let busy: Harness;
  let busyApi: FastifyInstance;
  let busyShop: string;
  let busyCs: { authorization: string };
  let busyOps: { authorization: string };

  beforeAll(async () => {
    // Its own task queue with no worker (yet), and a short answer deadline.
    busy = await createHarness({ WORKFLOW_ANSWER_SECONDS: '1' });
    busyApi = await busy.api();
    await seedCatalog(busy.db);
    await setupWarehouse(busy.db);
    busyShop = await createShop(busy.db, 'jd');
    busyCs = bearer(await apiKeyFor(busy.db, ['customer-service'], 'xiaowang'));
    busyOps = bearer(await apiKeyFor(busy.db, ['ops']));
  });
  afterAll(() => busy.teardown());

  it('answers 503 with Retry-After and the key; the retry with that key gets the outcome, applied once', async () => {
    const id = await pushHeld(busyApi, busyShop, busyOps);
    const lock = () =>
      busyApi.inject({
        method: 'POST',
        url: `/orders/${encodeURIComponent(id)}/lock`,
        headers: { ...busyCs, 'idempotency-key': `lock-${id}` },
        payload: { reason: '买家要求暂缓发货' },
      });
    const first = await lock();
    expect(first.statusCode).toBe(503);
    expect(Number(first.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(first.headers['idempotency-key']).toBe(`lock-${id}`);
    expect(first.json().message).toMatch(/may still take effect.*retry with Idempotency-Key/);

    // The system catches up; the caller retries as it was told.
    await busy.startWorker();
    await expect
      .poll(async () => {
        const res = await lock();
        return res.statusCode;
      })
      .toBe(200);
    const state = await waitForState(busy.client, id, (s) => s.locked);
    expect(state.locked).toBe(true);
    const replay = await lock();
    expect(replay.statusCode).toBe(200);
    expect(await stages(busy.db, id, 'locked')).toBe(1);
  });

  it('answers a handover scan the shipment cannot answer with 503 and Retry-After, not 500', async () => {
    // A shipment workflow on a queue no worker serves.
    await busy.client.workflow.start('shipmentWorkflow', {
      taskQueue: `${busy.config.TASK_QUEUE_ORDERS}-unserved`,
      workflowId: 'shipment:parcel-nobody-serves',
      args: [{}],
    });
    const res = await busyApi.inject({
      method: 'POST',
      url: '/wms/handovers',
      headers: bearer(await apiKeyFor(busy.db, ['warehouse'])),
      payload: { parcelId: 'parcel-nobody-serves' },
    });
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.json().message).toMatch(/nothing was done/);
    await busy.client.workflow.getHandle('shipment:parcel-nobody-serves').terminate('test over');
  });

  it('answers 503 and Retry-After, not 500, while the shipment’s workflow task has failed and waits for its retry', async () => {
    // Seen in the fault run after a worker kill under load: the task timed out and a scan's query
    // got FAILED_PRECONDITION ("Workflow Task in failed state") until the task ran again. Here the
    // task fails for good (no such workflow type), which the query reports the same way.
    const workflowId = 'shipment:parcel-task-failed';
    const handle = await h.client.workflow.start('noSuchShipmentWorkflow', {
      taskQueue: h.config.TASK_QUEUE_ORDERS,
      workflowId,
      args: [{}],
    });
    await expect
      .poll(
        async () => (await handle.fetchHistory()).events?.some((e) => e.workflowTaskFailedEventAttributes),
        {
          timeout: PATIENCE_MS,
        },
      )
      .toBe(true);
    const res = await api.inject({
      method: 'POST',
      url: '/wms/handovers',
      headers: bearer(await apiKeyFor(h.db, ['warehouse'])),
      payload: { parcelId: 'parcel-task-failed' },
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.json().message).toMatch(/nothing was done/);
    await handle.terminate('test over');
  });
});

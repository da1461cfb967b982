import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PAID_ORDER_STAGES, READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { submitOrder } from '../support/intake.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let auth: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'taobao');
  auth = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

function post(order: unknown, platform = 'taobao', shop = shopId) {
  return submitOrder(api, { platform, shopId: shop, order }, auth);
}

/** A raw body to POST /orders, for cases the helper's JSON cannot express. */
function postRaw(payload: string, contentType = 'application/json') {
  return api.inject({
    method: 'POST',
    url: '/orders',
    headers: { 'content-type': contentType, ...auth },
    payload,
  });
}

async function orderRows(platformOrderId: string) {
  return h.db.selectFrom('orders').selectAll().where('platform_order_id', '=', platformOrderId).execute();
}

async function workflowCount(workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) count += 1;
  return count;
}

async function waitForStatus(orderId: string, status: string) {
  await expect
    .poll(
      async () =>
        (await h.db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst())
          ?.status,
      {
        interval: 100,
      },
    )
    .toBe(status);
}

describe('POST /orders', () => {
  it('accepts an order, starts its workflow and records it', async () => {
    const push = orderPush();
    const res = await post(push);
    expect(res.statusCode).toBe(202);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    expect(res.json()).toEqual({ accepted: true, orderId: id, outcome: 'accepted' });

    await waitForStatus(id, READY_STATUS);
    const [row] = await orderRows(push.platformOrderId);
    expect(row).toMatchObject({
      shop_id: shopId,
      platform: 'taobao',
      goods_fen: 19_800,
      paid_fen: 17_800,
      currency: 'CNY',
    });
  });

  it('creates exactly one workflow and one order when the same webhook arrives twice', async () => {
    const push = orderPush();
    const first = await post(push);
    const second = await post(push);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    await waitForStatus(id, READY_STATUS);
    expect(await orderRows(push.platformOrderId)).toHaveLength(1);
    await expect.poll(() => workflowCount(id)).toBe(1);
  });

  it('creates exactly one workflow and one order when 20 identical webhooks arrive at once', async () => {
    const push = orderPush();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(push)));
    // Deliveries racing the workflow's completion may learn it already closed; none may fail.
    for (const res of responses) expect(res.statusCode).toBe(202);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    await waitForStatus(id, READY_STATUS);
    expect(await orderRows(push.platformOrderId)).toHaveLength(1);
    const events = await h.db
      .selectFrom('order_events')
      .select(['seq', 'stage'])
      .where('order_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.stage)).toEqual(PAID_ORDER_STAGES);
    await expect.poll(() => workflowCount(id)).toBe(1);
  });

  it('raises an alert naming a platform-cancelled order when a later snapshot says it is paid, without a second workflow', async () => {
    const push = orderPush();
    await post(push);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    await waitForStatus(id, READY_STATUS);
    await post({ ...push, status: 'cancelled', modifiedAt: new Date().toISOString() });
    await waitForStatus(id, 'cancelled');
    await expect
      .poll(async () => (await h.client.workflow.getHandle(id).describe()).status.name)
      .toBe('COMPLETED');
    const late = await post({ ...push, modifiedAt: new Date().toISOString() });
    expect(late.statusCode).toBe(202);
    expect(late.json()).toMatchObject({ outcome: 'closed' });
    expect(await workflowCount(id)).toBe(1);
    const alerts = await h.db
      .selectFrom('alerts')
      .select(['kind', 'message'])
      .where('shop_id', '=', shopId)
      .where('kind', '=', 'paid_after_close')
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.message).toContain(id);
    expect(alerts[0]!.message).toContain('cancelled_on_platform');
  });

  describe('rejects bad input, naming the field, and writes nothing', () => {
    const cases: Array<[string, (p: ReturnType<typeof orderPush>) => unknown, string]> = [
      ['missing platformOrderId', ({ platformOrderId: _, ...rest }) => rest, 'body.order.platformOrderId'],
      [
        'quantity as a string',
        (p) => ({ ...p, lines: [{ ...p.lines[0], quantity: '2' }] }),
        'body.order.lines.0.quantity',
      ],
      [
        'fractional fen',
        (p) => ({ ...p, amounts: { ...p.amounts, goodsFen: 198.5 } }),
        'body.order.amounts.goodsFen',
      ],
      [
        'negative amount',
        (p) => ({ ...p, amounts: { ...p.amounts, paidFen: -1 } }),
        'body.order.amounts.paidFen',
      ],
      ['unknown status', (p) => ({ ...p, status: 'shipping-ish' }), 'body.order.status'],
      ['no lines', (p) => ({ ...p, lines: [] }), 'body.order.lines'],
      ['date without offset', (p) => ({ ...p, createdAt: '2026-03-01 10:15:02' }), 'body.order.createdAt'],
      ['colon in the order id', (p) => ({ ...p, platformOrderId: 'a:b' }), 'body.order.platformOrderId'],
      [
        'empty receiver detail',
        (p) => ({ ...p, receiver: { ...p.receiver, detail: '' } }),
        'body.order.receiver.detail',
      ],
    ];
    it.each(cases)('%s → 400', async (_name, mutate, field) => {
      const push = orderPush();
      const res = await post(mutate(push));
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.issues.map((i: { field: string }) => i.field)).toContain(field);
      expect(body.message).toContain(field);
      expect(await orderRows(push.platformOrderId)).toHaveLength(0);
      expect(await workflowCount(orderWorkflowId('taobao', shopId, push.platformOrderId))).toBe(0);
    });

    it('non-JSON text → 400', async () => {
      const res = await postRaw('{"platform": "taobao", "order": oops');
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/body: is not valid JSON/);
    });

    it('a body that is not JSON at all (text/plain) → 415', async () => {
      const res = await postRaw('hello', 'text/plain');
      expect(res.statusCode).toBe(415);
    });

    it('oversized body → 413 and nothing started', async () => {
      const push = orderPush({ buyerRemark: 'x'.repeat(10) });
      const huge = { ...push, padding: 'y'.repeat(h.config.API_BODY_LIMIT + 1) };
      const res = await post(huge);
      expect(res.statusCode).toBe(413);
      expect(await workflowCount(orderWorkflowId('taobao', shopId, push.platformOrderId))).toBe(0);
    });

    it('unknown platform → 400 naming the platform field', async () => {
      const res = await post(orderPush(), 'myspace');
      expect(res.statusCode).toBe(400);
      expect(res.json().issues.map((i: { field: string }) => i.field)).toContain('body.platform');
    });

    it('unknown shop, or a shop of another platform → 404', async () => {
      const missing = await post(orderPush(), 'taobao', 'no-such-shop');
      expect(missing.statusCode).toBe(404);
      const wrongPlatform = await post(orderPush(), 'jd');
      expect(wrongPlatform.statusCode).toBe(404);
      expect(wrongPlatform.json().message).toMatch(/no jd shop/);
    });
  });
});

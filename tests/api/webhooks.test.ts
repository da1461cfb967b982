import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PAID_ORDER_STAGES, createShop, orderPush, seedCatalog } from '../support/fixtures.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  shopId = await createShop(h.db, 'taobao');
  await h.startWorker();
});
afterAll(() => h.teardown());

function post(body: unknown, path = `/webhooks/taobao/${shopId}`, headers: Record<string, string> = {}) {
  return api.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
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
        timeout: 20_000,
        interval: 100,
      },
    )
    .toBe(status);
}

describe('POST /webhooks/:platform/:shopId', () => {
  it('accepts an order, starts its workflow and records it', async () => {
    const push = orderPush();
    const res = await post(push);
    expect(res.statusCode).toBe(202);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    expect(res.json()).toEqual({ accepted: true, orderId: id, outcome: 'accepted' });

    await waitForStatus(id, 'completed');
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
    await waitForStatus(id, 'completed');
    expect(await orderRows(push.platformOrderId)).toHaveLength(1);
    await expect.poll(() => workflowCount(id), { timeout: 10_000 }).toBe(1);
  });

  it('creates exactly one workflow and one order when 20 identical webhooks arrive at once', async () => {
    const push = orderPush();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(push)));
    // Deliveries racing the workflow's completion may learn it already closed; none may fail.
    for (const res of responses) expect(res.statusCode).toBe(202);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    await waitForStatus(id, 'completed');
    expect(await orderRows(push.platformOrderId)).toHaveLength(1);
    const events = await h.db
      .selectFrom('order_events')
      .select(['seq', 'stage'])
      .where('order_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.stage)).toEqual(PAID_ORDER_STAGES);
    await expect.poll(() => workflowCount(id), { timeout: 10_000 }).toBe(1);
  });

  it('tells a late delivery for a finished order that nothing changed, without a second workflow', async () => {
    const push = orderPush();
    await post(push);
    const id = orderWorkflowId('taobao', shopId, push.platformOrderId);
    await waitForStatus(id, 'completed');
    await expect
      .poll(async () => (await h.client.workflow.getHandle(id).describe()).status.name, { timeout: 10_000 })
      .toBe('COMPLETED');
    const late = await post({ ...push, modifiedAt: new Date().toISOString() });
    expect(late.statusCode).toBe(202);
    expect(late.json()).toMatchObject({ outcome: 'closed' });
    expect(await workflowCount(id)).toBe(1);
  });

  describe('rejects bad input, naming the field, and writes nothing', () => {
    const cases: Array<[string, (p: ReturnType<typeof orderPush>) => unknown, string]> = [
      ['missing platformOrderId', ({ platformOrderId: _, ...rest }) => rest, 'body.platformOrderId'],
      [
        'quantity as a string',
        (p) => ({ ...p, lines: [{ ...p.lines[0], quantity: '2' }] }),
        'body.lines.0.quantity',
      ],
      [
        'fractional fen',
        (p) => ({ ...p, amounts: { ...p.amounts, goodsFen: 198.5 } }),
        'body.amounts.goodsFen',
      ],
      ['negative amount', (p) => ({ ...p, amounts: { ...p.amounts, paidFen: -1 } }), 'body.amounts.paidFen'],
      ['unknown status', (p) => ({ ...p, status: 'shipping-ish' }), 'body.status'],
      ['no lines', (p) => ({ ...p, lines: [] }), 'body.lines'],
      ['date without offset', (p) => ({ ...p, createdAt: '2026-03-01 10:15:02' }), 'body.createdAt'],
      ['colon in the order id', (p) => ({ ...p, platformOrderId: 'a:b' }), 'body.platformOrderId'],
      [
        'empty receiver detail',
        (p) => ({ ...p, receiver: { ...p.receiver, detail: '' } }),
        'body.receiver.detail',
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
      const res = await post('{"platformOrderId": "x", oops');
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/body: is not valid JSON/);
    });

    it('a body that is not JSON at all (text/plain) → 415', async () => {
      const res = await post('hello', `/webhooks/taobao/${shopId}`, { 'content-type': 'text/plain' });
      expect(res.statusCode).toBe(415);
    });

    it('oversized body → 413 and nothing started', async () => {
      const push = orderPush({ buyerRemark: 'x'.repeat(10) });
      const huge = { ...push, padding: 'y'.repeat(h.config.API_BODY_LIMIT + 1) };
      const res = await post(huge);
      expect(res.statusCode).toBe(413);
      expect(await workflowCount(orderWorkflowId('taobao', shopId, push.platformOrderId))).toBe(0);
    });

    it('unknown platform → 404 naming the platform', async () => {
      const res = await post(orderPush(), `/webhooks/ebay/${shopId}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toMatch(/unknown platform "ebay"/);
    });

    it('unknown shop, or a shop of another platform → 404', async () => {
      const missing = await post(orderPush(), `/webhooks/taobao/no-such-shop`);
      expect(missing.statusCode).toBe(404);
      const wrongPlatform = await post(orderPush(), `/webhooks/jd/${shopId}`);
      expect(wrongPlatform.statusCode).toBe(404);
      expect(wrongPlatform.json().message).toMatch(/no jd shop/);
    });
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOwnPush, signOwnPush } from '../../integrations/platforms/own/index.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { registerOwnStore } from '../auth/support.js';
import { PAID_ORDER_STAGES, READY_STATUS, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { waitForOrderStatus } from '../support/waits.js';

// The signed webhook route itself (not the authenticated POST /orders intake): platforms retry
// and race their own deliveries, and none of that may produce a second order or workflow.

const SECRET = 'whsec_duplicates_test';
let h: Harness;
let api: FastifyInstance;
let shopId: string;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = uniqueId('own-store');
  await registerOwnStore(api, h.db, { shopId, secret: SECRET });
  await h.startWorker();
});
afterAll(() => h.teardown());

function deliver(rendered: { headers: Record<string, string>; body: string }) {
  return api.inject({ method: 'POST', url: `/webhooks/own/${shopId}`, ...rendered, payload: rendered.body });
}

async function totals() {
  const rows = await h.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  const workflows = await h.client.workflow.count(`ShopId = '${shopId}'`);
  return { rows: Number(rows.n), workflows: workflows.count };
}

async function exactlyOne(platformOrderId: string) {
  const id = orderWorkflowId('own', shopId, platformOrderId);
  await waitForOrderStatus(h.db, id, READY_STATUS);
  const rows = await h.db
    .selectFrom('orders')
    .select('id')
    .where('platform_order_id', '=', platformOrderId)
    .execute();
  expect(rows).toEqual([{ id }]);
  const events = await h.db
    .selectFrom('order_events')
    .select('stage')
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();
  expect(events.map((e) => e.stage)).toEqual(PAID_ORDER_STAGES);
  await expect.poll(async () => (await h.client.workflow.count(`WorkflowId = '${id}'`)).count).toBe(1);
}

describe('POST /webhooks/own/:shopId delivered more than once', () => {
  it('the same delivery twice → one workflow, one order row, one timeline', async () => {
    const push = orderPush();
    const rendered = renderOwnPush(SECRET, push, uniqueId('delivery'));
    const first = await deliver(rendered);
    const second = await deliver(rendered);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.json()).toMatchObject({ duplicate: true });
    await exactlyOne(push.platformOrderId);
  });

  it('20 identical deliveries at once → one workflow, one order row', async () => {
    const push = orderPush();
    const rendered = renderOwnPush(SECRET, push, uniqueId('delivery'));
    const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(rendered)));
    for (const res of responses) expect(res.statusCode, res.body).toBe(202);
    await exactlyOne(push.platformOrderId);
  });

  it('20 racing re-sends of one order under fresh delivery ids → still one workflow, one order row', async () => {
    const push = orderPush();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => deliver(renderOwnPush(SECRET, push, uniqueId('delivery')))),
    );
    for (const res of responses) expect(res.statusCode, res.body).toBe(202);
    await exactlyOne(push.platformOrderId);
  });
});

describe('POST /webhooks/own/:shopId with a bad body', () => {
  const signed = (body: string, contentType = 'application/json') => ({
    headers: { 'content-type': contentType, 'x-erp-hmac-sha256': signOwnPush(SECRET, body) },
    body,
  });

  it('signed text that is not JSON → 400 saying so; nothing written or started', async () => {
    const before = await totals();
    const res = await deliver(signed('{"platformOrderId": "X-1", oops'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/JSON/);
    expect(await totals()).toEqual(before);
  });

  it('a body over the limit → 413; nothing written or started', async () => {
    const before = await totals();
    const push = { ...orderPush(), buyerRemark: 'x'.repeat(h.config.API_BODY_LIMIT + 1) };
    const res = await deliver(signed(JSON.stringify(push)));
    expect(res.statusCode).toBe(413);
    expect(await totals()).toEqual(before);
  });

  it('an unknown platform in the path → 404 naming it; nothing written', async () => {
    const before = await totals();
    const body = JSON.stringify(orderPush());
    const res = await api.inject({
      method: 'POST',
      url: `/webhooks/myspace/${shopId}`,
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('myspace');
    expect(await totals()).toEqual(before);
  });
});

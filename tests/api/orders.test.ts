import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server.js';
import { createDb } from '../../db/connect.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { PAID_ORDER_STAGES, READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let auth: { authorization: string };
let opsAuth: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'douyin');
  auth = bearer(await apiKeyFor(h.db, ['reviewer']));
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function placeOrder() {
  const push = orderPush();
  await submitOrder(api, { platform: 'douyin', shopId, order: push }, opsAuth);
  const id = orderWorkflowId('douyin', shopId, push.platformOrderId);
  await waitForOrderStatus(h.db, id, READY_STATUS);
  return { id, push };
}

describe('GET /orders/:id', () => {
  it('returns the projection, the timeline, the live workflow state and a Temporal Web link', async () => {
    const { id, push } = await placeOrder();
    const res = await api.inject({ method: 'GET', url: `/orders/${encodeURIComponent(id)}`, headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.order).toMatchObject({
      id,
      platform: 'douyin',
      shop_id: shopId,
      platform_order_id: push.platformOrderId,
      status: READY_STATUS,
    });
    expect(body.lines).toHaveLength(1);
    expect(body.lines[0]).toMatchObject({ sku_code: 'SKU-001-RED-M', quantity: 2, unit_price_fen: 9_900 });
    expect(body.timeline.map((e: { stage: string }) => e.stage)).toEqual(PAID_ORDER_STAGES);
    expect(body.state).toMatchObject({ orderId: id, status: READY_STATUS });
    expect(body.temporal.url).toBe(
      `${h.config.TEMPORAL_UI_URL}/namespaces/default/workflows/${encodeURIComponent(id)}`,
    );
  });

  it('answers 404 for an order it does not know', async () => {
    const res = await api.inject({ method: 'GET', url: '/orders/order:taobao:nope:1', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/no order with id "order:taobao:nope:1"/);
  });
});

describe('GET /orders', () => {
  it('lists newest first, filters by shop and status, and pages with a cursor', async () => {
    const placed = [await placeOrder(), await placeOrder(), await placeOrder()];
    const first = await api.inject({
      method: 'GET',
      url: `/orders?shopId=${shopId}&status=${READY_STATUS}&limit=2`,
      headers: auth,
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.orders).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await api.inject({
      method: 'GET',
      url: `/orders?shopId=${shopId}&status=${READY_STATUS}&limit=2&cursor=${page1.nextCursor}`,
      headers: auth,
    });
    const ids = [...page1.orders, ...second.json().orders].map((o: { id: string }) => o.id);
    for (const { id } of placed) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects an unknown status filter and a forged cursor, naming the parameter', async () => {
    const badStatus = await api.inject({ method: 'GET', url: '/orders?status=teleported', headers: auth });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().issues[0].field).toBe('querystring.status');
    const badCursor = await api.inject({ method: 'GET', url: '/orders?cursor=bm9wZQ', headers: auth });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().message).toMatch(/query.cursor/);
  });
});

describe('GET /health', () => {
  it('reports ok when the database and Temporal answer', async () => {
    const res = await api.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok' });
  });

  it('reports 503 and names the database when it is unreachable', async () => {
    const deadDb = createDb({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    const connection = await Connection.connect({ address: h.config.TEMPORAL_ADDRESS });
    const app = await buildServer({
      db: deadDb,
      temporal: new Client({ connection, dataConverter: temporalDataConverter(h.config) }),
      config: h.config,
      logger: false,
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'degraded',
        temporal: 'ok',
        database: 'unreachable',
      });
      // What is down, not how: no host, port or driver message for an anonymous caller.
      expect(res.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b/);
    } finally {
      await app.close();
      await deadDb.destroy();
      await connection.close();
    }
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI document with the webhook and order routes, and the push schema', async () => {
    const doc = await api.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/webhooks/{platform}/{shopId}', '/orders/{id}', '/orders', '/health']),
    );
    const schema = await api.inject({ method: 'GET', url: '/schemas/order-push.json' });
    expect(schema.json().required).toEqual(
      expect.arrayContaining(['platformOrderId', 'status', 'amounts', 'lines', 'receiver']),
    );
  });
});

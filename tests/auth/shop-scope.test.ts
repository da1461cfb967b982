import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from './support.js';
import { READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

// 店铺权限: a user limited to shops sees their shops' orders, reviews, alerts, shops and stock sync,
// and another shop's order or shop answers 404 as if it did not exist.

let h: Harness;
let api: FastifyInstance;
let mine: string;
let theirs: string;
let admin: { authorization: string };
let limited: { authorization: string };
let everyShop: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  mine = await createShop(h.db, 'douyin');
  theirs = await createShop(h.db, 'douyin');
  admin = bearer(await apiKeyFor(h.db, ['admin']));
  everyShop = bearer(await apiKeyFor(h.db, ['customer-service', 'ops']));
  const created = await api.inject({
    method: 'POST',
    url: '/auth/users',
    headers: admin,
    payload: { username: 'cs-limited', roles: ['customer-service', 'ops'], shops: [mine] },
  });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.json().shops).toEqual([mine]);
  const key = await api.inject({
    method: 'POST',
    url: '/auth/api-keys',
    headers: admin,
    payload: { username: 'cs-limited', name: 'desk' },
  });
  expect(key.statusCode, key.body).toBe(201);
  limited = bearer(key.json().key);
  await h.startWorker();
});
afterAll(() => h.teardown());

async function orderIn(shopId: string): Promise<string> {
  const push = orderPush();
  const res = await submitOrder(api, { platform: 'douyin', shopId, order: push }, everyShop);
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('douyin', shopId, push.platformOrderId);
  await waitForOrderStatus(h.db, id, READY_STATUS);
  return id;
}

/** An open case waiting for a decision, as the case workflow's projection writes it. */
async function caseFor(orderId: string, shopId: string): Promise<string> {
  const id = `aftersale:own:${shopId}:${orderId.slice(-8)}`;
  await h.db
    .insertInto('after_sale_cases')
    .values({
      id,
      platform: 'own',
      shop_id: shopId,
      platform_case_id: orderId.slice(-8),
      order_id: orderId,
      kind: 'refund_only',
      status: 'open',
      requested_fen: 100,
      waiting_for: 'a decision',
      opened_at: new Date(),
    })
    .execute();
  return id;
}

const get = (url: string, headers: { authorization: string }) => api.inject({ method: 'GET', url, headers });

describe('users limited to shops', () => {
  it('lists only their shops, reads their orders, and gets 404 for another shop’s order, shop or sync', async () => {
    const own = await orderIn(mine);
    const other = await orderIn(theirs);

    expect((await get('/auth/me', limited)).json().shops).toEqual([mine]);

    const orders = (await get('/orders?limit=200', limited)).json().orders.map((o: { id: string }) => o.id);
    expect(orders).toContain(own);
    expect(orders).not.toContain(other);
    const all = (await get('/orders?limit=200', everyShop)).json().orders.map((o: { id: string }) => o.id);
    expect(all).toEqual(expect.arrayContaining([own, other]));

    expect((await get(`/orders/${encodeURIComponent(own)}`, limited)).statusCode).toBe(200);
    const hidden = await get(`/orders/${encodeURIComponent(other)}`, limited);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().message).toBe(`no order with id "${other}"`);
    expect((await get(`/orders?shopId=${theirs}`, limited)).statusCode).toBe(404);

    const lock = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(other)}/lock`,
      headers: { ...limited, 'content-type': 'application/json' },
      payload: { reason: 'not mine' },
    });
    expect(lock.statusCode).toBe(404);

    const shops = (await get('/shops', limited)).json().shops.map((s: { id: string }) => s.id);
    expect(shops).toEqual([mine]);
    expect((await get(`/shops/${theirs}`, limited)).statusCode).toBe(404);
    expect((await get(`/shops/${mine}`, limited)).statusCode).toBe(200);

    expect((await get(`/stock/sync?shopId=${theirs}`, limited)).statusCode).toBe(404);
    expect((await get(`/alerts?shopId=${theirs}`, limited)).statusCode).toBe(404);
    const alerts = (await get('/alerts?includeResolved=true', limited)).json().alerts;
    expect(alerts.every((a: { shopId: string | null }) => a.shopId === mine)).toBe(true);
    const reviews = (await get('/reviews', limited)).json().items;
    expect(reviews.every((r: { shopId: string }) => r.shopId === mine)).toBe(true);
    const atRisk = (await get('/orders/at-risk?withinHours=336', limited)).json().orders;
    expect(atRisk.every((o: { shop_id: string }) => o.shop_id === mine)).toBe(true);

    // After-sales cases follow their shop: listed and read only in the user's shops.
    const ownCase = await caseFor(own, mine);
    const otherCase = await caseFor(other, theirs);
    for (const url of ['/after-sales', '/after-sales/reviews']) {
      const ids = (await get(url, limited)).json().cases.map((c: { id: string }) => c.id);
      expect(ids, url).toContain(ownCase);
      expect(ids, url).not.toContain(otherCase);
      expect((await get(url, everyShop)).json().cases.map((c: { id: string }) => c.id)).toContain(otherCase);
    }
    expect((await get(`/after-sales?shopId=${theirs}`, limited)).statusCode).toBe(404);
    const hiddenCase = await get(`/after-sales/${encodeURIComponent(otherCase)}`, limited);
    expect(hiddenCase.statusCode).toBe(404);
    expect(hiddenCase.json().message).toBe(`no after-sales case with id "${otherCase}"`);
    const decided = await api.inject({
      method: 'POST',
      url: `/after-sales/${encodeURIComponent(otherCase)}/decisions`,
      headers: { ...limited, 'content-type': 'application/json' },
      payload: { decision: 'refuse', reason: 'not mine' },
    });
    expect(decided.statusCode).toBe(404);

    // Entering an order into another shop is refused as if the shop did not exist.
    const entered = await submitOrder(
      api,
      { platform: 'douyin', shopId: theirs, order: orderPush() },
      limited,
    );
    expect(entered.statusCode).toBe(404);
  });
});

import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server.js';
import { renderOwnPush, signOwnPush } from '../../integrations/platforms/own/index.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { registerOwnStore } from '../auth/support.js';
import { READY_STATUS, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS, waitForOrderStatus } from '../support/waits.js';

// Webhooks are answered from the inbox in PostgreSQL: an API that cannot reach Temporal still takes
// every push, and the events reach their workflows once an API that can reach it runs.

const SECRET = 'whsec_inbox_test';
let h: Harness;
let shopId: string;
let unreachable: Client;

beforeAll(async () => {
  h = await createHarness();
  const api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = uniqueId('own-inbox');
  await registerOwnStore(api, h.db, { shopId, secret: SECRET, name: '自营商城' });
  await api.close();
  // Nothing listens on port 1: every call to this Temporal fails as when the server is down.
  unreachable = new Client({
    connection: Connection.lazy({ address: '127.0.0.1:1' }),
    dataConverter: temporalDataConverter(h.config),
  });
  await h.startWorker();
});
afterAll(async () => {
  await unreachable.connection.close();
  await h.teardown();
});

function deliver(api: FastifyInstance, rendered: { headers: Record<string, string>; body: string }) {
  return api.inject({
    method: 'POST',
    url: `/webhooks/own/${shopId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
}

async function inbox() {
  return h.db
    .selectFrom('webhook_inbox')
    .select(['event_id', 'attempts', 'last_error', 'forwarded_at', 'payload'])
    .where('shop_id', '=', shopId)
    .execute();
}

async function workflowsOfShop(): Promise<number> {
  return (await h.client.workflow.count(`ShopId = '${shopId}'`)).count;
}

describe('the webhook inbox while Temporal is down', () => {
  it('answers every push, keeps it, and hands each to its workflow once Temporal is back', async () => {
    const down = await buildServer({ db: h.db, temporal: unreachable, config: h.config, logger: false });
    await down.ready();
    const pushes = Array.from({ length: 12 }, () => orderPush());
    const answers = await Promise.all(
      pushes.map((p) => deliver(down, renderOwnPush(SECRET, p, uniqueId('delivery')))),
    );
    for (const [i, res] of answers.entries()) {
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({
        accepted: true,
        orderId: orderWorkflowId('own', shopId, pushes[i]!.platformOrderId),
        outcome: 'accepted',
      });
    }
    // A bad push is still refused naming the field, and leaves nothing in the inbox.
    const bad = JSON.stringify({ ...orderPush(), createdAt: '2026-03-01 10:15:02' });
    const refused = await deliver(down, {
      headers: { 'content-type': 'application/json', 'x-erp-hmac-sha256': signOwnPush(SECRET, bad) },
      body: bad,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues.map((i: { field: string }) => i.field)).toContain('body.createdAt');

    // The forwarder tried, failed, and kept every event; no workflow exists yet.
    await expect
      .poll(async () => (await inbox()).filter((r) => r.last_error !== null).length, { timeout: PATIENCE_MS })
      .toBe(pushes.length);
    const held = await inbox();
    expect(held).toHaveLength(pushes.length);
    expect(held.every((r) => r.forwarded_at === null && r.attempts >= 1)).toBe(true);
    // Buyers' data waits sealed, never in plain text.
    expect(JSON.stringify(held.map((r) => r.payload))).not.toContain(pushes[0]!.receiver.phone);
    expect(await workflowsOfShop()).toBe(0);
    await down.close();

    // Temporal reachable again: the backlog drains, each order started once.
    await h.api();
    for (const push of pushes) {
      await waitForOrderStatus(h.db, orderWorkflowId('own', shopId, push.platformOrderId), READY_STATUS);
    }
    await expect
      .poll(async () => (await inbox()).filter((r) => r.forwarded_at === null).length, {
        timeout: PATIENCE_MS,
      })
      .toBe(0);
    expect((await inbox()).every((r) => r.payload === null)).toBe(true);
    await expect.poll(workflowsOfShop, { timeout: PATIENCE_MS }).toBe(pushes.length);
  });

  it('the same event sent again while it waits is one inbox row and one order', async () => {
    const down = await buildServer({ db: h.db, temporal: unreachable, config: h.config, logger: false });
    await down.ready();
    const push = orderPush();
    // No delivery id: the event is known by its bytes.
    const rendered = renderOwnPush(SECRET, push);
    const before = (await inbox()).length;
    for (let i = 0; i < 3; i++) expect((await deliver(down, rendered)).statusCode).toBe(202);
    expect((await inbox()).length).toBe(before + 1);
    await down.close();
    const id = orderWorkflowId('own', shopId, push.platformOrderId);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    expect((await h.client.workflow.count(`WorkflowId = '${id}'`)).count).toBe(1);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForOrderStatus, waitForStage } from '../support/waits.js';

// For a seller's own store the ERP owns the payment window: it cancels an unpaid order on the
// shop's timer and tells the store through its signed callback. A payment that arrives after that
// revives the order instead of being dropped.

const storeId = uniqueId('own');
let h: Harness;
let api: FastifyInstance;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ shopIds: { own: storeId } });
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  await registerShop(api, ops, sandbox.shop('own'), { settings: { unpaidCancelSeconds: 2 } });
  await h.startWorker();
});
afterAll(async () => {
  await h.teardown();
  await sandbox.stop();
});

async function pushFromStore(push: OrderPush) {
  const rendered = renderOwnPush(sandbox.own.webhookSecret, push);
  const res = await api.inject({
    method: 'POST',
    url: `/webhooks/own/${storeId}`,
    headers: rendered.headers,
    payload: rendered.body,
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { outcome: string };
}

async function stages(id: string) {
  const rows = await h.db
    .selectFrom('order_events')
    .select(['seq', 'stage', 'detail'])
    .where('order_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows;
}

function unpaid(): OrderPush {
  const now = new Date().toISOString();
  return orderPush({
    status: 'awaiting_payment',
    paidAt: undefined,
    createdAt: now,
    modifiedAt: now,
    buyer: { id: uniqueId('buyer'), nick: 'm**e' },
    amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 0 },
  });
}

describe('own-store payment window', () => {
  it('cancels the unpaid order on the shop timer and tells the store with a signed callback, once', async () => {
    const push = unpaid();
    await pushFromStore(push);
    const id = orderWorkflowId('own', storeId, push.platformOrderId);
    await waitForOrderStatus(h.db, id, 'cancelled');
    await waitForStage(h.db, id, 'store_told_cancelled');
    const told = [...sandbox.own.cancellations.values()].filter(
      (c) => c.platformOrderId === push.platformOrderId,
    );
    expect(told).toEqual([expect.objectContaining({ reason: 'unpaid_timeout', deliveries: 1 })]);
    expect(sandbox.own.fulfilments.forged).toBe(0);
    const events = await stages(id);
    expect(events.map((e) => e.stage)).toEqual([
      'captured',
      'awaiting_payment',
      'cancelled',
      'store_told_cancelled',
    ]);
    expect(events.at(-1)!.detail).toEqual({ deliveryId: told[0]!.deliveryId });
  });

  it('revives an order the ERP cancelled when the store later reports it paid, continuing its timeline', async () => {
    const push = unpaid();
    await pushFromStore(push);
    const id = orderWorkflowId('own', storeId, push.platformOrderId);
    await waitForStage(h.db, id, 'store_told_cancelled');
    await expect
      .poll(async () => (await h.client.workflow.getHandle(id).describe()).status.name, {
        timeout: PATIENCE_MS,
      })
      .toBe('COMPLETED');

    const paidAt = new Date().toISOString();
    const late = await pushFromStore({
      ...push,
      status: 'paid',
      paidAt,
      modifiedAt: paidAt,
      amounts: { ...push.amounts, paidFen: 17_800 },
    });
    expect(late.outcome).toBe('revived');
    await waitForStage(h.db, id, 'audit_passed');
    const events = await stages(id);
    expect(events.map((e) => e.stage).slice(0, 7)).toEqual([
      'captured',
      'awaiting_payment',
      'cancelled',
      'store_told_cancelled',
      'revived',
      'payment_confirmed',
      'audited',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.find((e) => e.stage === 'revived')!.detail).toMatchObject({
      previousOutcome: 'unpaid_timeout',
    });
    const row = await h.db
      .selectFrom('orders')
      .select(['status', 'paid_fen', 'platform_status', 'outcome'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ paid_fen: 17_800, platform_status: 'paid', outcome: null });
    expect(row.status).not.toBe('cancelled');
    await recordHistory(h.client, id, 'order-own-revived');
  });
});

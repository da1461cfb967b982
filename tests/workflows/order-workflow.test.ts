import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { OrderStatusKey, ShopIdKey } from '../../workflows/search-attributes.js';
import {
  PAID_LATER_STAGES,
  READY_STATUS,
  createShop,
  orderPush,
  paidSnapshot,
  seedCatalog,
  unpaidOrderPush as unpaid,
} from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS, waitForOrderStatus, waitForStage, waitForState } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let ownShopId: string;
let warehouse: string;
let opsAuth: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  warehouse = await setupWarehouse(h.db);
  // A marketplace shop whose own timers are short: they may remind, never cancel.
  shopId = await createShop(h.db, 'pdd', { unpaidCancelSeconds: 2, unpaidReminderSeconds: 2 });
  ownShopId = await createShop(h.db, 'own', { unpaidCancelSeconds: 2 });
  opsAuth = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function push(
  order: OrderPush,
  platform: 'pdd' | 'own' = 'pdd',
  shop = platform === 'own' ? ownShopId : shopId,
) {
  const res = await submitOrder(api, { platform, shopId: shop, order }, opsAuth);
  expect(res.statusCode).toBe(202);
  return orderWorkflowId(platform, shop, order.platformOrderId);
}

async function events(orderId: string) {
  return h.db
    .selectFrom('order_events')
    .select(['seq', 'stage', 'status', 'detail'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
}

describe('orderWorkflow', () => {
  it('answers the state query with the same timeline it wrote to order_events', async () => {
    const id = await push(orderPush());
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const state = await waitForState(h.client, id, (x) => x.awaitingWave.length > 0);
    const rows = await events(id);
    expect(state.timeline.map(({ seq, stage, status }) => ({ seq, stage, status }))).toEqual(
      rows.map(({ seq, stage, status }) => ({ seq, stage, status })),
    );
    expect(state).toMatchObject({ status: READY_STATUS, outcome: null });
    expect(state.waitingFor).toMatch(/^wave at /);
    expect(state.awaitingWave).toEqual([warehouse]);
    await recordHistory(h.client, id, 'order-paid-on-arrival');
  });

  it('waits for an own-store payment with the unpaid-cancel deadline visible, then proceeds when the paid snapshot arrives', async () => {
    const patient = await createShop(h.db, 'own', { unpaidCancelSeconds: 600 });
    const order = unpaid();
    const id = await push(order, 'own', patient);
    const waiting = await waitForState(h.client, id, (s) => s.status === 'awaiting_payment');
    expect(waiting.waitingFor).toBe('payment from the buyer');
    expect(waiting.nextDeadline?.kind).toBe('unpaid_cancel');
    expect(Date.parse(waiting.nextDeadline!.at)).toBe(Date.parse(order.createdAt) + 600_000);

    await push(paidSnapshot(order), 'own', patient);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    expect((await events(id)).map((e) => e.stage)).toEqual(PAID_LATER_STAGES);
    const row = await h.db
      .selectFrom('orders')
      .select(['paid_fen', 'platform_status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ paid_fen: 17_800, platform_status: 'paid' });
  });

  it("cancels an own-store order left unpaid past the shop's unpaid-cancel time and records why", async () => {
    const id = await push(unpaid(), 'own');
    await waitForOrderStatus(h.db, id, 'cancelled');
    const cancelled = (await events(id)).find((e) => e.stage === 'cancelled')!;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      detail: { outcome: 'unpaid_timeout', unpaidCancelSeconds: 2 },
    });
    const result = await h.client.workflow.getHandle(id).result();
    expect(result).toEqual({ orderId: id, status: 'cancelled', outcome: 'unpaid_timeout' });
    await recordHistory(h.client, id, 'order-own-unpaid-timeout');
  });

  it("never cancels a marketplace order on the ERP's timer: it reminds, keeps waiting, and proceeds when the platform reports it paid", async () => {
    const order = unpaid();
    const id = await push(order);
    await waitForStage(h.db, id, 'unpaid_reminder');
    const awaiting = (await events(id)).find((e) => e.stage === 'awaiting_payment')!;
    expect(awaiting.detail).toEqual({
      paymentWindow: 'platform',
      reminderAt: new Date(Date.parse(order.createdAt) + 2_000).toISOString(),
    });
    await expect
      .poll(
        async () =>
          h.db.selectFrom('alerts').select(['kind', 'message']).where('shop_id', '=', shopId).execute(),
        { timeout: PATIENCE_MS, interval: 200 },
      )
      .toContainEqual({ kind: 'unpaid_overdue', message: expect.stringContaining(id) });
    const overdue = await waitForState(
      h.client,
      id,
      (s) => s.flags.includes('unpaid_overdue') && s.nextDeadline === null,
    );
    expect(overdue.status).toBe('awaiting_payment');

    await push(paidSnapshot(order));
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const stages = (await events(id)).map((e) => e.stage);
    expect(stages.slice(0, 4)).toEqual([
      'captured',
      'awaiting_payment',
      'unpaid_reminder',
      'payment_confirmed',
    ]);
    expect(stages).not.toContain('cancelled');
    await recordHistory(h.client, id, 'order-marketplace-paid-after-reminder');
    await recordHistory(h.client, id, 'order-paid-after-reminder-combined-writes');
  });

  it('stops waiting when the platform cancels the unpaid order', async () => {
    const order = unpaid();
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'awaiting_payment');
    await push({ ...order, status: 'cancelled', modifiedAt: new Date().toISOString() });
    await waitForOrderStatus(h.db, id, 'cancelled');
    expect((await events(id)).at(-1)?.detail).toMatchObject({ outcome: 'cancelled_on_platform' });
  });

  it('ignores a snapshot older than the one it holds', async () => {
    const order = unpaid();
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'awaiting_payment');
    await push(paidSnapshot(order));
    // A delayed delivery of an earlier "cancelled" change must not undo the payment.
    await push({
      ...order,
      status: 'cancelled',
      modifiedAt: new Date(Date.parse(order.modifiedAt) + 1).toISOString(),
    });
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const row = await h.db
      .selectFrom('orders')
      .select('platform_status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.platform_status).toBe('paid');
  });

  it('keeps OrderStatus, Platform and ShopId search attributes current for Temporal Web', async () => {
    const id = await push(orderPush());
    await waitForOrderStatus(h.db, id, READY_STATUS);
    // Search attributes land when the workflow task that changed them completes, just after the row.
    await expect
      .poll(async () =>
        (await h.client.workflow.getHandle(id).describe()).typedSearchAttributes.get(OrderStatusKey),
      )
      .toBe(READY_STATUS);
    const description = await h.client.workflow.getHandle(id).describe();
    expect(description.typedSearchAttributes.get(ShopIdKey)).toBe(shopId);
    await expect
      .poll(async () => {
        const ids: string[] = [];
        for await (const wf of h.client.workflow.list({
          query: `ShopId = "${shopId}" AND OrderStatus = "${READY_STATUS}" AND Platform = "pdd"`,
        })) {
          ids.push(wf.workflowId);
        }
        return ids.includes(id);
      })
      .toBe(true);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForState } from '../support/waits.js';

// What the platform says about an order is in the list people read as soon as the order's workflow
// has it, even while the order waits for a person and takes no step of its own.

const MINUTES = 5 * 60_000;
let h: Harness;
let api: FastifyInstance;
let shopId: string;
let ops: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { 'SKU-001-RED-M': 100 } });
  shopId = await createShop(h.db, 'taobao', { holdSlaSeconds: 3600 });
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
});
afterAll(() => h.teardown());

async function push(order: OrderPush) {
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, order.platformOrderId);
}

async function listed(platformOrderId: string) {
  const res = await api.inject({
    method: 'GET',
    url: `/orders?shopId=${shopId}&q=${platformOrderId}`,
    headers: ops,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().orders as Array<Record<string, unknown>>).find(
    (o) => o.platform_order_id === platformOrderId,
  );
}

describe('the projection tells the truth when a snapshot arrives', () => {
  it('a held order’s newer platform snapshot (refund requested, memo changed) is listed at once, the order still held', async () => {
    const order = orderPush({ buyerRemark: '尺码可能不对' });
    const id = await push(order);
    await waitForState(h.client, id, (s) => s.status === 'held', MINUTES);
    const events = async () =>
      Number(
        (
          await h.db
            .selectFrom('order_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('order_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await events();

    await push({
      ...order,
      refundStatus: 'requested',
      sellerMemo: '买家申请退款，先别发',
      modifiedAt: new Date(Date.parse(order.modifiedAt) + 60_000).toISOString(),
    });
    await expect
      .poll(async () => (await listed(order.platformOrderId))?.refund_status, { timeout: MINUTES })
      .toBe('requested');
    const row = await listed(order.platformOrderId);
    expect(row).toMatchObject({ status: 'held', refund_status: 'requested' });
    const stored = await h.db
      .selectFrom('orders')
      .select(['seller_memo'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.seller_memo).toBe('买家申请退款，先别发');
    // Nothing moved on the order's side: it is still waiting for its reviewer.
    expect(await events()).toBe(before);
    const state = await waitForState(h.client, id, (s) => s.refundStatus === 'requested', MINUTES);
    expect(state.status).toBe('held');
  });
});

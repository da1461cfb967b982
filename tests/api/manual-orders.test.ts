import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { findOrder } from '../../db/queries/orders.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { NormalizedOrderSchema } from '../../domain/order.js';
import { createIntakeService } from '../../services/capture/intake-service.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, createShop, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

// Orders entered by hand (手工单) name who entered them, and never replace what a platform sent.

let h: Harness;
let api: FastifyInstance;
let shopId: string;
const username = 'cs-wang';
let cs: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'douyin');
  cs = bearer(await apiKeyFor(h.db, ['customer-service'], username));
  await h.startWorker();
});
afterAll(() => h.teardown());

const stored = (id: string) => findOrder(h.db, dataKeyring(h.config), id);

describe('POST /orders', () => {
  it('records who entered a manual order as the actor of its captured event; a repeat by hand is accepted', async () => {
    const push = orderPush();
    const res = await submitOrder(api, { platform: 'douyin', shopId, order: push }, cs);
    expect(res.statusCode, res.body).toBe(202);
    const id = orderWorkflowId('douyin', shopId, push.platformOrderId);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    const captured = (await stored(id))!.events.find((e) => e.stage === 'captured')!;
    expect(captured.actor).toBe(username);
    expect(captured.detail).toMatchObject({ manual: true });

    const again = await submitOrder(api, { platform: 'douyin', shopId, order: push }, cs);
    expect(again.statusCode, again.body).toBe(202);
  });

  it('refuses to replace an order its platform sent (409 naming the field) and leaves it as the platform sent it', async () => {
    const fromPlatform = NormalizedOrderSchema.parse({ ...orderPush(), platform: 'douyin', shopId });
    const intake = createIntakeService({
      db: h.db,
      client: h.client,
      taskQueue: h.config.TASK_QUEUE_ORDERS,
      ring: dataKeyring(h.config),
    });
    expect((await intake.take(fromPlatform, { onMissingRate: 'park' })).outcome).toBe('accepted');
    const id = orderWorkflowId('douyin', shopId, fromPlatform.platformOrderId);
    await waitForOrderStatus(h.db, id, READY_STATUS);
    expect((await stored(id))!.events.find((e) => e.stage === 'captured')!.actor).toBe('platform');

    const forged = {
      ...orderPush(),
      platformOrderId: fromPlatform.platformOrderId,
      modifiedAt: new Date().toISOString(),
      receiver: { ...fromPlatform.receiver, detail: '别处路1号' },
    };
    const res = await submitOrder(api, { platform: 'douyin', shopId, order: forged }, cs);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().issues).toEqual([expect.objectContaining({ field: 'body.order.platformOrderId' })]);
    const after = await stored(id);
    expect(after!.order.receiver).toMatchObject({ detail: fromPlatform.receiver.detail });
    expect(after!.events.some((e) => e.actor === username)).toBe(false);
  });
});

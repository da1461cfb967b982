import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, seedCatalog } from './fixtures.js';
import { setupWarehouse } from './fulfilment.js';
import type { Harness } from './harness.js';
import { submitOrder } from './intake.js';

export interface OrderDesk {
  api: FastifyInstance;
  shopId: string;
  /** Enters (or updates) a Taobao order through `POST /orders`; its workflow id. */
  push(order: OrderPush): Promise<string>;
}

/**
 * A Taobao shop whose catalog and warehouse can serve the fixture order (`orderPush`), and the API
 * with an ops key entering its orders: what the order workflow tests start from.
 */
export async function taobaoOrderDesk(h: Harness): Promise<OrderDesk> {
  const api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { 'SKU-001-RED-M': 100 } });
  const shopId = await createShop(h.db, 'taobao');
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  return {
    api,
    shopId,
    async push(order) {
      const res = await submitOrder(api, { platform: 'taobao', shopId, order }, ops);
      expect(res.statusCode, res.body).toBe(202);
      return orderWorkflowId('taobao', shopId, order.platformOrderId);
    },
  };
}

import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../domain/platforms.js';
import type { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { setupWarehouse, startCarrierSandbox, type CarrierSandboxServer } from './fulfilment.js';
import { createHarness, type Harness } from './harness.js';

/** The ERP's side of a platform world: carriers' sandbox, harness with a worker, a stocked warehouse. */
export interface ErpSide {
  h: Harness;
  api: FastifyInstance;
  carriers: CarrierSandboxServer;
  warehouse: string;
  ops: { authorization: string };
  wh: { authorization: string };
}

export async function startErpSide(
  stock: Record<string, number>,
  settings: Record<string, string>,
): Promise<ErpSide> {
  const carriers = await startCarrierSandbox();
  const h = await createHarness({ ...carriers.env, ...settings });
  const api = await h.api();
  await seedDemoData(h.db);
  const warehouse = await setupWarehouse(h.db, { stock });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
  return { h, api, carriers, warehouse, ops, wh };
}

/**
 * The platform changes the order (a newer modified time) and names it, as its push would: the ERP
 * fetches it.
 */
export function orderChanges(side: ErpSide, store: SimOrderStore, platform: Platform) {
  return async (shopId: string, order: SimOrder, change: (o: SimOrder) => void = () => {}) => {
    change(order);
    order.modifiedAt = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
    store.upsert(order);
    await requestOrderFetch(side.h.client, side.h.config.TASK_QUEUE_ORDERS, { id: shopId, platform }, [
      { platformOrderId: order.id },
    ]);
  };
}

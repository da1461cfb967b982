import { WorkflowNotFoundError } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { allocateOrder } from '../../activities/stock/allocate.js';
import { installErrorHandler } from '../../api/errors.js';
import { catalogRoutes } from '../../api/routes/catalog.js';
import { stockRoutes, type StockEvent } from '../../api/routes/stock.js';
import { wmsRoutes } from '../../api/routes/wms.js';
import type { Db } from '../../db/connect.js';
import { createWave } from '../../db/queries/wms.js';
import { formParcels } from '../../domain/parcels/form.js';
import { readyOrdersFor } from '../../domain/parcels/ready.js';
import { DEFAULT_MERGE_POLICY, type MergePolicy, type ReadyOrder } from '../../domain/parcels/types.js';
import type { WmsEvent } from '../../domain/wms/adapter.js';
import type { WaveEntry } from '../../workflows/messages.js';
import type { Harness } from '../support/harness.js';
import { readyOrder } from '../parcels/fixtures.js';
import { orderPush, uniqueId } from '../support/fixtures.js';

/**
 * The stock, catalog and WMS routes over a file's database, with the callbacks the integrator
 * would wire to workflows replaced by recorders.
 */
export async function routesApp(
  h: Harness,
  db: Db,
  hooks: { onWmsEvent?: (e: WmsEvent) => Promise<void> | void; onStockEvent?: (e: StockEvent) => void } = {},
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  const deps = { db, temporal: h.client, config: h.config };
  await app.register(catalogRoutes, deps);
  await app.register(stockRoutes, {
    ...deps,
    ...(hooks.onStockEvent ? { onStockEvent: hooks.onStockEvent } : {}),
  });
  await app.register(wmsRoutes, { ...deps, ...(hooks.onWmsEvent ? { onWmsEvent: hooks.onWmsEvent } : {}) });
  await app.ready();
  return app;
}

/** Allocates an order for these SKUs and returns its warehouse shares as wave-ready orders. */
export async function allocatedOrder(
  db: Db,
  lines: { sku: string; qty: number }[],
  extra: Partial<ReadyOrder> = {},
): Promise<ReadyOrder[]> {
  const orderId = uniqueId('order');
  const push = orderPush({
    lines: lines.map((l, i) => ({
      lineId: String(i + 1),
      platformSkuId: '',
      skuCode: l.sku,
      title: '',
      quantity: l.qty,
      unitPriceFen: 1000,
      discountFen: 0,
    })),
  });
  const result = await allocateOrder(db, {
    orderId,
    allocationId: `${orderId}:alloc:1`,
    order: { ...push, platform: 'taobao', shopId: 'shop-a' },
  });
  if (result.kind !== 'allocated') throw new Error(`allocation failed: ${result.reason}`);
  const order = {
    ...push,
    platform: 'taobao' as const,
    shopId: 'shop-a',
    buyer: { id: extra.buyerId ?? push.buyer.id },
  };
  return readyOrdersFor({
    orderId,
    order,
    allocationId: result.allocationId,
    shares: result.shares,
    readyAt: new Date().toISOString(),
    ...(extra.urgent !== undefined ? { urgent: extra.urgent } : {}),
  });
}

export async function waveOf(
  db: Db,
  warehouse: string,
  orders: ReadyOrder[],
  policy: Partial<MergePolicy> = {},
) {
  const waveId = uniqueId('wave');
  const parcels = formParcels(orders, {
    carrierLimits: { maxWeightG: 30_000 },
    policy: { ...DEFAULT_MERGE_POLICY, ...policy },
    idPrefix: `${waveId}-P`,
  });
  return { ...(await createWave(db, { waveId, warehouse, parcels })), parcels };
}

/** An order ready at `warehouse` as a wave keeps it: one light line, a buyer and address of its own. */
export function waveEntry(warehouse: string, overrides: Partial<ReadyOrder> = {}): WaveEntry {
  const orderId = overrides.orderId ?? uniqueId('order:own:shop-1');
  const base = readyOrder({
    orderId,
    allocationId: `${orderId}:alloc:1.1`,
    warehouse,
    buyerId: uniqueId('buyer'),
  });
  const ready: ReadyOrder = {
    ...base,
    receiver: { ...base.receiver, detail: `文三路${uniqueId('')}号` },
    readyAt: new Date().toISOString(),
    ...overrides,
  };
  const { platform, shopId, type } = ready;
  const receiver = { city: '', district: '', ...ready.receiver, country: 'CN', protected: false };
  return {
    ready,
    ref: { orderId, platform, shopId, platformOrderId: orderId, type, receiver, orderLineIds: ['1'] },
  };
}

/** Whether the workflow has been started (a wave's dispatch starts its shipments one by one). */
export async function started(h: Harness, workflowId: string): Promise<boolean> {
  try {
    await h.client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

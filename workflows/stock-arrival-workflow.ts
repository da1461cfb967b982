import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { stockArrivedSignal, stockReservedSignal } from './messages.js';

const { allocateWaitingOrders, releaseOrderStock } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

const ROUNDS_PER_RUN = 100;
const IDLE_MS = 10 * 60_000;

/**
 * The single place stock is handed to orders that waited for it (`stock-arrivals:{task queue}`): receipts queue
 * here and are worked one at a time, so the oldest waiting order always gets the units first even
 * when receipts arrive together. Each resumed order is signalled with its reservation; an order
 * that closed meanwhile gets its reservation released.
 */
export async function stockArrivalWorkflow(input: { queued: string[] } = { queued: [] }): Promise<void> {
  const queued = new Set(input.queued);
  setHandler(stockArrivedSignal, ({ skus }) => {
    for (const sku of skus) queued.add(sku);
  });
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    if (!(await condition(() => queued.size > 0, IDLE_MS))) return;
    const skus = [...queued].sort();
    queued.clear();
    const { resumed } = await allocateWaitingOrders({ skus, actor: 'stock arrival' });
    for (const order of resumed) {
      try {
        await getExternalWorkflowHandle(order.orderId).signal(stockReservedSignal, {
          allocationId: order.allocationId,
          plan: order.plan,
          shares: order.shares,
          reason: order.reason,
          waitedSince: order.waitedSince,
        });
      } catch {
        // The order closed while it waited (signalling a closed workflow fails): free its units.
        await releaseOrderStock({
          key: `${order.allocationId}:closed`,
          orderId: order.orderId,
          allocationId: order.allocationId,
          reason: 'the order closed while waiting for stock',
          actor: 'system',
        });
      }
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof stockArrivalWorkflow>({ queued: [...queued] });
}

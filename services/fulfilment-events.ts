import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import type { WmsEvent } from '../domain/wms/adapter.js';
import { shipmentWmsEventSignal, stockArrivedSignal } from '../workflows/messages.js';

/**
 * One per deployment, named by its order task queue: deployments that share a Temporal namespace
 * (staging beside production, or test files on one dev server) never work each other's receipts
 * against the wrong database.
 */
export function stockArrivalsWorkflowId(taskQueue: string): string {
  return `stock-arrivals:${taskQueue}`;
}

/**
 * What happens after the warehouse records something: a stock receipt wakes the orders waiting for
 * it (through the one stock-arrivals workflow, so the oldest is served first), and every WMS
 * confirmation reaches the shipment it concerns. Both are signals: durable once accepted, so a
 * failure surfaces to the caller, who resends with the same idempotency key.
 */
export function createFulfilmentEventHandlers({ temporal, config }: { temporal: Client; config: Config }) {
  return {
    async onStockEvent(event: { skus: string[]; receiptKey: string }): Promise<void> {
      await temporal.workflow.signalWithStart('stockArrivalWorkflow', {
        workflowId: stockArrivalsWorkflowId(config.TASK_QUEUE_ORDERS),
        taskQueue: config.TASK_QUEUE_ORDERS,
        args: [
          {
            queued: [],
            historyLimit: config.WORKFLOW_HISTORY_LIMIT,
            pageSize: config.STOCK_ARRIVAL_PAGE_SIZE,
          },
        ],
        signal: stockArrivedSignal,
        signalArgs: [{ skus: event.skus, receiptKey: event.receiptKey }],
      });
    },

    async onWmsEvent(event: WmsEvent): Promise<void> {
      if (!('parcelId' in event)) return; // a whole wave picked: nothing for a single shipment
      try {
        await temporal.workflow.getHandle(`shipment:${event.parcelId}`).signal(shipmentWmsEventSignal, event);
      } catch (err) {
        // No shipment to tell: either it finished (cancelled or delivered) and has nothing left to do
        // with the event, or the wave's dispatch has not started it yet, and it reads the recorded
        // confirmation when it starts (workflows/shipment-workflow.ts, RECORDED_WMS_PATCH).
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
  };
}

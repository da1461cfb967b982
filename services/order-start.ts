import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderWorkflowId } from '../domain/ids.js';
import type { NormalizedOrder } from '../domain/order.js';
import { orderSnapshotSignal, type OrderWorkflowInput } from '../workflows/messages.js';
import { OrderStatusKey, PlatformKey, ShopIdKey } from '../workflows/search-attributes.js';

/**
 * How an order enters the system, shared by every caller (webhooks, shop sync, the API).
 * Never imported by workflow code: it runs in clients.
 */
export type IntakeResult =
  | { outcome: 'accepted'; workflowId: string }
  /**
   * The order's workflow already finished. A payment for an order that ended without shipping is
   * not dropped: the intake service revives it or raises an alert (domain/payment-window.ts).
   */
  | { outcome: 'closed'; workflowId: string }
  /** The order had been ended by the ERP's own payment timer and starts again from payment. */
  | { outcome: 'revived'; workflowId: string };

/** The workflow memo naming who entered a manual order (absent on the platforms' orders). */
export const ENTERED_BY_MEMO = 'enteredBy';

/**
 * Starts the order's workflow, or hands the snapshot to the one already running. Signal-with-start
 * is durable without a live worker, so a webhook can be acknowledged at once; the id is the
 * business key and a closed order is never started twice.
 */
export async function submitOrderSnapshot(
  client: Client,
  taskQueue: string,
  order: NormalizedOrder,
  revival?: OrderWorkflowInput['revival'],
  enteredBy?: string,
): Promise<IntakeResult> {
  const workflowId = orderWorkflowId(order.platform, order.shopId, order.platformOrderId);
  try {
    await client.workflow.signalWithStart('orderWorkflow', {
      workflowId,
      taskQueue,
      args: [
        {
          order,
          ...(revival ? { revival } : {}),
          ...(enteredBy ? { enteredBy } : {}),
        } satisfies OrderWorkflowInput,
      ],
      // Read by POST /orders before it touches an order that exists: a platform's is not a person's to replace.
      ...(enteredBy ? { memo: { [ENTERED_BY_MEMO]: enteredBy } } : {}),
      signal: orderSnapshotSignal,
      signalArgs: [order],
      // A revival starts a new run under the same id; two racing revivals signal the one started.
      workflowIdReusePolicy: revival ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: PlatformKey, value: order.platform },
        { key: ShopIdKey, value: order.shopId },
        { key: OrderStatusKey, value: 'captured' },
      ],
    });
    return { outcome: revival ? 'revived' : 'accepted', workflowId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'closed', workflowId };
    throw err;
  }
}

/**
 * Who entered the order with this id by hand: `{ exists: false }` when there is no such order,
 * `enteredBy: null` when it came from its platform (polled, pushed or relayed).
 */
export async function orderOrigin(
  client: Client,
  workflowId: string,
): Promise<{ exists: false } | { exists: true; enteredBy: string | null }> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    const enteredBy = description.memo?.[ENTERED_BY_MEMO];
    return { exists: true, enteredBy: typeof enteredBy === 'string' ? enteredBy : null };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { exists: false };
    throw err;
  }
}

import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { shopsWithListings } from '../../db/queries/stock-sync.js';
import { stockSyncSignal, type StockSyncCommand, type StockSyncInput } from '../../workflows/messages.js';
import { ShopIdKey } from '../../workflows/search-attributes.js';

/** Client-side control of shops' stock sync workflows; every call is safe to repeat. */
export function stockSyncWorkflowId(shopId: string): string {
  return `stock-sync:${shopId}`;
}

export type StockSyncSettings = Pick<Config, 'STOCK_SYNC_INTERVAL_SECONDS' | 'STOCK_RECONCILE_SECONDS'> &
  Partial<Pick<Config, 'WORKFLOW_HISTORY_LIMIT'>>;

/** Starts the shop's stock sync, or tells the running one (wake: run a pass now; reconcile). */
export async function startStockSync(
  client: Client,
  taskQueue: string,
  shopId: string,
  settings: StockSyncSettings,
  command: StockSyncCommand = { kind: 'wake' },
): Promise<string> {
  const workflowId = stockSyncWorkflowId(shopId);
  await client.workflow.signalWithStart('stockSyncWorkflow', {
    workflowId,
    taskQueue,
    args: [
      {
        shopId,
        intervalSeconds: settings.STOCK_SYNC_INTERVAL_SECONDS,
        reconcileSeconds: settings.STOCK_RECONCILE_SECONDS,
        ...(settings.WORKFLOW_HISTORY_LIMIT ? { historyLimit: settings.WORKFLOW_HISTORY_LIMIT } : {}),
      } satisfies StockSyncInput,
    ],
    signal: stockSyncSignal,
    signalArgs: [command],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [{ key: ShopIdKey, value: shopId }],
  });
  return workflowId;
}

/** Asks a running stock sync to stop; nothing to do when none runs. */
export async function stopStockSync(client: Client, shopId: string): Promise<void> {
  try {
    await client.workflow.getHandle(stockSyncWorkflowId(shopId)).signal(stockSyncSignal, { kind: 'stop' });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/**
 * Makes sure every shop that lists something has its stock sync running (a worker calls this when
 * it starts): one `stock-sync:{shopId}` each, started if it is not running and only woken if it is,
 * so every worker may call it and a repeat changes nothing. Returns the shops asked, and the ones
 * that could not be asked (logged by the caller; the next start or a saved listing tries again).
 */
export async function startStockSyncs(
  client: Client,
  db: Db,
  config: StockSyncSettings & Pick<Config, 'TASK_QUEUE_ORDERS'>,
): Promise<{ started: string[]; failed: { shopId: string; error: string }[] }> {
  const started: string[] = [];
  const failed: { shopId: string; error: string }[] = [];
  for (const shopId of await shopsWithListings(db)) {
    try {
      await startStockSync(client, config.TASK_QUEUE_ORDERS, shopId, config);
      started.push(shopId);
    } catch (err) {
      failed.push({ shopId, error: (err as Error).message });
    }
  }
  return { started, failed };
}

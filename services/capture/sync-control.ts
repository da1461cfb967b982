import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Platform } from '../../domain/platforms.js';
import {
  shopSyncSignal,
  type FetchRequest,
  type ShopSyncCommand,
  type ShopSyncInput,
} from '../../workflows/messages.js';
import { PlatformKey, ShopIdKey } from '../../workflows/search-attributes.js';

/**
 * Client-side control of shop sync workflows, for the API (shop changes, webhooks) and the dev
 * stack. Every call is signal-with-start or a plain signal on the deterministic id, so repeating
 * one is harmless and none waits for a worker.
 */
export function shopSyncWorkflowId(shopId: string): string {
  return `shop-sync:${shopId}`;
}

async function signalWithStart(
  client: Client,
  taskQueue: string,
  shop: { id: string; platform: Platform | string },
  command: ShopSyncCommand,
): Promise<string> {
  const workflowId = shopSyncWorkflowId(shop.id);
  await client.workflow.signalWithStart('shopSyncWorkflow', {
    workflowId,
    taskQueue,
    args: [{ shopId: shop.id } satisfies ShopSyncInput],
    signal: shopSyncSignal,
    signalArgs: [command],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: ShopIdKey, value: shop.id },
      { key: PlatformKey, value: shop.platform },
    ],
  });
  return workflowId;
}

/** Starts the shop's sync, or wakes the running one to reload its settings and poll now. */
export function startShopSync(
  client: Client,
  taskQueue: string,
  shop: { id: string; platform: Platform | string },
): Promise<string> {
  return signalWithStart(client, taskQueue, shop, { kind: 'wake' });
}

/** Asks the shop's sync to finish its pending fetches and stop; nothing to do when none runs. */
export async function stopShopSync(client: Client, shopId: string): Promise<void> {
  try {
    await client.workflow.getHandle(shopSyncWorkflowId(shopId)).signal(shopSyncSignal, { kind: 'stop' });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** Wakes a running sync (settings or credentials changed); does not start one. */
export async function wakeShopSync(client: Client, shopId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(shopSyncWorkflowId(shopId)).signal(shopSyncSignal, { kind: 'wake' });
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Hands order ids a push named to the shop's sync, which fetches them from the platform. Durable
 * once this returns: the request sits in the workflow's history even while the platform is down.
 */
export function requestOrderFetch(
  client: Client,
  taskQueue: string,
  shop: { id: string; platform: Platform | string },
  orders: FetchRequest[],
): Promise<string> {
  return signalWithStart(client, taskQueue, shop, { kind: 'fetch', orders });
}

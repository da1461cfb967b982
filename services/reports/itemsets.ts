import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { openItemsetRun, type ItemsetRunParams } from '../../db/queries/reports/itemsets.js';

/**
 * Asks for a period's itemsets: opens a run (or finds the one already mining the same question)
 * and makes sure its workflow runs. Starting again after a lost answer is safe: the run's workflow
 * id is fixed, so a second start finds the first.
 */
export async function requestItemsetRun(
  deps: { db: Db; client: Client; config: Config },
  params: ItemsetRunParams,
  requestedBy: string,
): Promise<{ runId: string; created: boolean }> {
  const { id, created } = await openItemsetRun(deps.db, { id: `bi-${randomUUID()}`, params, requestedBy });
  try {
    await deps.client.workflow.start('basketItemsetsWorkflow', {
      workflowId: `basket-itemsets:${id}`,
      taskQueue: deps.config.TASK_QUEUE_ORDERS,
      args: [{ runId: id }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { runId: id, created };
}

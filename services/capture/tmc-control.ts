import type { Client } from '@temporalio/client';
import type { MessageChannelInput } from '../../workflows/messages.js';

export function tmcChannelWorkflowId(appKey: string): string {
  return `tmc:${appKey}`;
}

/**
 * Starts the TMC channel workflow of a TOP app, or leaves the running one alone: safe to call from
 * every worker on every scan.
 */
export async function ensureTmcChannel(
  client: Client,
  taskQueue: string,
  input: { appKey: string; runSeconds: number },
): Promise<string> {
  const workflowId = tmcChannelWorkflowId(input.appKey);
  await client.workflow.start('messageChannelWorkflow', {
    workflowId,
    taskQueue,
    args: [{ appKey: input.appKey, runSeconds: input.runSeconds } satisfies MessageChannelInput],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return workflowId;
}

import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

/** The engine's ceiling: a workflow doing nothing but `activityCount` empty activities in sequence. */
export async function noopWorkflow(activityCount: number): Promise<void> {
  for (let i = 0; i < activityCount; i++) await noop();
}

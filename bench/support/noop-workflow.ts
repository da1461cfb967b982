import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

/**
 * The engine's ceiling: a workflow doing nothing but empty activities in sequence — as many
 * ordinary and local ones as the real workflow it is compared with.
 */
export async function noopWorkflow(activityCount: number, localActivityCount = 0): Promise<void> {
  for (let i = 0; i < localActivityCount; i++) await local.noop();
  for (let i = 0; i < activityCount; i++) await noop();
}

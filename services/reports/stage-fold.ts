import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';

/** One fold schedule per task queue (the workers of one deployment share it). */
export function stageFoldScheduleId(taskQueue: string): string {
  return `stage-fold:${taskQueue}`;
}

/**
 * Makes sure the schedule that folds the stage durations appended on write into the efficiency
 * histograms exists (docs/reports.md): `stageFoldWorkflow` every `STAGE_FOLD_SECONDS`, one at a
 * time (a fold still running when the next is due makes the next one skip). Every worker asks at
 * start; an existing schedule is brought to the current interval.
 */
export async function ensureStageFoldSchedule(
  client: Client,
  config: Pick<Config, 'TASK_QUEUE_ORDERS' | 'STAGE_FOLD_SECONDS'>,
): Promise<void> {
  const scheduleId = stageFoldScheduleId(config.TASK_QUEUE_ORDERS);
  const options = {
    spec: { intervals: [{ every: `${config.STAGE_FOLD_SECONDS}s` }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'stageFoldWorkflow',
      workflowId: scheduleId,
      taskQueue: config.TASK_QUEUE_ORDERS,
      args: [],
      workflowExecutionTimeout: '1 hour',
    },
    policies: { overlap: 'SKIP' as const, catchupWindow: '1 minute' },
  };
  try {
    await client.schedule.create({ scheduleId, ...options });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update(() => ({ ...options, state: {} }));
  }
}

import { workflowInfo } from '@temporalio/workflow';
import type { EventFence } from '../domain/event-fence.js';

/**
 * The fence of an event emitted now (domain/event-fence.ts). A workflow task that re-executes a
 * lost one reads a longer history, so its events outrank the lost task's in the projection.
 */
export function eventFence(): EventFence {
  const info = workflowInfo();
  return { runStartedAt: info.runStartTime.toISOString(), historyLength: info.historyLength };
}

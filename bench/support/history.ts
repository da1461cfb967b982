import type { temporal } from '@temporalio/proto';

/**
 * How many ordinary and local activities a workflow run executed (local ones are markers), and how
 * many workflow tasks it completed.
 */
export function activityCounts(history: temporal.api.history.v1.IHistory): {
  remote: number;
  local: number;
  workflowTasks: number;
} {
  const events = history.events ?? [];
  return {
    remote: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    local: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
  };
}

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

export interface HistoryCost {
  events: number;
  workflowTasks: number;
  /** Workflow tasks that failed or timed out (each runs again). */
  tasksLost: number;
  /** Local activities (by type) and ordinary activities scheduled (by type). */
  local: Map<string, number>;
  remote: Map<string, number>;
  /** The most local activities one workflow task ran: how long a task stays open over them. */
  mostLocalInOneTask: number;
}

const bump = (m: Map<string, number>, key: string, by = 1) => m.set(key, (m.get(key) ?? 0) + by);

/** A local activity's type, from its marker (the SDK writes the marker's data as plain JSON). */
function localActivityType(event: temporal.api.history.v1.IHistoryEvent): string | null {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return null;
  const data = marker.details?.data?.payloads?.[0]?.data;
  try {
    return (
      (JSON.parse(new TextDecoder().decode(data ?? undefined)) as { activity_type?: string }).activity_type ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

/** What a workflow run cost the engine: events, tasks, activities by type. */
export function historyCost(history: temporal.api.history.v1.IHistory): HistoryCost {
  const cost: HistoryCost = {
    events: 0,
    workflowTasks: 0,
    tasksLost: 0,
    local: new Map(),
    remote: new Map(),
    mostLocalInOneTask: 0,
  };
  let inTask = 0;
  for (const e of history.events ?? []) {
    cost.events += 1;
    if (e.workflowTaskCompletedEventAttributes) {
      cost.workflowTasks += 1;
      inTask = 0;
    }
    if (e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) cost.tasksLost += 1;
    const remote = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (remote) bump(cost.remote, remote);
    const local = localActivityType(e);
    if (local) {
      bump(cost.local, local);
      inTask += 1;
      cost.mostLocalInOneTask = Math.max(cost.mostLocalInOneTask, inTask);
    }
  }
  return cost;
}

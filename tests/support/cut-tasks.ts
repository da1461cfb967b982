import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { TEST_DATA_KEYS } from './data-keys.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = (await import('@temporalio/proto')).temporal.api.enums.v1;

/**
 * Workflow histories as they would read had a workflow task been cut short: on a loaded machine a
 * task that runs local activities for most of its timeout is completed where it got to (its
 * heartbeat) and the rest goes on in the next task, at whichever local activity it had reached.
 * Wherever that cut falls, the workflow must replay — on another worker, or once evicted from the
 * cache — or it fails every task from then on (TMPRL1100) and is stuck.
 */

const id = (v: unknown): number => Number(String(v));

/** Where the local activities' markers are. */
export const localActivityMarkers = (events: HistoryEvent[]): number[] =>
  events.flatMap((e, i) =>
    e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? [i] : [],
  );

/** The one `…EventAttributes` field an event carries. */
function attributesOf(e: HistoryEvent): keyof HistoryEvent | undefined {
  return (Object.keys(e) as (keyof HistoryEvent)[]).find(
    (k) => String(k).endsWith('EventAttributes') && e[k] != null,
  );
}

/**
 * The same history with the workflow task that recorded the marker at `index` cut short right
 * after it: that task completed there, `arriving` (signals, moved here from where they were) came
 * in, and a new task ran the rest of the cut task's commands. Events are numbered again and every
 * reference to an event (`…EventId`) still points at the same one; the new task completed as the
 * cut one did (the same SDK flags). Plain numbers, as the decoder takes them.
 */
export function cutAfter(
  events: HistoryEvent[],
  index: number,
  arriving: HistoryEvent[] = [],
): HistoryEvent[] {
  const cutMarker = events[index]!;
  const cutTask = id(cutMarker.markerRecordedEventAttributes!.workflowTaskCompletedEventId);
  const completedAs = events.find((e) => id(e.eventId) === cutTask)!.workflowTaskCompletedEventAttributes!;
  const at = cutMarker.eventTime;
  const scheduled: HistoryEvent = {
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    eventTime: at,
    workflowTaskScheduledEventAttributes: { taskQueue: { name: 'replay' }, attempt: 1 },
  };
  const started: HistoryEvent = {
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    eventTime: at,
    workflowTaskStartedEventAttributes: {},
  };
  const completed: HistoryEvent = {
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    eventTime: at,
    workflowTaskCompletedEventAttributes: { ...completedAs },
  };
  const moved = new Set(arriving);
  const kept = events.filter((e) => !moved.has(e));
  const cutAt = kept.indexOf(cutMarker);
  const cut = [
    ...kept.slice(0, cutAt + 1),
    ...arriving.map((e) => ({ ...e, eventTime: at })),
    scheduled,
    started,
    completed,
    ...kept.slice(cutAt + 1),
  ];
  const renumbered = new Map<number, number>();
  cut.forEach((e, i) => {
    if (e.eventId != null) renumbered.set(id(e.eventId), i + 1);
  });
  const newTask = { scheduled: cut.indexOf(scheduled) + 1, started: cut.indexOf(started) + 1 };
  const newCompleted = cut.indexOf(completed) + 1;
  const numbered = cut.map((e, i) => {
    const eventId = i + 1;
    if (e === started) {
      return { ...e, eventId, workflowTaskStartedEventAttributes: { scheduledEventId: newTask.scheduled } };
    }
    if (e === completed) {
      return {
        ...e,
        eventId,
        workflowTaskCompletedEventAttributes: {
          ...completedAs,
          scheduledEventId: newTask.scheduled,
          startedEventId: newTask.started,
        },
      };
    }
    const key = attributesOf(e);
    if (!key) return { ...e, eventId };
    const attributes: Record<string, unknown> = { ...(e[key] as Record<string, unknown>) };
    for (const [name, value] of Object.entries(attributes)) {
      if (!name.endsWith('EventId') || value == null || id(value) === 0) continue;
      // The cut task's commands after the cut are the new task's.
      attributes[name] =
        name === 'workflowTaskCompletedEventId' && id(value) === cutTask && i > cutAt
          ? newCompleted
          : (renumbered.get(id(value)) ?? id(value));
    }
    return { ...e, eventId, [key]: attributes };
  });
  return numbered as unknown as HistoryEvent[];
}

/** The history as recorded, and cut after each of its local activities in turn. */
export function cutAfterEachLocalActivity(
  events: HistoryEvent[],
): { workflowId: string; events: HistoryEvent[] }[] {
  return [
    { workflowId: 'uncut', events },
    ...localActivityMarkers(events).map((i) => ({
      workflowId: `cut-after-event-${i + 1}`,
      events: cutAfter(events, i),
    })),
  ];
}

/** Replays each history against the workflow bundle; the workflow ids of those that failed, with why. */
export async function replayFailures(histories: { workflowId: string; events: HistoryEvent[] }[]) {
  const results = Worker.runReplayHistories(
    {
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: temporalDataConverter({ ...TEST_DATA_KEYS, DATA_DIR: '.data', NODE_ENV: 'test' }),
    },
    histories.map((h) => ({ workflowId: h.workflowId, history: { events: h.events } })),
  );
  const failed: string[] = [];
  let replayed = 0;
  for await (const result of results) {
    replayed += 1;
    if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`);
  }
  return { replayed, failed };
}

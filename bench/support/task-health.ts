import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { mapLimit } from '../../domain/map-limit.js';
import { fmt, percentile } from './stats.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const ms = (e: HistoryEvent): number => {
  const t = e.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
};

interface TypeHealth {
  runs: number;
  timedOut: number;
  failed: number;
  /**
   * Why tasks failed, by cause: UNHANDLED_COMMAND (a signal came in while the task completed) is
   * the engine's normal retry; anything else (a nondeterminism, an error in workflow code) is a fault.
   */
  causes: Map<string, number>;
  /** The first failure message of a cause other than UNHANDLED_COMMAND, to read without Temporal Web. */
  fault: string | null;
  /** Workflow task started → completed, every task of every run. */
  taskMs: number[];
  /** Workflow task scheduled → started. */
  waitMs: number[];
  events: number[];
  bytes: number[];
}

const BENIGN_CAUSE = 'UNHANDLED_COMMAND';

function noteFailure(
  h: TypeHealth,
  failed: temporal.api.history.v1.IWorkflowTaskFailedEventAttributes,
): void {
  h.failed += 1;
  const cause =
    proto.temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause ?? 0]?.replace(
      'WORKFLOW_TASK_FAILED_CAUSE_',
      '',
    ) ?? String(failed.cause);
  h.causes.set(cause, (h.causes.get(cause) ?? 0) + 1);
  if (cause !== BENIGN_CAUSE) h.fault ??= (failed.failure?.message ?? '?').slice(0, 200);
}

/**
 * How the workflow tasks of a run's workflows went, by workflow type: tasks that timed out or
 * failed, how long a task waited for a worker and ran, and how long the histories grew (events,
 * bytes). Reads the histories of up to `limit` workflows of each type.
 */
export async function workflowTaskHealth(client: Client, limit = 150): Promise<string[]> {
  const byType = new Map<string, { workflowId: string; runId: string }[]>();
  for await (const wf of client.workflow.list()) {
    const list = byType.get(wf.type) ?? [];
    if (list.length < limit) list.push({ workflowId: wf.workflowId, runId: wf.runId });
    byType.set(wf.type, list);
  }
  const lines: string[] = [];
  for (const [type, runs] of [...byType.entries()].sort()) {
    const h: TypeHealth = {
      runs: 0,
      timedOut: 0,
      failed: 0,
      causes: new Map(),
      fault: null,
      taskMs: [],
      waitMs: [],
      events: [],
      bytes: [],
    };
    await mapLimit(runs, 4, async ({ workflowId, runId }) => {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      h.runs += 1;
      h.events.push(events.length);
      h.bytes.push(JSON.stringify(history).length);
      const at = new Map<string, number>();
      for (const e of events) {
        at.set(String(e.eventId), ms(e));
        if (e.workflowTaskTimedOutEventAttributes) h.timedOut += 1;
        const failed = e.workflowTaskFailedEventAttributes;
        if (failed) noteFailure(h, failed);
        const started = e.workflowTaskStartedEventAttributes;
        if (started) h.waitMs.push(ms(e) - (at.get(String(started.scheduledEventId)) ?? ms(e)));
        const completed = e.workflowTaskCompletedEventAttributes;
        if (completed) h.taskMs.push(ms(e) - (at.get(String(completed.startedEventId)) ?? ms(e)));
      }
    });
    for (const list of [h.taskMs, h.waitMs, h.events, h.bytes]) list.sort((a, b) => a - b);
    lines.push(
      `  ${type} (${h.runs} runs): tasks timed out ${h.timedOut}, failed ${h.failed}; task run p50/p99/max ` +
        `${fmt(percentile(h.taskMs, 50) / 1000, 2)} / ${fmt(percentile(h.taskMs, 99) / 1000, 2)} / ` +
        `${fmt((h.taskMs.at(-1) ?? 0) / 1000, 2)} s, wait p50/p99 ${fmt(percentile(h.waitMs, 50) / 1000, 2)} / ` +
        `${fmt(percentile(h.waitMs, 99) / 1000, 2)} s; history events max ${h.events.at(-1) ?? 0}, ` +
        `size max ${fmt((h.bytes.at(-1) ?? 0) / 1024, 0)} KiB`,
    );
    if (h.failed > 0) {
      const causes = [...h.causes].map(([cause, n]) => `${cause} ${n}`).join(', ');
      lines.push(`    failed tasks by cause: ${causes}${h.fault ? `; first fault: ${h.fault}` : ''}`);
    }
  }
  return lines;
}

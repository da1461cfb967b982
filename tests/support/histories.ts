import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { PATIENCE_MS } from './waits.js';

type History = temporal.api.history.v1.IHistory;

export const HISTORIES_DIR = path.resolve('tests/histories');

/**
 * With RECORD_HISTORIES=1 a test run saves the histories of its scenarios under tests/histories/,
 * where the replay test replays them on every run: a workflow change that breaks determinism for
 * orders already in flight then fails CI.
 */
export async function recordHistory(client: Client, workflowId: string, scenario: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  // Saved where the workflow's decisions end: a workflow task still to run (a signal, an activity's
  // result just in) would be run for real by the replayer, which has no activities.
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + PATIENCE_MS;
  let history = await handle.fetchHistory();
  while (undecidedTail(history) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    history = await handle.fetchHistory();
  }
  await mkdir(HISTORIES_DIR, { recursive: true });
  // The same JSON `temporal workflow show --output json` prints, so ops can add histories from production.
  await writeFile(path.join(HISTORIES_DIR, `${scenario}.json`), historyToJSON(history));
}

/** A workflow's runs, newest first, following each run back to the one it continued as new from. */
export async function workflowRuns(client: Client, workflowId: string): Promise<{ events: number }[]> {
  const out: { events: number }[] = [];
  let runId: string | undefined;
  for (let i = 0; i < 100; i++) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    out.push({ events: history.events!.length });
    if (!started.continuedExecutionRunId) break;
    runId = started.continuedExecutionRunId;
  }
  return out;
}

/**
 * How many events at the end of a history follow its last completed workflow task while a workflow
 * task is still scheduled or running among them: a history fetched while the workflow was busy.
 * The replayer runs such a task as new work — with no activities registered ("Local activity of
 * type '…' not registered on worker"), and with nothing recorded to compare its commands against.
 */
export function undecidedTail(history: History): number {
  const events = history.events ?? [];
  let last = -1;
  events.forEach((e, i) => {
    if (e.workflowTaskCompletedEventAttributes) last = i;
  });
  const tail = events.slice(last + 1);
  const pending = tail.some(
    (e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes,
  );
  return pending && last >= 0 ? tail.length : 0;
}

/** The history up to where its workflow's decisions end (see `undecidedTail`): what replay checks. */
export function decidedHistory(history: History): History {
  const cut = undecidedTail(history);
  return cut === 0 ? history : { ...history, events: (history.events ?? []).slice(0, -cut) };
}

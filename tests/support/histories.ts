import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const HISTORIES_DIR = path.resolve('tests/histories');

/**
 * With RECORD_HISTORIES=1 a test run saves the histories of its scenarios under tests/histories/,
 * where the replay test replays them on every run: a workflow change that breaks determinism for
 * orders already in flight then fails CI.
 */
export async function recordHistory(client: Client, workflowId: string, scenario: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
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

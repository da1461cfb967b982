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

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { TEST_DATA_KEYS } from '../support/data-keys.js';
import { decidedHistory, HISTORIES_DIR, undecidedTail } from '../support/histories.js';

type History = ReturnType<typeof historyFromJSON>;

/**
 * Every recorded history, as the replayer is given it: up to where its workflow's decisions end.
 * Some were fetched while a workflow task was still to run (a signal or an activity's result had
 * just come in); the replayer would run that task as new work, on a worker with no activities, and
 * fail it ("Local activity of type 'recordShipmentEvent' not registered on worker" in every CI log),
 * with nothing recorded to compare its commands against. A history with no completed workflow task
 * at all holds nothing to check and is left out.
 */
async function replayInputs(): Promise<{
  files: string[];
  replayed: { workflowId: string; history: History }[];
  nothingDecided: string[];
}> {
  const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
  const all = await Promise.all(
    files.map(async (file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8'))),
    })),
  );
  const decided = (h: History) => (h.events ?? []).some((e) => e.workflowTaskCompletedEventAttributes);
  return {
    files,
    replayed: all
      .filter((h) => decided(h.history))
      .map((h) => ({ ...h, history: decidedHistory(h.history) })),
    nothingDecided: all.filter((h) => !decided(h.history)).map((h) => h.workflowId),
  };
}

/**
 * Replays workflow histories recorded from real runs (RECORD_HISTORIES=1 npm test) against the
 * current workflow code. A change that would break orders already in flight — a reordered
 * activity, a removed timer — fails here instead of in production.
 */
it('replays every recorded order history without a determinism error', async () => {
  const { files, replayed: histories, nothingDecided } = await replayInputs();
  expect(files.length).toBeGreaterThanOrEqual(3);
  const results = Worker.runReplayHistories(
    // Histories recorded since payload encryption hold ciphertext: replay decrypts with the test keys.
    {
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: temporalDataConverter({ ...TEST_DATA_KEYS, DATA_DIR: '.data', NODE_ENV: 'test' }),
    },
    histories,
  );
  const replayed: string[] = [];
  for await (const result of results) {
    expect(result.error, `${result.workflowId}: ${result.error?.message}`).toBeUndefined();
    replayed.push(result.workflowId);
  }
  expect(replayed).toHaveLength(files.length - nothingDecided.length);
});

it('gives the replayer no workflow task to run for real: every history ends where its decisions end', async () => {
  const { replayed, nothingDecided } = await replayInputs();
  const undecided = replayed
    .filter((h) => undecidedTail(h.history) > 0)
    .map((h) => `${h.workflowId} (${undecidedTail(h.history)} events after its last completed task)`);
  expect(undecided).toEqual([]);
  // Every history but the one recorded before its first task completed is replayed.
  expect(nothingDecided).toEqual(['order-own-revived']);
});

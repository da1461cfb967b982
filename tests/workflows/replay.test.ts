import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';
import { temporalDataConverter } from '../../services/temporal/payload-codec.js';
import { TEST_DATA_KEYS } from '../support/data-keys.js';
import { HISTORIES_DIR } from '../support/histories.js';

/**
 * Replays workflow histories recorded from real runs (RECORD_HISTORIES=1 npm test) against the
 * current workflow code. A change that would break orders already in flight — a reordered
 * activity, a removed timer — fails here instead of in production.
 */
it('replays every recorded order history without a determinism error', async () => {
  const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThanOrEqual(3);
  const histories = await Promise.all(
    files.map(async (file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8'))),
    })),
  );
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
  expect(replayed).toHaveLength(files.length);
});

import type { Db } from '../../db/connect.js';
import { foldStageDurations } from '../../db/queries/stage-histograms.js';

/** Batches one fold activity takes before it returns (the workflow starts the next run on schedule). */
const BATCHES_PER_FOLD = 20;

export function createStageFoldActivities(deps: { db: Db }) {
  return {
    /**
     * Folds the stage durations appended on write into the histograms, batch by batch, until none
     * are left (or `BATCHES_PER_FOLD` batches). Each batch is one statement that deletes what it
     * adds, so a retry after any failure folds only what is still there.
     */
    async foldStageHistograms(): Promise<{ folded: number; more: boolean }> {
      let folded = 0;
      for (let i = 0; i < BATCHES_PER_FOLD; i += 1) {
        const n = await foldStageDurations(deps.db);
        folded += n;
        if (n === 0) return { folded, more: false };
      }
      return { folded, more: true };
    },
  };
}

export type StageFoldActivities = ReturnType<typeof createStageFoldActivities>;

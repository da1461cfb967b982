import { proxyActivities } from '@temporalio/workflow';
import type { StageFoldActivities } from '../activities/reports/stage-fold.js';

const { foldStageHistograms } = proxyActivities<StageFoldActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * Folds the stage durations appended on write into the efficiency histograms (docs/reports.md),
 * started by the `stage-fold:{task queue}` schedule every `STAGE_FOLD_SECONDS` (one at a time).
 */
export async function stageFoldWorkflow(): Promise<{ folded: number; more: boolean }> {
  return await foldStageHistograms();
}

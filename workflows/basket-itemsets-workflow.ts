import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/reports/itemsets.js';

/**
 * One FP-growth run over a period's baskets (`basket-itemsets:{runId}`, docs/reports.md). The
 * mining activity heartbeats per header item and stores each item's itemsets as it goes, so a retry
 * after a lost worker resumes; a run that keeps failing is recorded as failed, not left running.
 */
export async function basketItemsetsWorkflow(input: {
  runId: string;
}): Promise<{ status: 'done' | 'failed' }> {
  const { mineBasketItemsets } = proxyActivities<ReportActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '2 minutes',
    retry: { maximumAttempts: 5, initialInterval: '5 seconds' },
  });
  const { failBasketItemsets } = proxyActivities<ReportActivities>({ startToCloseTimeout: '1 minute' });
  try {
    await mineBasketItemsets(input);
    return { status: 'done' };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await failBasketItemsets({ runId: input.runId, error: err.cause?.message ?? err.message });
    return { status: 'failed' };
  }
}

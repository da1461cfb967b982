import { Context } from '@temporalio/activity';
import type { Db } from '../../db/connect.js';
import {
  finishItemsetRun,
  itemsetRunToMine,
  periodBaskets,
  recordItemMined,
  recordItemsetTotals,
} from '../../db/queries/reports/itemsets.js';
import { frequentItemsets } from '../../domain/reports/fpgrowth.js';

/** Items of FP-growth's header table: those in at least `minOrders` baskets. */
function frequentItemCount(baskets: readonly string[][], minOrders: number): number {
  const counts = new Map<string, number>();
  for (const basket of baskets) for (const item of basket) counts.set(item, (counts.get(item) ?? 0) + 1);
  let n = 0;
  for (const c of counts.values()) if (c >= minOrders) n += 1;
  return n;
}

/**
 * Mines a run's itemsets (docs/reports.md): the period's baskets read, FP-growth over them item by
 * item, each item's itemsets stored with the item marked done and a heartbeat. An attempt that
 * dies (a worker killed, a timeout) is retried and skips the items already stored, so the answer is
 * the same as one uninterrupted run.
 */
export async function mineItemsetRun(db: Db, runId: string, heartbeat: (mined: number) => void) {
  const run = await itemsetRunToMine(db, runId);
  if (!run || run.status !== 'running') return { runId, mined: 0, skipped: 0 };
  const baskets = await periodBaskets(db, run.params);
  await recordItemsetTotals(db, runId, baskets.length, frequentItemCount(baskets, run.params.minOrders));
  const done = new Set(run.items_mined);
  let mined = 0;
  await frequentItemsets(baskets, {
    minOrders: run.params.minOrders,
    maxSize: run.params.maxSize,
    done,
    onItemMined: async (item, itemsets) => {
      await recordItemMined(db, runId, item, itemsets);
      mined += 1;
      heartbeat(done.size + mined);
    },
  });
  await finishItemsetRun(db, runId);
  return { runId, mined, skipped: done.size };
}

export function createReportActivities(deps: { db: Db }) {
  const { db } = deps;
  return {
    async mineBasketItemsets(input: { runId: string }) {
      return mineItemsetRun(db, input.runId, (mined) => Context.current().heartbeat(mined));
    },
    /** A run whose mining kept failing is marked failed, with the reason, for the report to say. */
    async failBasketItemsets(input: { runId: string; error: string }) {
      await finishItemsetRun(db, input.runId, { error: input.error });
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;

import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { StockSyncActivities } from '../activities/stock-sync/index.js';
import {
  stockSyncSignal,
  stockSyncStateQuery,
  type StockSyncInput,
  type StockSyncState,
} from './messages.js';
import { historyFull } from './history.js';
import { ShopIdKey } from './search-attributes.js';

/**
 * One workflow per shop (`stock-sync:{shopId}`) that keeps the platform's sellable quantities in
 * step with the stock ledger:
 *
 * - every interval it runs a pass: the ledger's marks for the shop (left by a trigger on every
 *   movement) become dirty listings, and each dirty listing whose quantity moved gets one upload —
 *   so a burst of thousands of reservations within an interval is one call per listing;
 * - every `reconcileSeconds` (or on a `reconcile` signal) it reads every listing back from the
 *   platform, records what the platform shows, and queues an upload where it drifted;
 * - a refused listing is recorded and alerted inside the pass and not sent again until someone
 *   saves it; a pass that keeps failing (outage, credentials) raises `stock_sync_failing` and is
 *   tried again at the next interval, from the state kept in the database;
 * - it continues as new every `passesPerRun` passes.
 *
 * The last value sent and when, per listing, is in `stock_listings` (GET /stock/sync).
 */
export async function stockSyncWorkflow(input: StockSyncInput): Promise<StockSyncState> {
  const { shopId } = input;
  const state: StockSyncState = {
    shopId,
    activity: 'syncing',
    lastPassAt: null,
    lastReconcileAt: input.lastReconcileAt ?? null,
    lastError: null,
    totals: input.totals ?? { passes: 0, marks: 0, calls: 0, refused: 0, reconciliations: 0, drifted: 0 },
  };
  let wake = false;
  let reconcileNow = input.reconcileNow ?? false;
  let stop = false;
  setHandler(stockSyncSignal, (command) => {
    if (command.kind === 'wake') wake = true;
    else if (command.kind === 'reconcile') reconcileNow = true;
    else stop = true;
  });
  setHandler(stockSyncStateQuery, () => state);
  upsertSearchAttributes([{ key: ShopIdKey, value: shopId }]);

  const acts = proxyActivities<StockSyncActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '30 seconds',
      backoffCoefficient: 2,
      maximumAttempts: 4,
      nonRetryableErrorTypes: ['StockSync.Unsupported', 'Sync.Auth', 'Sync.Rejected'],
    },
  });
  const health = proxyActivities<StockSyncActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });

  let failing = false;
  /** Runs a step; a failure is recorded (alert) and the step is tried again next interval. */
  async function attempt(what: string, run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      if (failing) {
        failing = false;
        await health.recordStockSyncHealth({ shopId, failing: null });
      }
      return true;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause;
      const message = `${what}: ${cause instanceof Error ? cause.message : String(cause)}`;
      state.lastError = { message, at: new Date().toISOString() };
      if (cause instanceof ApplicationFailure && cause.type === 'StockSync.Unsupported') {
        await health.recordStockSyncHealth({ shopId, failing: message });
        stop = true;
        return false;
      }
      failing = true;
      state.activity = 'retrying';
      await health.recordStockSyncHealth({ shopId, failing: message });
      return false;
    }
  }

  let nextReconcileAt = state.lastReconcileAt
    ? Date.parse(state.lastReconcileAt) + input.reconcileSeconds * 1000
    : Date.now();
  const passesPerRun = input.passesPerRun ?? 500;
  // Runs recorded before it continued as new by pass count only: their replay must too.
  const bounded = patched(HISTORY_LIMIT_PATCH);
  const full = () => bounded && historyFull(input.historyLimit);
  for (let pass = 0; pass < passesPerRun && !stop && !full(); pass++) {
    state.activity = 'syncing';
    let more = true;
    while (more && !stop && !full()) {
      more = false;
      await attempt('uploading stock', async () => {
        const result = await acts.syncShopStock({ shopId });
        state.totals.marks += result.marks;
        state.totals.calls += result.sent;
        state.totals.refused += result.refused.length;
        more = result.more;
      });
    }
    state.totals.passes += 1;
    state.lastPassAt = new Date().toISOString();

    if ((reconcileNow || Date.now() >= nextReconcileAt) && !stop) {
      reconcileNow = false;
      state.activity = 'reconciling';
      let after: string | null = '';
      let drifted = 0;
      const done = await attempt('reconciling stock', async () => {
        while (after !== null) {
          const page = await acts.reconcileShopStock({ shopId, after });
          drifted += page.drifted.length;
          after = page.next;
        }
      });
      // A failed reconciliation is tried again within a minute, not at every pass.
      nextReconcileAt =
        Date.now() + (done ? input.reconcileSeconds : Math.min(60, input.reconcileSeconds)) * 1000;
      if (done) {
        state.totals.reconciliations += 1;
        state.totals.drifted += drifted;
        state.lastReconcileAt = new Date().toISOString();
        // Corrections go out at once rather than at the next interval.
        if (drifted > 0) continue;
      }
    }

    state.activity = 'waiting';
    await condition(() => wake || reconcileNow || stop, input.intervalSeconds * 1000);
    wake = false;
  }
  if (stop) {
    state.activity = 'stopped';
    return state;
  }
  return continueAsNew<typeof stockSyncWorkflow>({
    ...input,
    lastReconcileAt: state.lastReconcileAt,
    totals: state.totals,
    ...(bounded && reconcileNow ? { reconcileNow } : {}),
  });
}

/** Before it, a stock sync continued as new by pass count only. */
const HISTORY_LIMIT_PATCH = 'stock-sync-history-limit';

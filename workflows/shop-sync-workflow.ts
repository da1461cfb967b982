import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PageResult, ShopSyncActivities, SyncPlan } from '../activities/capture/sync.js';
import type { AmazonReturnsActivities } from '../activities/capture/amazon-returns.js';
import {
  shopSyncSignal,
  shopSyncStateQuery,
  keepCaseIds,
  type FetchRequest,
  type ShopSyncInput,
  type ShopSyncReturnsState,
  type ShopSyncState,
  type SyncRoundView,
} from './messages.js';
import { historyFull } from './history.js';
import { PlatformKey, ShopIdKey } from './search-attributes.js';

/**
 * One workflow per shop (`shop-sync:{shopId}`) that keeps the shop's orders flowing in:
 *
 * - every poll interval it lists orders (then refunds) modified in [cursor − overlap, now − lag),
 *   in windows no longer than the platform allows, one activity per page; the activity hands each
 *   order to its own workflow, so this history stays small. The cursor moves only after a whole
 *   window is read, so a crash or outage re-reads rather than skips;
 * - a `fetch` signal (from webhooks that only say "order X changed") fetches those orders between
 *   polls; the request is durable here even while the platform is down;
 * - failures retry inside the activity (honouring the platform's Retry-After); after repeated
 *   failures an alert is raised and resolved once calls succeed again. Refused credentials or
 *   requests pause this shop (alert) until its settings change (`wake`);
 * - it continues as new every N polls, carrying its cursors and pending fetches.
 *
 * Its signal, query and input are declared in messages.ts, which clients import.
 */

export interface ShopSyncOutcome {
  shopId: string;
  stopped: 'disabled' | 'shop_deleted';
  cursor: string | null;
}

const PAUSING = ['Sync.Auth', 'Sync.Rejected'];
const FETCH_BATCH = 50;

class Stop extends Error {}
class Pause extends Error {}
/** The history is long: the run hands its state to a new one (also in the middle of failing calls). */
class HandOver extends Error {}

/** Before it, a shop sync continued as new only after a successful poll. */
const HISTORY_LIMIT_PATCH = 'shop-sync-history-limit';
/** Amazon shops read the returns report on their own cadence within the sync's rounds. */
const AMAZON_RETURNS_PATCH = 'shop-sync-amazon-returns';
/** The longest window one returns report takes (Amazon: 60 days), a minute short. */
const RETURNS_MAX_WINDOW_MS = 60 * 86_400_000 - 60_000;

type SyncActivities = ShopSyncActivities & AmazonReturnsActivities;

export async function shopSyncWorkflow(input: ShopSyncInput): Promise<ShopSyncOutcome> {
  const { shopId } = input;
  const state: ShopSyncState = {
    shopId,
    platform: null,
    activity: 'starting',
    cursor: input.cursor ?? null,
    refundCursor: input.refundCursor ?? null,
    pollIntervalSeconds: null,
    nextPollAt: null,
    pendingFetches: 0,
    lastRound: input.lastRound ?? null,
    consecutiveFailures: input.consecutiveFailures ?? 0,
    lastError: null,
    paused: input.paused ?? null,
    totals: input.totals ?? { polls: 0, submitted: 0, fetched: 0 },
    pollsThisRun: 0,
    ...(input.returns ? { returns: input.returns } : {}),
  };
  const pending = new Map<string, FetchRequest>();
  const queue = (requests: readonly FetchRequest[]) => {
    for (const request of requests) {
      const earlier = pending.get(request.platformOrderId);
      // Every after-sales case a push named is read, whichever request for the order is kept.
      pending.set(
        request.platformOrderId,
        keepCaseIds(request.refund || !earlier ? request : earlier, earlier, request),
      );
    }
    state.pendingFetches = pending.size;
  };
  queue(input.pending ?? []);
  let wake = false;
  let stop = false;

  setHandler(shopSyncSignal, (command) => {
    if (command.kind === 'fetch') queue(command.orders);
    else if (command.kind === 'wake') {
      wake = true;
      stop = false;
    } else stop = true;
  });
  setHandler(shopSyncStateQuery, () => ({ ...state, pendingFetches: pending.size }));
  upsertSearchAttributes([{ key: ShopIdKey, value: shopId }]);

  const boot = proxyActivities<SyncActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });

  let plan: SyncPlan | null = await boot.loadSyncPlan({ shopId });
  if (!plan) return { shopId, stopped: 'shop_deleted', cursor: state.cursor };
  // Runs recorded before it never handed over mid-failure: their replay must not either.
  const bounded = patched(HISTORY_LIMIT_PATCH);
  const full = () => bounded && historyFull(plan?.historyLimit);
  state.platform = plan.platform;
  // Runs recorded before it (and every other platform's) never read a returns report.
  const returnsOn = plan.returnsReport !== undefined && patched(AMAZON_RETURNS_PATCH);
  if (returnsOn) state.returns ??= { cursor: null, pending: null, nextAt: null, lastRead: null };
  // A fresh start (not a continue-as-new) resumes where the shop's last sync had read to.
  if (state.cursor === null && state.refundCursor === null && plan.resumeCursor) {
    state.cursor = plan.resumeCursor;
    state.refundCursor = plan.resumeCursor;
  }
  upsertSearchAttributes([{ key: PlatformKey, value: plan.platform }]);

  const activitiesFor = (p: SyncPlan) =>
    proxyActivities<SyncActivities>({
      startToCloseTimeout: `${p.pageTimeoutSeconds} seconds`,
      heartbeatTimeout: `${p.heartbeatTimeoutSeconds} seconds`,
      retry: {
        initialInterval: `${p.retry.initialSeconds} seconds`,
        maximumInterval: `${p.retry.maxSeconds} seconds`,
        backoffCoefficient: 2,
        maximumAttempts: p.retry.attempts,
        nonRetryableErrorTypes: PAUSING,
      },
    });
  let acts = activitiesFor(plan);
  let nextPollAt = Date.now();

  /**
   * Runs one platform step until it succeeds: exhausted retries count as a failure (alert after
   * `alertAfterFailures` in a row), refused credentials/requests pause the shop.
   */
  async function persist<T>(what: string, run: () => Promise<T>): Promise<T> {
    for (;;) {
      if (stop && pending.size === 0) throw new Stop();
      try {
        const result = await run();
        if (state.consecutiveFailures > 0) {
          if (state.consecutiveFailures >= plan!.alertAfterFailures) {
            await boot.reportSyncHealth({ shopId, health: 'ok' });
          }
          state.consecutiveFailures = 0;
        }
        return result;
      } catch (err) {
        const failure = err instanceof ActivityFailure ? err.cause : err;
        const type = failure instanceof ApplicationFailure ? (failure.type ?? null) : null;
        const message = `${what}: ${failure instanceof Error ? failure.message : String(failure)}`;
        state.lastError = { message, type, at: new Date().toISOString() };
        if (type && PAUSING.includes(type)) {
          const kind = type === 'Sync.Auth' ? 'auth_failed' : 'sync_rejected';
          const since = new Date().toISOString();
          await boot.reportSyncHealth({ shopId, health: kind, message });
          state.paused = { kind, message, since };
          throw new Pause();
        }
        if (!(err instanceof ActivityFailure)) throw err;
        state.consecutiveFailures += 1;
        if (state.consecutiveFailures >= plan!.alertAfterFailures) {
          await boot.reportSyncHealth({ shopId, health: 'failing', message });
        }
        state.activity = 'retrying';
        if (full()) throw new HandOver();
        const backoff = Math.min(
          plan!.pollIntervalSeconds,
          plan!.retry.initialSeconds * 2 ** Math.min(state.consecutiveFailures, 10),
        );
        await condition(() => stop || wake, backoff * 1000);
        wake = false;
      }
    }
  }

  async function drainFetches(): Promise<void> {
    while (pending.size > 0) {
      state.activity = 'fetching';
      const batch = [...pending.values()].slice(0, FETCH_BATCH);
      const result = await persist('fetching changed orders', () =>
        acts.fetchOrders({ shopId, orders: batch }),
      );
      for (const request of batch) {
        // A newer request for the same order may have arrived while this batch ran.
        if (pending.get(request.platformOrderId) === request) pending.delete(request.platformOrderId);
      }
      state.pendingFetches = pending.size;
      state.totals.fetched += result.submitted;
    }
  }

  /** Lists [cursor − overlap, now − lag) window by window; returns the new cursor. */
  async function sweep(
    kind: 'orders' | 'refunds',
    p: SyncPlan,
    cursor: string | null,
    round: SyncRoundView,
  ): Promise<string | null> {
    const now = Date.now();
    const end = now - p.safetyLagSeconds * 1000;
    const earliest = p.maxLookbackSeconds ? now - p.maxLookbackSeconds * 1000 : -Infinity;
    let from = Math.max(
      cursor ? Date.parse(cursor) - p.overlapSeconds * 1000 : end - p.initialLookbackSeconds * 1000,
      earliest,
    );
    let advanced = cursor;
    while (from < end) {
      const to = Math.min(end, from + p.maxWindowSeconds * 1000);
      const window = { shopId, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      let page: string | null = null;
      do {
        const pageCursor: string | null = page;
        if (kind === 'orders') {
          const result: PageResult = await persist(`listing orders ${window.from}…${window.to}`, () =>
            acts.syncOrderPage({ ...window, cursor: pageCursor }),
          );
          round.listed += result.listed;
          round.submitted += result.submitted;
          round.unchanged += result.unchanged;
          round.parked += result.parked;
          state.totals.submitted += result.submitted;
          page = result.nextCursor;
        } else {
          const result: PageResult = await persist(`listing refunds ${window.from}…${window.to}`, () =>
            acts.syncRefundPage({ ...window, cursor: pageCursor }),
          );
          round.refunds += result.listed;
          page = result.nextCursor;
        }
        round.pages += 1;
      } while (page);
      round.windows += 1;
      // The whole window is read: only now may the cursor pass it.
      advanced = window.to;
      if (kind === 'orders') state.cursor = advanced;
      else state.refundCursor = advanced;
      from = to;
    }
    return advanced;
  }

  /**
   * Amazon's returns report (docs/platforms/amazon-returns.md), once per round: a report asked
   * for is read once (Amazon takes minutes to make one: the round never waits on it); when ready,
   * its returns became cases and the cursor passes its window; every `everySeconds` the next one
   * is asked for, from `overlapSeconds` before that to `lagSeconds` before now. A failing call is
   * retried on the next round and never pauses the shop's orders.
   */
  async function returnsPass(p: SyncPlan, returns: ShopSyncReturnsState): Promise<void> {
    const r = p.returnsReport!;
    try {
      const asked = returns.pending;
      if (asked) {
        const read = await acts.readReturnsReport({ shopId, reportId: asked.reportId });
        const now = Date.now();
        if (read.status === 'DONE' || read.status === 'CANCELLED') {
          returns.cursor = asked.to;
          returns.pending = null;
          returns.lastRead = { reportId: asked.reportId, ...read, at: new Date(now).toISOString() };
        } else if (read.status === 'FATAL' || now - Date.parse(asked.requestedAt) >= r.waitSeconds * 1000) {
          // Amazon aborted it, or it never came: the same window is asked for again now.
          returns.pending = null;
          returns.nextAt = new Date(now).toISOString();
          returns.lastRead = { reportId: asked.reportId, ...read, at: new Date(now).toISOString() };
        }
      }
      const now = Date.now();
      if (returns.pending || (returns.nextAt !== null && now < Date.parse(returns.nextAt))) return;
      // Plans recorded before the returns' own lag end their windows at the sync's.
      const end = now - (r.lagSeconds ?? p.safetyLagSeconds) * 1000;
      const from = Math.max(
        returns.cursor
          ? Date.parse(returns.cursor) - r.overlapSeconds * 1000
          : end - p.initialLookbackSeconds * 1000,
        end - RETURNS_MAX_WINDOW_MS,
      );
      const to = Math.min(end, from + RETURNS_MAX_WINDOW_MS);
      if (to <= from) return;
      const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const { reportId } = await acts.requestReturnsReport({ shopId, ...window });
      returns.pending = { reportId, ...window, requestedAt: new Date(now).toISOString() };
      returns.nextAt = new Date(now + r.everySeconds * 1000).toISOString();
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = err.cause ?? err;
      state.lastError = {
        message: `amazon returns report: ${failure.message}`,
        type: failure instanceof ApplicationFailure ? (failure.type ?? null) : null,
        at: new Date().toISOString(),
      };
    }
  }

  /** Continues as new with the cursors, the fetches still to do and the failure count. */
  async function handOver(): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew<typeof shopSyncWorkflow>({
      shopId,
      cursor: state.cursor,
      refundCursor: state.refundCursor,
      pending: [...pending.values()],
      paused: state.paused,
      totals: state.totals,
      lastRound: state.lastRound,
      ...(state.returns ? { returns: state.returns } : {}),
      ...(bounded && state.consecutiveFailures > 0 ? { consecutiveFailures: state.consecutiveFailures } : {}),
    });
  }

  for (;;) {
    try {
      if (state.paused) {
        state.activity = 'paused';
        await condition(() => wake || stop);
        if (!wake) throw new Stop();
        state.paused = null;
        await boot.reportSyncHealth({ shopId, health: 'resumed' });
      }
      if (wake) {
        wake = false;
        plan = await boot.loadSyncPlan({ shopId });
        if (!plan) return { shopId, stopped: 'shop_deleted', cursor: state.cursor };
        acts = activitiesFor(plan);
        nextPollAt = Date.now();
      }
      const p = plan!;
      state.pollIntervalSeconds = p.pollIntervalSeconds;

      await drainFetches();
      if (stop || !p.enabled || !p.pullable) {
        // Pushes can still ask for fetches while polling is off; with none left, stop.
        if (pending.size === 0 && (stop || !p.enabled)) throw new Stop();
      } else if (Date.now() >= nextPollAt) {
        state.activity = 'polling';
        const round: SyncRoundView = {
          startedAt: new Date().toISOString(),
          finishedAt: null,
          windows: 0,
          pages: 0,
          listed: 0,
          submitted: 0,
          unchanged: 0,
          parked: 0,
          refunds: 0,
        };
        state.lastRound = round;
        state.cursor = await sweep('orders', p, state.cursor, round);
        state.refundCursor = await sweep('refunds', p, state.refundCursor, round);
        await persist('releasing parked orders', () => acts.releaseParkedOrders({ shopId }));
        if (returnsOn && p.returnsReport && state.returns) await returnsPass(p, state.returns);
        round.finishedAt = new Date().toISOString();
        state.totals.polls += 1;
        state.pollsThisRun += 1;
        nextPollAt = Date.now() + p.pollIntervalSeconds * 1000;
        state.nextPollAt = new Date(nextPollAt).toISOString();

        if (state.pollsThisRun >= p.pollsPerRun || workflowInfo().continueAsNewSuggested || full()) {
          return await handOver();
        }
      }
      state.activity = 'waiting';
      const woken = () => wake || stop || pending.size > 0;
      if (p.enabled && p.pullable && !stop) await condition(woken, Math.max(0, nextPollAt - Date.now()));
      else await condition(woken);
    } catch (err) {
      if (err instanceof Pause) continue;
      // Mid-sweep: the cursors only ever passed whole windows, so the next run re-reads the rest.
      if (err instanceof HandOver) return await handOver();
      if (err instanceof Stop) {
        state.activity = 'stopping';
        await condition(allHandlersFinished);
        return { shopId, stopped: 'disabled', cursor: state.cursor };
      }
      throw err;
    }
  }
}

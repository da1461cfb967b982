import { Context } from '@temporalio/activity';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { raiseAlert, resolveAlerts } from '../../db/queries/alerts.js';
import { findShop, recordSyncProgress } from '../../db/queries/shops.js';
import { isPlatform, type Platform } from '../../domain/platforms.js';
import { RequestRejectedError } from '../../integrations/platforms/errors.js';
import { hasPullApi, limitsOf, MIN_SYNC_LAG_SECONDS } from '../../integrations/platforms/registry.js';
import type { PlatformAdapter } from '../../integrations/platforms/types.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { mapLimit } from '../../domain/map-limit.js';
import { CredentialsKeyError } from '../../services/capture/credentials.js';
import { asPlatformCall, shopNotSyncable } from './failures.js';
import { keepAlive } from '../keep-alive.js';
import { createIntakeService } from '../../services/capture/intake-service.js';
import { refundStatusOf, withRefund } from '../../services/capture/refunds.js';
import { openShopAdapter, ShopNotConnectedError } from './shop-adapters.js';
import { createCaseCapture } from '../after-sale/capture.js';
import type { FetchRequest } from '../../workflows/messages.js';

export interface ShopSyncDeps {
  db: Db;
  client: Client;
  config: Pick<
    Config,
    | 'TASK_QUEUE_ORDERS'
    | 'AFTER_SALE_FINANCE_ABOVE_FEN'
    | 'AFTER_SALE_ESCALATE_BEFORE_SECONDS'
    | 'TRACKING_POLL_SECONDS'
    | 'CREDENTIALS_KEY'
    | 'DATA_DIR'
    | 'NODE_ENV'
    | 'SYNC_OVERLAP_SECONDS'
    | 'SYNC_SAFETY_LAG_SECONDS'
    | 'SYNC_INITIAL_LOOKBACK_SECONDS'
    | 'SYNC_ROUNDS_PER_RUN'
    | 'SYNC_ALERT_AFTER_FAILURES'
    | 'SYNC_RETRY_INITIAL_SECONDS'
    | 'SYNC_RETRY_MAX_SECONDS'
    | 'SYNC_ATTEMPTS_PER_CALL'
    | 'WORKFLOW_HISTORY_LIMIT'
    | 'AMAZON_RETURNS_REPORT_SECONDS'
    | 'AMAZON_RETURNS_OVERLAP_SECONDS'
    | 'AMAZON_RETURNS_REPORT_WAIT_SECONDS'
    | 'AMAZON_RETURNS_LAG_SECONDS'
  >;
}

/** Everything the shop sync workflow needs to know about its shop, read fresh each time it wakes. */
export interface SyncPlan {
  platform: Platform;
  /** Polling switched on for the shop. */
  enabled: boolean;
  /** The platform has a pull API (own stores do not). */
  pullable: boolean;
  pollIntervalSeconds: number;
  overlapSeconds: number;
  safetyLagSeconds: number;
  initialLookbackSeconds: number;
  maxWindowSeconds: number;
  maxLookbackSeconds: number | null;
  pollsPerRun: number;
  /** WORKFLOW_HISTORY_LIMIT: events before continuing as new, also while calls keep failing. */
  historyLimit?: number;
  alertAfterFailures: number;
  /**
   * Where a sync that starts afresh (the shop was disabled, or its workflow ended) picks up: the
   * point both the order and the refund sweep had read to, kept in `shops.sync_cursor`. Null for a
   * new shop, which reaches `initialLookbackSeconds` back.
   */
  resumeCursor: string | null;
  retry: { initialSeconds: number; maxSeconds: number; attempts: number };
  /** One page can take long (Amazon paces item calls at 0.5/s), so it heartbeats instead. */
  pageTimeoutSeconds: number;
  heartbeatTimeoutSeconds: number;
  /**
   * Amazon: returns come from the returns report (docs/platforms/amazon-returns.md), asked for
   * every `everySeconds` over return dates from `overlapSeconds` before the last report's end; a
   * report not ready within `waitSeconds` is asked for again; a window ends `lagSeconds` before
   * now (absent in plans recorded before it: `safetyLagSeconds`). Absent for other platforms.
   */
  returnsReport?: { everySeconds: number; overlapSeconds: number; waitSeconds: number; lagSeconds?: number };
}

export interface WindowPage {
  shopId: string;
  from: string;
  to: string;
  cursor: string | null;
}

export interface PageResult {
  listed: number;
  submitted: number;
  unchanged: number;
  parked: number;
  nextCursor: string | null;
}

export type SyncHealth = 'ok' | 'failing' | 'auth_failed' | 'sync_rejected' | 'resumed';

const REFUND_CONCURRENCY = 8;

/**
 * The shop sync's activities: each lists or fetches one page on the platform and hands every
 * order to intake (which starts or signals its workflow), so the sync workflow only carries
 * counts and cursors. Credentials are decrypted per call and refreshed tokens stored re-encrypted.
 */
export function createShopSyncActivities(deps: ShopSyncDeps) {
  const { db, client, config } = deps;
  const intake = createIntakeService({
    db,
    client,
    taskQueue: config.TASK_QUEUE_ORDERS,
    ring: dataKeyring(config),
  });
  const cases = createCaseCapture({ db, client, config });
  /**
   * Hands the platform's after-sales cases to their workflows (docs/after-sales.md). A case the
   * platform will not show (deleted, another seller's) is logged and skipped: it must not hold
   * back the orders of the page.
   */
  const captureCases = async (
    shopId: string,
    platform: Platform,
    refs: Array<{ platformCaseId: string; platformOrderId: string }>,
  ) => {
    const seen = new Set<string>();
    await mapLimit(
      refs.filter((ref) => !seen.has(ref.platformCaseId) && seen.add(ref.platformCaseId)),
      REFUND_CONCURRENCY,
      async (ref) => {
        try {
          await asPlatformCall(() => cases.capture({ shopId, platform }, ref));
        } catch (err) {
          if (!(err instanceof RequestRejectedError)) throw err;
          Context.current().log.warn('after-sales case refused by the platform: skipped', {
            shopId,
            caseId: ref.platformCaseId,
            error: err.message,
          });
        }
      },
    );
  };

  async function openShop(shopId: string): Promise<{ platform: Platform; adapter: PlatformAdapter }> {
    try {
      return await openShopAdapter({ db, config }, shopId);
    } catch (err) {
      if (err instanceof ShopNotConnectedError || err instanceof CredentialsKeyError) {
        throw shopNotSyncable(err.message);
      }
      // Adapters check their settings as they are built (Amazon's marketplace id).
      return asPlatformCall(() => Promise.reject(err));
    }
  }

  return {
    async loadSyncPlan(input: { shopId: string }): Promise<SyncPlan | null> {
      const shop = await findShop(db, input.shopId);
      if (!shop || !isPlatform(shop.platform)) return null;
      const platform = shop.platform;
      const limits = limitsOf(platform);
      const safetyLagSeconds = Math.max(config.SYNC_SAFETY_LAG_SECONDS, MIN_SYNC_LAG_SECONDS[platform] ?? 0);
      return {
        platform,
        enabled: shop.sync_enabled,
        pullable: hasPullApi(platform),
        pollIntervalSeconds: shop.poll_interval_seconds,
        overlapSeconds: config.SYNC_OVERLAP_SECONDS,
        safetyLagSeconds,
        initialLookbackSeconds: config.SYNC_INITIAL_LOOKBACK_SECONDS,
        maxWindowSeconds: limits?.maxWindowSeconds ?? 86_400,
        // A day short of the platform's limit, so a window never starts past what it lists.
        maxLookbackSeconds: limits?.maxLookbackDays ? (limits.maxLookbackDays - 1) * 86_400 : null,
        pollsPerRun: config.SYNC_ROUNDS_PER_RUN,
        historyLimit: config.WORKFLOW_HISTORY_LIMIT,
        alertAfterFailures: config.SYNC_ALERT_AFTER_FAILURES,
        resumeCursor: shop.sync_cursor?.toISOString() ?? null,
        retry: {
          initialSeconds: config.SYNC_RETRY_INITIAL_SECONDS,
          maxSeconds: config.SYNC_RETRY_MAX_SECONDS,
          attempts: config.SYNC_ATTEMPTS_PER_CALL,
        },
        pageTimeoutSeconds: 15 * 60,
        heartbeatTimeoutSeconds: 30,
        ...(platform === 'amazon'
          ? {
              returnsReport: {
                everySeconds: config.AMAZON_RETURNS_REPORT_SECONDS,
                overlapSeconds: config.AMAZON_RETURNS_OVERLAP_SECONDS,
                waitSeconds: config.AMAZON_RETURNS_REPORT_WAIT_SECONDS,
                lagSeconds: config.AMAZON_RETURNS_LAG_SECONDS ?? safetyLagSeconds,
              },
            }
          : {}),
      };
    },

    /** One page of orders modified in the window, handed to intake; unchanged ones are skipped. */
    async syncOrderPage(input: WindowPage): Promise<PageResult> {
      return keepAlive(async () => {
        const { platform, adapter } = await openShop(input.shopId);
        const page = await asPlatformCall(() =>
          adapter.listOrders({ from: new Date(input.from), to: new Date(input.to), cursor: input.cursor }),
        );
        const summary = await intake.takeMany(page.orders, { onMissingRate: 'park', skipUnchanged: true });
        // Channels whose after-sales comes with the order: the order sweep is the case sweep.
        await cases.captureFromOrders({ shopId: input.shopId, platform }, page.orders);
        if (!page.nextCursor) await recordSyncProgress(db, input.shopId, { syncedAt: new Date() });
        return {
          listed: page.orders.length,
          submitted: summary.submitted,
          unchanged: summary.unchanged,
          parked: summary.parked,
          nextCursor: page.nextCursor,
        };
      });
    },

    /**
     * One page of refund cases changed in the window. Each refund's order is fetched and handed
     * on with the refund's status, so the order workflow can stop a parcel that has not left.
     */
    async syncRefundPage(input: WindowPage): Promise<PageResult> {
      return keepAlive(async () => {
        const { platform, adapter } = await openShop(input.shopId);
        const page = await asPlatformCall(() =>
          adapter.listRefunds({ from: new Date(input.from), to: new Date(input.to), cursor: input.cursor }),
        );
        // Refund windows follow the order windows of the same round, so once a refund window is
        // read, both sweeps have passed its end: that is where a restarted sync resumes.
        const windowRead = !page.nextCursor;
        // One order may have several cases: the latest change of each order decides.
        const latest = new Map<string, (typeof page.refunds)[number]>();
        for (const refund of page.refunds) {
          const seen = latest.get(refund.platformOrderId);
          if (!seen || Date.parse(refund.modifiedAt) >= Date.parse(seen.modifiedAt)) {
            latest.set(refund.platformOrderId, refund);
          }
        }
        let submitted = 0;
        await mapLimit([...latest.values()], REFUND_CONCURRENCY, async (refund) => {
          const order = await getOrderIfExists(adapter, refund.platformOrderId);
          if (!order) return;
          const result = await intake.take(
            withRefund(order, {
              status: refundStatusOf(refund.status),
              modifiedAt: refund.modifiedAt,
              ...(refund.lineIds ? { lineIds: refund.lineIds } : {}),
            }),
            { onMissingRate: 'park' },
          );
          if (result.outcome === 'accepted') submitted += 1;
        });
        await captureCases(
          input.shopId,
          platform,
          page.refunds.map((r) => ({
            platformCaseId: r.platformRefundId,
            platformOrderId: r.platformOrderId,
          })),
        );
        if (windowRead) await recordSyncProgress(db, input.shopId, { cursor: input.to });
        return {
          listed: page.refunds.length,
          submitted,
          unchanged: 0,
          parked: 0,
          nextCursor: page.nextCursor,
        };
      });
    },

    /** Fetches orders a push said changed, and hands them on; orders the platform denies are skipped. */
    async fetchOrders(input: {
      shopId: string;
      orders: FetchRequest[];
    }): Promise<{ submitted: number; missing: string[] }> {
      return keepAlive(async () => {
        const { platform, adapter } = await openShop(input.shopId);
        const missing: string[] = [];
        const fetched: NormalizedOrder[] = [];
        let submitted = 0;
        await mapLimit(input.orders, REFUND_CONCURRENCY, async (request) => {
          const order = await getOrderIfExists(adapter, request.platformOrderId);
          if (!order) {
            missing.push(request.platformOrderId);
            return;
          }
          fetched.push(order);
          const result = await intake.take(request.refund ? withRefund(order, request.refund) : order, {
            onMissingRate: 'park',
          });
          if (result.outcome === 'accepted') submitted += 1;
        });
        // A push about an order on a channel whose after-sales comes with the order: its cases.
        await cases.captureFromOrders({ shopId: input.shopId, platform }, fetched);
        await captureCases(
          input.shopId,
          platform,
          input.orders
            .filter((request) => !missing.includes(request.platformOrderId))
            .flatMap((request) =>
              (request.caseIds ?? []).map((platformCaseId) => ({
                platformCaseId,
                platformOrderId: request.platformOrderId,
              })),
            ),
        );
        if (missing.length) {
          Context.current().log.warn('orders named by pushes are unknown to the platform', {
            shopId: input.shopId,
            missing,
          });
        }
        return { submitted, missing };
      });
    },

    async releaseParkedOrders(input: { shopId: string }) {
      return intake.releaseParked({ shopId: input.shopId });
    },

    /** Alerts and the shop's displayed sync error, as the workflow's health changes. */
    async reportSyncHealth(input: { shopId: string; health: SyncHealth; message?: string }): Promise<void> {
      const { shopId, health, message } = input;
      switch (health) {
        case 'failing':
        case 'auth_failed':
        case 'sync_rejected': {
          const kind = health === 'failing' ? 'sync_failing' : health;
          const text = message ?? kind;
          await raiseAlert(db, { shopId, kind, message: text });
          await recordSyncProgress(db, shopId, { error: text });
          return;
        }
        case 'ok':
          await resolveAlerts(db, { shopId, kinds: ['sync_failing'] });
          await recordSyncProgress(db, shopId, { error: null });
          return;
        case 'resumed':
          await resolveAlerts(db, { shopId, kinds: ['auth_failed', 'sync_rejected', 'sync_failing'] });
          await recordSyncProgress(db, shopId, { error: null });
          return;
      }
    },
  };
}

/** The order, or undefined when the platform says it has no such order. */
async function getOrderIfExists(adapter: PlatformAdapter, platformOrderId: string) {
  return asPlatformCall(async () => {
    try {
      return await adapter.getOrder(platformOrderId);
    } catch (err) {
      if (err instanceof RequestRejectedError) return undefined;
      throw err;
    }
  });
}

export type ShopSyncActivities = ReturnType<typeof createShopSyncActivities>;

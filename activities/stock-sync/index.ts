import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { hasStockApi, stockUploaderForShop } from '../../integrations/platforms/stock-registry.js';
import {
  reconcileListings,
  runSyncPass,
  stockSyncFailing,
  stockSyncRecovered,
  type PassDeps,
} from '../../services/stock-sync/pass.js';
import { asPlatformCall } from '../capture/failures.js';
import { openShop, ShopNotConnectedError } from '../capture/shop-adapters.js';

export interface StockSyncActivityDeps {
  db: Db;
  config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'>;
  /** For tests: the HTTP client adapters use. */
  fetch?: typeof fetch;
}

/** The shop cannot take stock uploads (no stock API, not connected): the workflow stops. */
export const STOCK_SYNC_UNSUPPORTED = 'StockSync.Unsupported';

/**
 * Stock sync activities: one pass (claim ledger marks, upload changed quantities) and one
 * reconciliation page, each over the shop's platform uploader. The work itself is in
 * `services/stock-sync/pass.ts`; here it gets heartbeats while it paces its calls and Temporal
 * failure types (rate limits wait for the platform's delay, refused credentials do not retry).
 */
export function createStockSyncActivities(deps: StockSyncActivityDeps) {
  const { db } = deps;

  async function passDeps(shopId: string): Promise<PassDeps> {
    let opened;
    try {
      opened = await openShop(deps, shopId, deps.fetch ? { fetch: deps.fetch } : {});
    } catch (err) {
      if (err instanceof ShopNotConnectedError) throw unsupported(err.message);
      throw err;
    }
    const uploader = hasStockApi(opened.shop.platform)
      ? stockUploaderForShop(opened.shop, opened.options)
      : undefined;
    if (!uploader) throw unsupported(`${opened.shop.platform} shops take no stock uploads from us yet`);
    return {
      db,
      uploader,
      pace: async (ms) => {
        heartbeat();
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    };
  }

  return {
    async syncShopStock(input: { shopId: string; maxListings?: number }) {
      const pass = await passDeps(input.shopId);
      return asPlatformCall(() => runSyncPass(pass, input.shopId, input.maxListings));
    },

    async reconcileShopStock(input: { shopId: string; after?: string; maxListings?: number }) {
      const pass = await passDeps(input.shopId);
      return asPlatformCall(() => reconcileListings(pass, input.shopId, input.after, input.maxListings));
    },

    /** Records how the shop's uploads stand for ops: failing (alert) or going through again. */
    async recordStockSyncHealth(input: { shopId: string; failing: string | null }) {
      if (input.failing) await stockSyncFailing(db, input.shopId, input.failing);
      else await stockSyncRecovered(db, input.shopId);
    },
  };
}

export type StockSyncActivities = ReturnType<typeof createStockSyncActivities>;

function unsupported(message: string) {
  return ApplicationFailure.create({ type: STOCK_SYNC_UNSUPPORTED, message, nonRetryable: true });
}

function heartbeat() {
  try {
    Context.current().heartbeat();
  } catch {
    // Outside an activity (a direct call in a test): nothing to keep alive.
  }
}

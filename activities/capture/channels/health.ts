import type { Db } from '../../../db/connect.js';
import { raiseAlert, resolveAlerts } from '../../../db/queries/alerts.js';
import { recordChannelError, type ChannelKind } from '../../../db/queries/channels.js';

const CHANNEL_NAMES: Record<ChannelKind, string> = { tmc: 'Taobao TMC', pmc: 'PDD PMC' };

export interface ChannelHealthDeps {
  db: Db;
  channel: ChannelKind;
  appKey: string;
  /** Consecutive failures before the shops' `channel_failing` alert. */
  alertAfter: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

/**
 * Consecutive failures of one channel (a consume, a connection): how long to back off, and the
 * `channel_failing` alert on every shop of the app once they pile up — resolved by the next
 * success. The shops keep polling meanwhile, so the alert says changes arrive late, not never.
 */
export function createChannelHealth(deps: ChannelHealthDeps, initialFailures = 0) {
  let failures = initialFailures;
  let alerted = initialFailures >= deps.alertAfter;

  return {
    get failures() {
      return failures;
    },

    /** Records the failure; returns how long to wait before trying again. */
    async failed(shopIds: readonly string[], error: Error): Promise<number> {
      failures += 1;
      const text = `${CHANNEL_NAMES[deps.channel]} (app ${deps.appKey}): ${error.message}`;
      await recordChannelError(deps.db, { channel: deps.channel, appKey: deps.appKey, error: text });
      if (failures >= deps.alertAfter) {
        const message = `${text} — ${failures} failures in a row; order changes arrive by polling only until it recovers`;
        for (const shopId of shopIds) await raiseAlert(deps.db, { shopId, kind: 'channel_failing', message });
        alerted = true;
      }
      return backoffMs(failures, deps.retryInitialMs, deps.retryMaxMs);
    },

    async succeeded(shopIds: readonly string[]): Promise<void> {
      if (failures === 0 && !alerted) return;
      failures = 0;
      await recordChannelError(deps.db, { channel: deps.channel, appKey: deps.appKey, error: null });
      if (alerted) {
        for (const shopId of shopIds) await resolveAlerts(deps.db, { shopId, kinds: ['channel_failing'] });
        alerted = false;
      }
    },
  };
}

export type ChannelHealth = ReturnType<typeof createChannelHealth>;

/** Doubling from `initialMs` up to `maxMs`, with a little jitter so apps do not retry in step. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 20));
  return Math.min(maxMs, Math.round(base * (0.85 + Math.random() * 0.3)));
}

import type { Client } from '@temporalio/client';
import type { DataKeyring } from '../../db/crypto/data-keys.js';
import { openReceiversIn } from '../../db/crypto/receivers.js';
import type { Db } from '../../db/connect.js';
import {
  claimInboxEvents,
  markInboxFailed,
  markInboxForwarded,
  type InboxRow,
} from '../../db/queries/webhook-inbox.js';
import { mapLimit } from '../../domain/map-limit.js';
import type { NormalizedOrder } from '../../domain/order.js';
import type { FetchRequest } from '../../workflows/messages.js';
import type { IntakeService } from './intake-service.js';
import { requestOrderFetch } from './sync-control.js';

export interface ForwarderLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface WebhookForwarder {
  /** A new event is in the inbox: forward it now rather than at the next poll. */
  nudge(): void;
  /** Forwards nothing more; resolves once the events in hand are settled. */
  stop(): Promise<void>;
}

/** Counts for /metrics (api/metrics.ts). */
export interface ForwarderMetrics {
  forwarded(count: number): void;
  failed(count: number): void;
}

export interface ForwarderOptions {
  db: Db;
  client: Client;
  intake: IntakeService;
  taskQueue: string;
  ring: DataKeyring;
  log: ForwarderLog;
  /** Temporal calls in flight at once: the backpressure a burst meets instead of the server. */
  concurrency: number;
  /** How often the inbox is looked at without a nudge (events of other processes, retries). */
  pollMs?: number;
  metrics?: ForwarderMetrics;
}

const LEASE_SECONDS = 60;
/** One call's limit: a Temporal that does not answer is treated as down, not waited on. */
const CALL_DEADLINE_MS = 10_000;
const MAX_PAUSE_MS = 5_000;

/**
 * Hands the webhook inbox to Temporal. Events are claimed in batches (SKIP LOCKED, with a lease,
 * so several API processes share the work and a crashed one's events are taken again), each is
 * started or signalled with at most `concurrency` calls in flight, and marked forwarded. When
 * Temporal fails every call the forwarder pauses, growing to MAX_PAUSE_MS, and tries again: the
 * webhooks keep being answered from the inbox meanwhile and the backlog drains on recovery.
 *
 * An event is forwarded once per event id; only a crash between Temporal's answer and the mark
 * repeats it, which the workflows absorb (an order keeps its newest snapshot, a fetch is a fetch).
 */
export function startWebhookForwarder(options: ForwarderOptions): WebhookForwarder {
  const { db, client, intake, taskQueue, ring, log, concurrency } = options;
  const pollMs = options.pollMs ?? 1_000;
  const batch = Math.max(concurrency * 4, 16);
  let stopped = false;
  let wake: (() => void) | undefined;
  let nudged = false;
  let pauseMs = 0;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function forward(row: InboxRow): Promise<void> {
    const payload = openReceiversIn(ring, row.payload);
    await client.connection.withDeadline(Date.now() + CALL_DEADLINE_MS, async () => {
      for (const order of payload.orders) await intake.submit(order as unknown as NormalizedOrder);
      if (payload.fetches.length) {
        await requestOrderFetch(
          client,
          taskQueue,
          { id: row.shopId, platform: row.platform },
          payload.fetches as unknown as FetchRequest[],
        );
      }
    });
  }

  async function round(): Promise<number> {
    const rows = await claimInboxEvents(db, batch, LEASE_SECONDS);
    if (rows.length === 0) return 0;
    const results = await mapLimit(rows, concurrency, async (row) => {
      try {
        await forward(row);
        return undefined;
      } catch (err) {
        return err as Error;
      }
    });
    await markInboxForwarded(
      db,
      rows.filter((_, i) => !results[i]).map((r) => r.id),
    );
    const failed = rows.filter((_, i) => results[i]);
    options.metrics?.forwarded(rows.length - failed.length);
    if (failed.length) options.metrics?.failed(failed.length);
    for (const [i, row] of rows.entries()) {
      const err = results[i];
      if (err) await markInboxFailed(db, row.id, err.message, Math.min(row.attempts, MAX_PAUSE_MS / 1000));
    }
    if (failed.length === rows.length) {
      pauseMs = Math.min(Math.max(pauseMs * 2, 250), MAX_PAUSE_MS);
      log.warn(
        { failed: failed.length, err: results.find(Boolean)?.message, pauseMs },
        'webhook inbox: Temporal refused every event; kept in the inbox and tried again',
      );
    } else {
      if (pauseMs) log.info({ forwarded: rows.length - failed.length }, 'webhook inbox: forwarding again');
      pauseMs = 0;
    }
    return rows.length;
  }

  const running = (async () => {
    while (!stopped) {
      let taken = 0;
      nudged = false;
      try {
        taken = await round();
      } catch (err) {
        // The database itself is unreachable: the webhooks are failing too; try again shortly.
        pauseMs = Math.min(Math.max(pauseMs * 2, 250), MAX_PAUSE_MS);
        log.warn({ err }, 'webhook inbox: could not read the inbox');
      }
      if (stopped) break;
      if (pauseMs) await sleep(pauseMs);
      else if (taken < batch && !nudged) await sleep(pollMs);
    }
  })();

  return {
    nudge() {
      nudged = true;
      if (!pauseMs) wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}

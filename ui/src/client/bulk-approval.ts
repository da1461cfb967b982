import { limiter } from './limited.js';

/**
 * 批量通过 on a busy system (docs/human-actions.md, "Bulk approval on a busy system"). Each order's
 * approval is its own request with its own Idempotency-Key, sent with `Prefer: respond-async,
 * wait=N`: the API answers within N seconds — decided (200, or why not), or 202 "not decided yet"
 * (saying whether the order's workflow has accepted it). An order not decided yet stays 处理中 and
 * is asked again with the same key, so it is never reported failed and never applied twice; the
 * others go on meanwhile — each order follows its own answers, so one whose request hangs (a slow
 * connection) holds back neither the others' first requests nor their asking again. (Import-free
 * but for ./limited.js: tests read it from the root.)
 */

/** What the reviewer sees for one order. */
export type BulkState = 'sending' | 'pending' | 'ok' | 'left' | 'refused';

/** One request's answer: its HTTP status (0 when it never arrived), body and Retry-After. */
export interface BulkAttempt {
  status: number;
  body?: unknown;
  retryAfterSeconds?: number | null;
}

/** Orders in flight at once: a browser keeps six connections per host, two stay for the page's reads. */
export const BULK_CONCURRENCY = 4;
/** How long the first request of each order waits for its decision before answering "not yet". */
export const FIRST_WAIT_SECONDS = 3;
/** How long each later ask waits (a long poll: it answers the moment the decision is made). */
export const AGAIN_WAIT_SECONDS = 5;
/** The longest pause between two rounds of asking again while nothing changes. */
export const MAX_PAUSE_SECONDS = 15;

/** How an answer reads for the reviewer. */
export function bulkState(attempt: BulkAttempt): BulkState {
  const { status } = attempt;
  if (status === 200) return 'ok';
  // Not decided yet (202), busy (503), or lost on the way (0, 502, 504): the same key asks again.
  if (status === 202 || status === 0 || status === 502 || status === 503 || status === 504) return 'pending';
  // Not held any more (decided by someone else, cancelled, shipped) or finished.
  if (status === 409) return 'left';
  return 'refused';
}

/** Whether a 202 said the order's workflow has accepted the approval (it is in its history). */
export function acceptedPending(attempt: BulkAttempt): boolean {
  const body = attempt.body as { accepted?: unknown } | null | undefined;
  return attempt.status === 202 && body?.accepted === true;
}

/**
 * The pause before an order is asked again: the API's Retry-After (at most 10 s), longer after each
 * time it was still not decided (×1.5, at most MAX_PAUSE_SECONDS), and spread (50–100 %) so that
 * orders and pages do not ask in step.
 */
export function pauseMs(retryAfterSeconds: number | null, quietRounds: number, random: () => number): number {
  const base = Math.min(10, Math.max(1, retryAfterSeconds ?? 5));
  const seconds = Math.min(MAX_PAUSE_SECONDS, base * 1.5 ** quietRounds);
  return Math.round(seconds * 1000 * (0.5 + random() / 2));
}

export interface BulkOptions<T> {
  /** Sends one order's approval with its key, asking the API to answer within `waitSeconds`. */
  send: (item: T, key: string, waitSeconds: number) => Promise<BulkAttempt>;
  /** Each answer as it arrives (the results window shows it). */
  report: (index: number, state: BulkState, attempt: BulkAttempt) => void;
  /** True once the page is gone: nothing more is sent. */
  stopped?: () => boolean;
  newKey?: () => string;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  concurrency?: number;
  /** The first request's wait (FIRST_WAIT_SECONDS; a single decision a person waits on asks longer). */
  firstWaitSeconds?: number;
}

/**
 * Approves `items`: each once, a few at a time (the lanes are shared by all its requests); an order
 * not decided yet is asked again with its key after a pause of its own, until it is. Resolves when
 * every order has its answer, or the page stopped.
 */
export async function approveAll<T>(items: readonly T[], options: BulkOptions<T>): Promise<BulkState[]> {
  const newKey = options.newKey ?? (() => globalThis.crypto.randomUUID());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const stopped = options.stopped ?? (() => false);
  const lane = limiter(options.concurrency ?? BULK_CONCURRENCY);
  const states: BulkState[] = items.map(() => 'sending');

  /** One request for one order; null when the page is gone before its turn came. */
  const ask = async (index: number, key: string, waitSeconds: number): Promise<BulkAttempt | null> => {
    if (stopped()) return null;
    let attempt: BulkAttempt;
    try {
      attempt = await options.send(items[index]!, key, waitSeconds);
    } catch {
      attempt = { status: 0 }; // the request failed on the way: it may or may not have arrived
    }
    states[index] = bulkState(attempt);
    options.report(index, states[index], attempt);
    return attempt;
  };

  const follow = async (index: number) => {
    const key = newKey();
    let attempt = await lane(() => ask(index, key, options.firstWaitSeconds ?? FIRST_WAIT_SECONDS));
    for (let quiet = 0; attempt && states[index] === 'pending'; quiet += 1) {
      await sleep(pauseMs(attempt.retryAfterSeconds ?? null, quiet, random));
      attempt = await lane(() => ask(index, key, AGAIN_WAIT_SECONDS));
    }
  };

  await Promise.all(items.map((_, index) => follow(index)));
  return states;
}

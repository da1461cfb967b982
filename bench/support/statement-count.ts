import { AsyncLocalStorage } from 'node:async_hooks';
import { Context } from '@temporalio/activity';
import pg from 'pg';

/** Where a statement was sent from: an activity (by type) or outside any (the API, the forwarder). */
export interface StatementCounts {
  /** Statements (each one round trip: pg sends one at a time) by activity type, or `outside`. */
  byOrigin: Map<string, number>;
  /** Of those, `begin`s: transactions. */
  transactionsByOrigin: Map<string, number>;
}

const uncounted = new AsyncLocalStorage<true>();

/** Runs `fn` without counting its statements: the benchmark's own reads of where a run stands. */
export function notCounted<T>(fn: () => Promise<T>): Promise<T> {
  return uncounted.run(true, fn);
}

function origin(): string {
  try {
    return Context.current().info.activityType;
  } catch {
    // Not inside an activity: the API's routes (webhooks, the crew's WMS calls), the forwarder.
    return 'outside activities';
  }
}

/**
 * Counts every statement this process sends to PostgreSQL from now on, by the activity that sent
 * it. Counted where pg sends it (`Client.prototype.query`), so transactions' `begin` and `commit`
 * count as the round trips they are. Returns the counts so far and a way to start again.
 */
export function countStatements(): { counts: StatementCounts; reset(): void } {
  const counts: StatementCounts = { byOrigin: new Map(), transactionsByOrigin: new Map() };
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (!uncounted.getStore()) {
      const from = origin();
      counts.byOrigin.set(from, (counts.byOrigin.get(from) ?? 0) + 1);
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | null)?.text;
      if (text && /^\s*begin\b/i.test(text))
        counts.transactionsByOrigin.set(from, (counts.transactionsByOrigin.get(from) ?? 0) + 1);
    }
    return query.apply(this, args);
  };
  return {
    counts,
    reset() {
      counts.byOrigin.clear();
      counts.transactionsByOrigin.clear();
    },
  };
}

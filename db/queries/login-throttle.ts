import { sql } from 'kysely';
import type { Db } from '../connect.js';

/**
 * Sign-in counters (see db/tables/auth.ts `LoginThrottleTable`). Each change is one statement on
 * one row, so concurrent attempts on several API processes never lose a count.
 */

export type FailureKind = 'account' | 'address';

export interface Lock {
  kind: FailureKind;
  subject: string;
  lockedUntil: Date;
}

/** The locks still in force among the given subjects. */
export async function activeLocks(
  db: Db,
  subjects: { kind: FailureKind; subject: string }[],
): Promise<Lock[]> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['kind', 'subject', 'locked_until'])
    .where((eb) =>
      eb.or(subjects.map((s) => eb.and([eb('kind', '=', s.kind), eb('subject', '=', s.subject)]))),
    )
    .where('locked_until', '>', sql<Date>`now()`)
    .execute();
  return rows.map((r) => ({ kind: r.kind as FailureKind, subject: r.subject, lockedUntil: r.locked_until! }));
}

/**
 * Counts one more consecutive failure; the one that reaches `maxFailures` locks the subject for
 * `lockSeconds` and starts the count afresh, so after the lock the subject has a full set of tries.
 */
export async function recordFailure(
  db: Db,
  kind: FailureKind,
  subject: string,
  maxFailures: number,
  lockSeconds: number,
): Promise<void> {
  await sql`
    insert into login_throttle as t (kind, subject, count, window_started_at, locked_until)
    values (${kind}, ${subject}, ${maxFailures <= 1 ? 0 : 1}, now(),
            ${maxFailures <= 1 ? sql`now() + make_interval(secs => ${lockSeconds})` : null})
    on conflict (kind, subject) do update set
      count = case when t.count + 1 >= ${maxFailures} then 0 else t.count + 1 end,
      locked_until = case when t.count + 1 >= ${maxFailures}
                          then now() + make_interval(secs => ${lockSeconds}) else t.locked_until end`.execute(
    db,
  );
}

/** A successful sign-in: the failures before it are no longer consecutive. */
export async function clearFailures(
  db: Db,
  subjects: { kind: FailureKind; subject: string }[],
): Promise<void> {
  for (const s of subjects) {
    await db
      .updateTable('login_throttle')
      .set({ count: 0 })
      .where('kind', '=', s.kind)
      .where('subject', '=', s.subject)
      .execute();
  }
}

/**
 * Counts one request from `address` in its fixed window of `windowSeconds`; returns the count so
 * far in the window and when the window ends.
 */
export async function countRequest(
  db: Db,
  address: string,
  windowSeconds: number,
): Promise<{ count: number; windowEndsAt: Date }> {
  const { rows } = await sql<{ count: number; window_ends_at: Date }>`
    insert into login_throttle as t (kind, subject, count, window_started_at)
    values ('rate', ${address}, 1, now())
    on conflict (kind, subject) do update set
      count = case when t.window_started_at <= now() - make_interval(secs => ${windowSeconds}) then 1
                   else t.count + 1 end,
      window_started_at = case when t.window_started_at <= now() - make_interval(secs => ${windowSeconds})
                               then now() else t.window_started_at end
    returning count, window_started_at + make_interval(secs => ${windowSeconds}) as window_ends_at`.execute(
    db,
  );
  const row = rows[0]!;
  return { count: row.count, windowEndsAt: row.window_ends_at };
}

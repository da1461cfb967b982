import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import {
  activeLocks,
  clearFailures,
  countRequest,
  recordFailure,
  type FailureKind,
} from '../../db/queries/login-throttle.js';
import { HttpProblem } from '../errors.js';

/**
 * Guards `/auth/login` against password guessing: a request rate per client address, and a lock
 * after consecutive failures per account and per address. Counters are in PostgreSQL so every API
 * process sees the same attempts (docs/access.md "Sign-in limits").
 */

type Limits = Pick<
  Config,
  | 'LOGIN_MAX_FAILURES'
  | 'LOGIN_ADDRESS_MAX_FAILURES'
  | 'LOGIN_LOCK_SECONDS'
  | 'LOGIN_RATE_LIMIT'
  | 'LOGIN_RATE_WINDOW_SECONDS'
>;

function subjects(username: string, address: string): { kind: FailureKind; subject: string }[] {
  return [
    { kind: 'account', subject: username },
    { kind: 'address', subject: address },
  ];
}

function retryAfter(until: Date): string {
  return String(Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)));
}

function tooMany(message: string, until: Date): HttpProblem {
  return new HttpProblem(429, message, [], 'TOO_MANY_REQUESTS', { 'retry-after': retryAfter(until) });
}

/** Throws 429 with Retry-After when the address is over its rate or the account or address is locked. */
export async function checkLoginAllowed(
  db: Db,
  limits: Limits,
  username: string,
  address: string,
): Promise<void> {
  const rate = await countRequest(db, address, limits.LOGIN_RATE_WINDOW_SECONDS);
  if (rate.count > limits.LOGIN_RATE_LIMIT) {
    throw tooMany(
      `too many sign-in requests from this address: at most ${limits.LOGIN_RATE_LIMIT} per ${limits.LOGIN_RATE_WINDOW_SECONDS} s; try again after ${rate.windowEndsAt.toISOString()}`,
      rate.windowEndsAt,
    );
  }
  const locks = await activeLocks(db, subjects(username, address));
  if (locks.length === 0) return;
  // The later lock is the one the caller has to wait for.
  const lock = locks.reduce((a, b) => (a.lockedUntil >= b.lockedUntil ? a : b));
  const what =
    lock.kind === 'account'
      ? `account "${username}" is locked after ${limits.LOGIN_MAX_FAILURES} failed sign-ins`
      : `sign-ins from this address are locked after ${limits.LOGIN_ADDRESS_MAX_FAILURES} failed sign-ins`;
  throw tooMany(
    `${what} until ${lock.lockedUntil.toISOString()}; no password is accepted before then`,
    lock.lockedUntil,
  );
}

export async function loginFailed(db: Db, limits: Limits, username: string, address: string): Promise<void> {
  await recordFailure(db, 'account', username, limits.LOGIN_MAX_FAILURES, limits.LOGIN_LOCK_SECONDS);
  await recordFailure(db, 'address', address, limits.LOGIN_ADDRESS_MAX_FAILURES, limits.LOGIN_LOCK_SECONDS);
}

export async function loginSucceeded(db: Db, username: string, address: string): Promise<void> {
  await clearFailures(db, subjects(username, address));
}

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../api/auth/credentials.js';
import { createHarness, type Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';

/** Short enough to wait out in a test, long enough that a busy machine still sees the lock hold. */
const LOCK_SECONDS = 8;
const RATE_LIMIT = 12;

let h: Harness;
let api: FastifyInstance;
/** A second API process on the same database: locks must hold there too. */
let otherApi: FastifyInstance;

beforeAll(async () => {
  h = await createHarness({
    LOGIN_MAX_FAILURES: '5',
    LOGIN_LOCK_SECONDS: String(LOCK_SECONDS),
    LOGIN_RATE_LIMIT: String(RATE_LIMIT),
    LOGIN_RATE_WINDOW_SECONDS: '600',
  });
  api = await h.api();
  otherApi = await h.api();
  for (const username of ['qian.ops', 'sun.ops']) {
    await createUser(h.db, { username, password: 'correct horse battery', roles: ['ops'] }, 'test-setup');
  }
});
afterAll(() => h.teardown());

function login(app: FastifyInstance, username: string, password: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress });
}

async function lockEnded(username: string): Promise<boolean> {
  const row = await h.db
    .selectFrom('login_throttle')
    .select(sql<boolean>`locked_until is null or locked_until <= now()`.as('ended'))
    .where('kind', '=', 'account')
    .where('subject', '=', username)
    .executeTakeFirst();
  return row?.ended ?? true;
}

describe('sign-in limits', () => {
  it('locks an account after five wrong passwords, refuses even the right one until the lock ends, and spares other accounts', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login(api, 'qian.ops', `wrong guess ${i}`)).statusCode).toBe(401);
    }
    const locked = await login(otherApi, 'qian.ops', 'correct horse battery');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(LOCK_SECONDS);
    expect(locked.json().message).toMatch(/account "qian\.ops" is locked after 5 failed sign-ins/);

    const other = await login(api, 'sun.ops', 'correct horse battery');
    expect(other.statusCode).toBe(200);

    await expect.poll(() => lockEnded('qian.ops'), { timeout: PATIENCE_MS, interval: 250 }).toBe(true);
    const after = await login(api, 'qian.ops', 'correct horse battery');
    expect(after.statusCode).toBe(200);
    expect(after.json().actor.name).toBe('qian.ops');
  });

  it('forgets failures after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await login(api, 'sun.ops', `wrong guess ${i}`, '10.0.0.5')).statusCode).toBe(401);
    }
    expect((await login(api, 'sun.ops', 'correct horse battery', '10.0.0.5')).statusCode).toBe(200);
    expect((await login(api, 'sun.ops', 'one more wrong', '10.0.0.5')).statusCode).toBe(401);
    expect((await login(api, 'sun.ops', 'correct horse battery', '10.0.0.5')).statusCode).toBe(200);
  });

  it('limits how many sign-in requests one address may make', async () => {
    for (let i = 0; i < RATE_LIMIT; i++) {
      expect((await login(api, `guess-${i}`, 'whatever it is', '10.0.0.9')).statusCode).toBe(401);
    }
    const limited = await login(otherApi, 'sun.ops', 'correct horse battery', '10.0.0.9');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().message).toMatch(/too many sign-in requests from this address/);
    // Another address is not held back.
    expect((await login(api, 'sun.ops', 'correct horse battery', '10.0.0.10')).statusCode).toBe(200);
  });
});

import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsCipher } from '../../services/capture/credentials.js';
import { SYNC_FAILURE } from '../../activities/capture/failures.js';
import { createShopSyncActivities } from '../../activities/capture/sync.js';
import { insertShop } from '../../db/queries/shops.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { pddSimulator } from '../../sandbox/platforms/pdd/index.js';
import { taobaoSimulator } from '../../sandbox/platforms/taobao/index.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * A platform saying "slow down" on the capture path must become the activity's `nextRetryDelay`,
 * so Temporal waits what the platform asked (HTTP Retry-After, or the platform's own limit error)
 * instead of its own backoff.
 */
const PDD = { clientId: 'rl-pdd-client', clientSecret: 'rl-pdd-secret', mallId: '900001' };
const TOP = { appKey: '87654321', appSecret: 'rl-top-secret', nick: '限流测试店' };

let h: Harness;
let server: FastifyInstance;
let activities: ReturnType<typeof createShopSyncActivities>;
const pddFaults = new FaultPlan();
const shops = { pdd: uniqueId('rl-pdd'), limitedPdd: uniqueId('rl-pdd-tight'), taobao: uniqueId('rl-tb') };

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

beforeAll(async () => {
  h = await createHarness();
  server = Fastify({ logger: false });
  const store = new SimOrderStore();
  await server.register(pddSimulator, {
    prefix: '/pdd',
    store,
    clientId: PDD.clientId,
    clientSecret: PDD.clientSecret,
    malls: [{ mallId: PDD.mallId, accessToken: 'rl-pdd-token' }],
    faults: pddFaults,
  });
  // PDD's own flow-control error (no Retry-After): one list call per minute for this mall.
  await server.register(pddSimulator, {
    prefix: '/pdd-tight',
    store,
    clientId: PDD.clientId,
    clientSecret: PDD.clientSecret,
    malls: [{ mallId: PDD.mallId, accessToken: 'rl-pdd-token' }],
    rateLimit: { limit: 1, windowMs: 60_000 },
  });
  // TOP's "App Call Limited" says how long the ban lasts.
  await server.register(taobaoSimulator, {
    prefix: '/taobao',
    store,
    appKey: TOP.appKey,
    appSecret: TOP.appSecret,
    shops: [{ nick: TOP.nick, userId: '2299999', accessToken: 'rl-tb-session' }],
    rateLimit: { limit: 1, windowMs: 9_000 },
  });
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  const cipher = credentialsCipher(h.config);
  const register = (
    id: string,
    platform: 'pdd' | 'taobao',
    baseUrl: string,
    credentials: { appKey: string; appSecret: string; accessToken: string },
  ) =>
    insertShop(h.db, {
      id,
      platform,
      name: id,
      platformShopId: platform === 'pdd' ? PDD.mallId : TOP.nick,
      baseUrl,
      credentialsEncrypted: cipher.encrypt(id, credentials),
      pollIntervalSeconds: 300,
      syncEnabled: false,
      settings: {},
    });
  const pddCredentials = { appKey: PDD.clientId, appSecret: PDD.clientSecret, accessToken: 'rl-pdd-token' };
  await register(shops.pdd, 'pdd', `${base}/pdd`, pddCredentials);
  await register(shops.limitedPdd, 'pdd', `${base}/pdd-tight`, pddCredentials);
  await register(shops.taobao, 'taobao', `${base}/taobao`, {
    appKey: TOP.appKey,
    appSecret: TOP.appSecret,
    accessToken: 'rl-tb-session',
  });
  activities = createShopSyncActivities({ db: h.db, client: h.client, config: h.config });
});
afterAll(async () => {
  await server.close();
  await h.teardown();
});

const window = (shopId: string, minutes = 20) => {
  const to = new Date(Date.now() - 60_000);
  return {
    shopId,
    from: new Date(to.getTime() - minutes * 60_000).toISOString(),
    to: to.toISOString(),
    cursor: null,
  };
};

describe('a platform rate limit on the capture path', () => {
  it('429 with Retry-After on an order page becomes nextRetryDelay, retryable', async () => {
    pddFaults.fail('pdd.order.number.list.increment.get', 429, 1, 7);
    const limited = await failureOf(activities.syncOrderPage(window(shops.pdd)));
    expect(limited.type).toBe(SYNC_FAILURE.rateLimited);
    expect(limited.nonRetryable).toBe(false);
    expect(limited.nextRetryDelay).toBe(7_000);
    // The retry Temporal makes after that delay goes through.
    await expect(activities.syncOrderPage(window(shops.pdd))).resolves.toMatchObject({ listed: 0 });
  });

  it('429 on the refund listing and on fetching a pushed order does the same', async () => {
    pddFaults.fail('pdd.refund.list.increment.get', 429, 1, 3);
    const refunds = await failureOf(activities.syncRefundPage(window(shops.pdd)));
    expect(refunds).toMatchObject({ type: SYNC_FAILURE.rateLimited, nextRetryDelay: 3_000 });

    pddFaults.fail('pdd.order.information.get', 429, 1, 12);
    const fetch = await failureOf(
      activities.fetchOrders({ shopId: shops.pdd, orders: [{ platformOrderId: '260301-000000000000001' }] }),
    );
    expect(fetch).toMatchObject({ type: SYNC_FAILURE.rateLimited, nextRetryDelay: 12_000 });
  });

  it("the platform's own limit error without a delay waits a second; TOP's ban waits what it says", async () => {
    await activities.syncOrderPage(window(shops.limitedPdd));
    const pdd = await failureOf(activities.syncOrderPage(window(shops.limitedPdd)));
    expect(pdd).toMatchObject({ type: SYNC_FAILURE.rateLimited, nonRetryable: false, nextRetryDelay: 1_000 });

    await activities.syncOrderPage(window(shops.taobao));
    const top = await failureOf(activities.syncOrderPage(window(shops.taobao)));
    expect(top.type).toBe(SYNC_FAILURE.rateLimited);
    // "This ban will last for N more seconds": N is what is left of the 9-second window.
    expect(top.nextRetryDelay).toBeGreaterThanOrEqual(1_000);
    expect(top.nextRetryDelay).toBeLessThanOrEqual(9_000);
    expect((top.nextRetryDelay as number) % 1_000).toBe(0);
  });
});

import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmcChannelWorkflowId } from '../../services/capture/tmc-control.js';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { createTaobaoAdapter } from '../../integrations/platforms/taobao/adapter.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { startMessageChannels, type MessageChannels } from '../../worker/channels.js';
import { messageChannelStateQuery, shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness, type RunningWorker } from '../support/harness.js';
import { recordHistory } from '../support/histories.js';
import { waitForState } from '../support/waits.js';
import {
  channelCounters,
  orderRow,
  placePaidOrders,
  requestRefund,
  startChannelSims,
  until,
  waitForOrder,
  type ChannelSims,
} from './support.js';

let h: Harness;
let api: FastifyInstance;
let ops: { authorization: string };
let sims: ChannelSims;
let worker: RunningWorker;
let channels: MessageChannels;
const shopId = uniqueId('tb');

beforeAll(async () => {
  h = await createHarness({
    SYNC_OVERLAP_SECONDS: '5',
    SYNC_SAFETY_LAG_SECONDS: '0',
    CHANNEL_SCAN_SECONDS: '3600',
    CHANNEL_ALERT_AFTER_FAILURES: '2',
    CHANNEL_RETRY_INITIAL_SECONDS: '0.2',
    CHANNEL_RETRY_MAX_SECONDS: '1',
    TMC_RUN_SECONDS: '5',
  });
  sims = await startChannelSims({ tmcVisibilityMs: 2_000 });
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  worker = await h.startWorker();
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: ops,
    payload: {
      id: shopId,
      platform: 'taobao',
      name: 'TMC test shop',
      platformShopId: sims.taobao.nick,
      baseUrl: sims.taobao.baseUrl,
      credentials: {
        appKey: sims.taobao.appKey,
        appSecret: sims.taobao.appSecret,
        accessToken: sims.taobao.session,
      },
      // Polling once a minute: whatever arrives within seconds came through TMC.
      pollIntervalSeconds: 60,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await until(async () => (await syncState()).totals.polls >= 1, 'the shop’s first poll');
  channels = startMessageChannels({
    db: h.db,
    client: h.client,
    config: h.config,
    logger: pino({ level: 'silent' }),
  });
  await channels.scan();
});

afterAll(async () => {
  await channels?.stop();
  await h.client.workflow
    .getHandle(tmcChannelWorkflowId(sims.taobao.appKey))
    .terminate('test over')
    .catch(() => {});
  await h.teardown();
  await sims.stop();
});

const syncState = () => h.client.workflow.getHandle(shopSyncWorkflowId(shopId)).query(shopSyncStateQuery);
const counters = async () =>
  (await channelCounters(h.db, 'tmc', sims.taobao.appKey)) ?? { received: 0, handed_over: 0, unrouted: 0 };
const orderWorkflows = async (platformOrderId: string) =>
  (await h.client.workflow.count(`WorkflowId = '${orderWorkflowId('taobao', shopId, platformOrderId)}'`))
    .count;

describe('Taobao TMC feeding order capture', () => {
  it('brings a new order and then its refund to the order workflow long before the next poll', async () => {
    const before = await syncState();
    const nextPoll = Date.parse(before.nextPollAt!);
    const [order] = placePaidOrders(sims.taobao.store, 'taobao', sims.taobao.nick);

    await waitForOrder(h.db, shopId, order!.id);
    expect(Date.now()).toBeLessThan(nextPoll);
    const after = await syncState();
    expect(after.totals.polls).toBe(before.totals.polls);
    expect(after.totals.fetched).toBeGreaterThan(before.totals.fetched);
    const workflowId = orderWorkflowId('taobao', shopId, order!.id);
    expect((await h.client.workflow.getHandle(workflowId).describe()).workflowId).toBe(workflowId);

    requestRefund(sims.taobao.store, order!);
    await waitForState(h.client, workflowId, (state) => state.refundStatus === 'requested');
    expect(Date.now()).toBeLessThan(nextPoll);
    // Confirmed after hand-over: nothing left for TMC to deliver again.
    await expect.poll(() => sims.taobao.tmc.size).toBe(0);

    const channel = h.client.workflow.getHandle(tmcChannelWorkflowId(sims.taobao.appKey));
    await expect
      .poll(async () => (await channel.query(messageChannelStateQuery)).totals.handedOver, {})
      .toBeGreaterThanOrEqual(2);
    await recordHistory(h.client, tmcChannelWorkflowId(sims.taobao.appKey), 'tmc-channel-runs');
  });

  it('brings a Tmall seller’s order to its Tmall shop through the same app’s TMC, long before its next poll', async () => {
    // A Tmall shop registered under the app whose TMC already runs: found when its seller is first named.
    const tmallId = await registerShop(
      api,
      ops,
      {
        id: uniqueId('tm'),
        platform: 'tmall',
        name: 'TMC test Tmall shop',
        platformShopId: sims.taobao.tmallNick,
        baseUrl: sims.taobao.baseUrl,
        credentials: {
          appKey: sims.taobao.appKey,
          appSecret: sims.taobao.appSecret,
          accessToken: sims.taobao.tmallSession,
        },
      },
      { pollIntervalSeconds: 60 },
    );
    const tmallSync = () =>
      h.client.workflow.getHandle(shopSyncWorkflowId(tmallId)).query(shopSyncStateQuery);
    await until(async () => (await tmallSync()).totals.polls >= 1, 'the Tmall shop’s first poll');
    const before = await tmallSync();
    const [order] = placePaidOrders(sims.taobao.store, 'taobao', sims.taobao.tmallNick);

    await waitForOrder(h.db, tmallId, order!.id);
    expect(Date.now()).toBeLessThan(Date.parse(before.nextPollAt!));
    const after = await tmallSync();
    expect(after.totals.polls).toBe(before.totals.polls);
    expect(after.totals.fetched).toBeGreaterThan(before.totals.fetched);
    const workflowId = orderWorkflowId('tmall', tmallId, order!.id);
    expect((await h.client.workflow.getHandle(workflowId).describe()).workflowId).toBe(workflowId);
    await expect.poll(() => sims.taobao.tmc.size).toBe(0);
  });

  it('delivers a message again when its confirm failed, and the order still arrives once', async () => {
    await expect.poll(() => sims.taobao.tmc.size).toBe(0);
    const before = await counters();
    sims.taobao.faults.fail('taobao.tmc.messages.confirm', 503, 1);
    const [order] = placePaidOrders(sims.taobao.store, 'taobao', sims.taobao.nick);

    await waitForOrder(h.db, shopId, order!.id);
    // Handed over, not confirmed: back after the visibility timeout, handed over again, confirmed.
    await expect
      .poll(async () => (await counters()).handed_over - before.handed_over)
      .toBeGreaterThanOrEqual(2);
    await expect.poll(() => sims.taobao.tmc.size).toBe(0);
    expect((await counters()).received - before.received).toBeGreaterThanOrEqual(2);
    await expect.poll(() => orderWorkflows(order!.id)).toBe(1);
  });

  it('redelivers what a consumer took and never confirmed (killed mid-batch) to the next worker', async () => {
    await worker.stop();
    const [order] = placePaidOrders(sims.taobao.store, 'taobao', sims.taobao.nick);
    // A consumer that dies right after its pull: it saw the message and never confirmed it.
    const crashed = createTaobaoAdapter({
      shopId: 'crashed-consumer',
      platformShopId: '',
      baseUrl: sims.taobao.baseUrl,
      credentials: { appKey: sims.taobao.appKey, appSecret: sims.taobao.appSecret },
    });
    const taken = await crashed.consumeMessages({ quantity: 10 });
    expect(taken.map((m) => m.events[0])).toContainEqual(
      expect.objectContaining({ kind: 'order_changed', platformOrderId: order!.id }),
    );
    expect(await orderRow(h.db, shopId, order!.id)).toBeUndefined();

    const before = await counters();
    worker = await h.startWorker({ identity: 'replacement' });
    await waitForOrder(h.db, shopId, order!.id);
    expect((await counters()).received).toBeGreaterThan(before.received);
    await expect.poll(() => sims.taobao.tmc.size).toBe(0);
    await expect.poll(() => orderWorkflows(order!.id)).toBe(1);
  });

  it('confirms and counts messages for a seller with no shop here instead of seeing them forever', async () => {
    const before = await counters();
    const strangers = placePaidOrders(sims.taobao.store, 'taobao', sims.taobao.strangerNick, 2);
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('message_channel_unrouted')
              .select(['messages', 'last_topic'])
              .where('app_key', '=', sims.taobao.appKey)
              .where('seller', '=', sims.taobao.strangerNick)
              .executeTakeFirst()
          )?.messages,
      )
      .toBe(2);
    // Confirmed: gone from TMC, so never delivered again.
    await expect.poll(() => sims.taobao.tmc.size).toBe(0);
    expect((await counters()).unrouted - before.unrouted).toBe(2);
    const captured = await h.db.selectFrom('orders').select('platform_order_id').execute();
    const strangerIds = new Set(strangers.map((o) => o.id));
    expect(captured.filter((o) => strangerIds.has(o.platform_order_id))).toEqual([]);
  });

  it('raises channel_failing while TMC refuses to serve, resolves it, and loses nothing', async () => {
    sims.taobao.faults.fail('taobao.tmc.messages.consume', 503, 6);
    const [order] = placePaidOrders(sims.taobao.store, 'taobao', sims.taobao.nick);
    const alerts = async (includeResolved: boolean) =>
      (
        await api.inject({
          method: 'GET',
          url: `/alerts?shopId=${shopId}&kind=channel_failing&includeResolved=${includeResolved}`,
          headers: ops,
        })
      ).json().alerts as Array<{ kind: string; message: string; resolvedAt: string | null }>;

    await expect.poll(() => alerts(true)).toHaveLength(1);
    expect((await alerts(true))[0]!.message).toMatch(/Taobao TMC .*503/);
    await waitForOrder(h.db, shopId, order!.id);
    await expect.poll(() => alerts(false)).toEqual([]);
    expect((await alerts(true))[0]!.resolvedAt).not.toBeNull();
    const channel = await channelCounters(h.db, 'tmc', sims.taobao.appKey);
    expect(channel?.last_error).toBeNull();
    expect(channel?.last_error_at).not.toBeNull();
  });
});

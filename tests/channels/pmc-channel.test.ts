import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { shopSyncWorkflowId } from '../../services/capture/sync-control.js';
import { pddWssPath } from '../../integrations/platforms/pdd/sign.js';
import { parsePmcFrame } from '../../integrations/platforms/pdd/webhook.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { startMessageChannels, type MessageChannels } from '../../worker/channels.js';
import { shopSyncStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
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
let channels: MessageChannels;
const shopId = uniqueId('pdd');

beforeAll(async () => {
  h = await createHarness({
    SYNC_OVERLAP_SECONDS: '5',
    SYNC_SAFETY_LAG_SECONDS: '0',
    CHANNEL_SCAN_SECONDS: '3600',
    CHANNEL_ALERT_AFTER_FAILURES: '2',
    CHANNEL_RETRY_INITIAL_SECONDS: '0.2',
    CHANNEL_RETRY_MAX_SECONDS: '1',
    PMC_HEARTBEAT_SECONDS: '1',
  });
  sims = await startChannelSims({ pmcResendMs: 1_500 });
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  await h.startWorker();
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: ops,
    payload: {
      id: shopId,
      platform: 'pdd',
      name: 'PMC test mall',
      platformShopId: sims.pdd.mallId,
      baseUrl: sims.pdd.baseUrl,
      credentials: {
        appKey: sims.pdd.clientId,
        appSecret: sims.pdd.clientSecret,
        accessToken: sims.pdd.accessToken,
      },
      // Polling once a minute: whatever arrives within seconds came through PMC.
      pollIntervalSeconds: 60,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await until(async () => (await syncState()).totals.polls >= 1, 'the shop’s first poll');
  channels = await connectedChannels();
});

afterAll(async () => {
  await channels?.stop();
  await h.teardown();
  await sims.stop();
});

async function connectedChannels(): Promise<MessageChannels> {
  const started = startMessageChannels({
    db: h.db,
    client: h.client,
    config: h.config,
    logger: pino({ level: 'silent' }),
  });
  await started.scan();
  await until(async () => started.pmc.get(sims.pdd.clientId)?.connected === true, 'PMC connected');
  return started;
}

const syncState = () => h.client.workflow.getHandle(shopSyncWorkflowId(shopId)).query(shopSyncStateQuery);
const pending = () => sims.pdd.pmc.pending(sims.pdd.clientId);
const orderWorkflows = async (platformOrderId: string) =>
  (await h.client.workflow.count(`WorkflowId = '${orderWorkflowId('pdd', shopId, platformOrderId)}'`)).count;

describe('PDD PMC feeding order capture', () => {
  it('brings a paid order and then its refund to the order workflow within seconds, ACKing each frame', async () => {
    const before = await syncState();
    const nextPoll = Date.parse(before.nextPollAt!);
    const [order] = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.mallId);

    await waitForOrder(h.db, shopId, order!.id);
    expect(Date.now()).toBeLessThan(nextPoll);
    const after = await syncState();
    expect(after.totals.polls).toBe(before.totals.polls);
    expect(after.totals.fetched).toBeGreaterThan(before.totals.fetched);
    await expect.poll(pending).toBe(0);

    requestRefund(sims.pdd.store, order!);
    await waitForState(
      h.client,
      orderWorkflowId('pdd', shopId, order!.id),
      (state) => state.refundStatus === 'requested',
    );
    expect(Date.now()).toBeLessThan(nextPoll);
    await expect.poll(pending).toBe(0);
  });

  it('delivers again, after reconnecting, a frame a client took and never ACKed; the order arrives once', async () => {
    await channels.stop();
    await until(async () => sims.pdd.pmc.connections(sims.pdd.clientId) === 0, 'disconnected');
    // Placed while no worker listens: PDD keeps the frame.
    const [order] = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.mallId);
    expect(pending()).toBe(1);

    // A client that dies after receiving the frame, before its ACK.
    const crashed = new WebSocket(
      `${sims.pdd.baseUrl.replace(/^http/, 'ws')}${pddWssPath(sims.pdd.clientId, Date.now(), sims.pdd.clientSecret)}`,
    );
    const frame = await new Promise<string>((resolve, reject) => {
      crashed.once('message', (data) => resolve(String(data)));
      crashed.once('error', reject);
    });
    crashed.terminate();
    const id = /"id":(\d+)/.exec(frame)![1]!;
    expect(parsePmcFrame(frame).events).toEqual([{ kind: 'order_changed', platformOrderId: order!.id }]);
    expect(await orderRow(h.db, shopId, order!.id)).toBeUndefined();

    channels = await connectedChannels();
    await waitForOrder(h.db, shopId, order!.id);
    expect(sims.pdd.pmc.deliveries(id)).toBeGreaterThanOrEqual(2);
    await expect.poll(pending).toBe(0);
    await expect.poll(() => orderWorkflows(order!.id)).toBe(1);
  });

  it('ACKs and counts frames for a mall with no shop here instead of receiving them forever', async () => {
    const before = (await channelCounters(h.db, 'pmc', sims.pdd.clientId))?.unrouted ?? 0;
    const strangers = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.strangerMallId, 2);
    await expect
      .poll(
        async () =>
          (
            await h.db
              .selectFrom('message_channel_unrouted')
              .select('messages')
              .where('channel', '=', 'pmc')
              .where('seller', '=', sims.pdd.strangerMallId)
              .executeTakeFirst()
          )?.messages,
      )
      .toBe(2);
    await expect.poll(pending).toBe(0);
    expect((await channelCounters(h.db, 'pmc', sims.pdd.clientId))?.unrouted).toBe(before + 2);
    for (const order of strangers) expect(await orderRow(h.db, shopId, order.id)).toBeUndefined();
  });

  it('raises channel_failing while PMC refuses connections, resolves it once connected, and loses nothing', async () => {
    await channels.stop();
    sims.pdd.faults.fail('pmc.connect', 503, 4);
    const [order] = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.mallId);
    const alerts = async (includeResolved: boolean) =>
      (
        await api.inject({
          method: 'GET',
          url: `/alerts?shopId=${shopId}&kind=channel_failing&includeResolved=${includeResolved}`,
          headers: ops,
        })
      ).json().alerts as Array<{ message: string; resolvedAt: string | null }>;

    channels = await connectedChannels();
    expect((await alerts(true))[0]?.message).toMatch(/PDD PMC .*503/);
    await waitForOrder(h.db, shopId, order!.id);
    await expect.poll(() => alerts(false)).toEqual([]);
    expect((await alerts(true))[0]!.resolvedAt).not.toBeNull();
    await expect.poll(pending).toBe(0);
  });
});

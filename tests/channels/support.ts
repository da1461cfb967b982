import Fastify, { type FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import { PATIENCE_MS } from '../support/waits.js';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import { generateOrders, type Scenario } from '../../sandbox/orders/generator.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { PmcHub, pddSimulator } from '../../sandbox/platforms/pdd/index.js';
import { TmcQueue, taobaoSimulator } from '../../sandbox/platforms/taobao/index.js';
import { uniqueId } from '../support/fixtures.js';

/**
 * The TOP and PDD simulators on one local port, each with a second seller the ERP does not know,
 * and short redelivery timeouts so a test sees an unconfirmed message come back within seconds.
 */
export interface ChannelSims {
  server: FastifyInstance;
  taobao: {
    baseUrl: string;
    store: SimOrderStore;
    tmc: TmcQueue;
    faults: FaultPlan;
    appKey: string;
    appSecret: string;
    session: string;
    nick: string;
    /** A Tmall seller under the same app (TMC carries Taobao and Tmall sellers alike), and its session. */
    tmallNick: string;
    tmallSession: string;
    /** A seller who authorized the app but has no shop in the ERP. */
    strangerNick: string;
  };
  pdd: {
    baseUrl: string;
    store: SimOrderStore;
    pmc: PmcHub;
    faults: FaultPlan;
    clientId: string;
    clientSecret: string;
    accessToken: string;
    mallId: string;
    strangerMallId: string;
  };
  stop(): Promise<void>;
}

export async function startChannelSims(
  options: { tmcVisibilityMs?: number; pmcResendMs?: number } = {},
): Promise<ChannelSims> {
  const server = Fastify({ logger: false });
  const taobao = {
    store: new SimOrderStore(),
    tmc: new TmcQueue(options.tmcVisibilityMs ?? 2_000),
    faults: new FaultPlan(),
    // Channel workflows are named by app key on the shared dev server: one of this file's own.
    appKey: String(20_000_000 + Math.floor(Math.random() * 70_000_000)),
    appSecret: 'tmc-test-secret',
    session: 'tmc-test-session',
    nick: `测试店-${uniqueId('tb')}`,
    tmallNick: `测试旗舰店-${uniqueId('tm')}`,
    tmallSession: 'tmc-test-tmall-session',
    strangerNick: `别人的店-${uniqueId('tb')}`,
  };
  const pdd = {
    store: new SimOrderStore(),
    pmc: new PmcHub({ resendAfterMs: options.pmcResendMs ?? 2_000 }),
    faults: new FaultPlan(),
    clientId: uniqueId('pmc-client'),
    clientSecret: 'pmc-test-secret',
    accessToken: 'pmc-test-token',
    mallId: String(100_000_000 + Math.floor(Math.random() * 800_000_000)),
    strangerMallId: String(900_000_000 + Math.floor(Math.random() * 90_000_000)),
  };
  await server.register(taobaoSimulator, {
    prefix: '/taobao',
    store: taobao.store,
    appKey: taobao.appKey,
    appSecret: taobao.appSecret,
    shops: [
      { nick: taobao.nick, accessToken: taobao.session },
      { nick: taobao.tmallNick, accessToken: taobao.tmallSession },
      { nick: taobao.strangerNick, accessToken: 'stranger-session' },
    ],
    tmc: taobao.tmc,
    faults: taobao.faults,
  });
  await server.register(pddSimulator, {
    prefix: '/pdd',
    store: pdd.store,
    clientId: pdd.clientId,
    clientSecret: pdd.clientSecret,
    malls: [
      { mallId: pdd.mallId, accessToken: pdd.accessToken },
      { mallId: pdd.strangerMallId, accessToken: 'stranger-token' },
    ],
    pmc: pdd.pmc,
    faults: pdd.faults,
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return {
    server,
    taobao: { ...taobao, baseUrl: `${base}/taobao` },
    pdd: { ...pdd, baseUrl: `${base}/pdd` },
    stop: () => server.close(),
  };
}

/** Orders a buyer just paid for, placed in the simulator's store now. */
export function placePaidOrders(
  store: SimOrderStore,
  platform: 'taobao' | 'pdd',
  shopKey: string,
  count = 1,
  scenario: Scenario = 'group_buy',
): SimOrder[] {
  const now = new Date();
  const orders = generateOrders({ seed: uniqueId('seed'), platform, shopKey, scenario, count, start: now });
  for (const order of orders) {
    order.plan = [];
    order.status = 'paid';
    order.createdAt = new Date(now.getTime() - 60_000);
    order.paidAt = now;
    order.modifiedAt = now;
    delete order.presale;
    delete order.refund;
    store.upsert(order);
  }
  return orders;
}

/** The buyer asks for a refund of the whole order. */
export function requestRefund(store: SimOrderStore, order: SimOrder): void {
  const at = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
  const refund: SimRefund = {
    id: String(BigInt(order.id.replace(/\D/g, '').slice(-15)) + 1n),
    status: 'requested',
    kind: 'refund_only',
    amountMinor: order.paidMinor,
    reason: '不想要了',
    createdAt: at,
    modifiedAt: at,
  };
  store.update(order.shopKey, order.id, (o) => (o.refund = refund), at);
}

export async function orderRow(db: Db, shopId: string, platformOrderId: string) {
  return db
    .selectFrom('orders')
    .select(['id', 'refund_status', 'platform_order_id'])
    .where('shop_id', '=', shopId)
    .where('platform_order_id', '=', platformOrderId)
    .executeTakeFirst();
}

export async function waitForOrder(db: Db, shopId: string, platformOrderId: string, timeout = PATIENCE_MS) {
  await expect.poll(() => orderRow(db, shopId, platformOrderId), { timeout, interval: 100 }).toBeDefined();
  return (await orderRow(db, shopId, platformOrderId))!;
}

export async function channelCounters(db: Db, channel: 'tmc' | 'pmc', appKey: string) {
  return db
    .selectFrom('message_channels')
    .selectAll()
    .where('channel', '=', channel)
    .where('app_key', '=', appKey)
    .executeTakeFirst();
}

/** For set-up, where `expect.poll` is not available: waits until `check` holds. */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not there yet (a workflow not started, a query not answered).
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

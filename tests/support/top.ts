import Fastify, { type FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Client } from '@temporalio/client';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { taobaoSimulator } from '../../sandbox/platforms/taobao/index.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { uniqueId } from './fixtures.js';
import { paidSimOrder } from './sim-orders.js';
import { setupCarrierAccounts, type CarrierSandboxServer } from './fulfilment.js';
import type { Harness } from './harness.js';
import { startErpSide } from './erp-world.js';

/**
 * A simulated TOP gateway with one seller, and the ERP's side of it: a Taobao shop connected through
 * the shops API, and trades that reach the ERP the way TMC-named changes do (fetched and normalized).
 */
export interface TopSandbox {
  /** The gateway's platform: a Tmall gateway also answers `tmall.exchange.*`. */
  platform: 'taobao' | 'tmall';
  store: SimOrderStore;
  nick: string;
  url: string;
  credentials: { appKey: string; appSecret: string; accessToken: string };
  close(): Promise<void>;
}

export async function startTop(nick: string, platform: 'taobao' | 'tmall' = 'taobao'): Promise<TopSandbox> {
  const credentials = { appKey: '23456789', appSecret: 'top-test-secret', accessToken: `session-${nick}` };
  const store = new SimOrderStore();
  const top: FastifyInstance = Fastify();
  await top.register(taobaoSimulator, {
    store,
    appKey: credentials.appKey,
    appSecret: credentials.appSecret,
    shops: [{ nick, accessToken: credentials.accessToken }],
    faults: new FaultPlan(),
    platform,
  });
  await top.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(top.server.address() as { port: number }).port}`;
  return { platform, store, nick, url, credentials, close: () => top.close() };
}

/** A Taobao shop of `top`'s seller, polling off: its trades arrive only when TMC names them. */
export async function connectTopShop(
  api: FastifyInstance,
  auth: { authorization: string },
  top: TopSandbox,
  extra?: Record<string, string>,
): Promise<string> {
  const id = uniqueId(top.platform === 'tmall' ? 'tm' : 'tb');
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: auth,
    payload: {
      id,
      platform: top.platform,
      name: top.platform === 'tmall' ? '天猫测试店' : '淘宝测试店',
      platformShopId: top.nick,
      baseUrl: top.url,
      credentials: { ...top.credentials, ...(extra ? { extra } : {}) },
      syncEnabled: false,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return id;
}

/** A paid Taobao trade of one unit per SKU: line `${tid}1` is the first SKU, `${tid}2` the second… */
export function paidTrade(
  top: TopSandbox,
  tid: string,
  skus: Array<{ code: string; priceFen: number }>,
): SimOrder {
  return paidSimOrder(
    {
      id: tid,
      shopKey: top.nick,
      buyerNick: 'r**d',
      receiver: { name: '李四', phone: '13900001234', detail: '文三路200号' },
    },
    skus,
    { line: (i) => `${tid}${i + 1}`, sku: (i) => String(i + 1) },
  );
}

/** The platform changes the trade (a newer modified time), and TMC names it: the ERP fetches it. */
export async function onPlatform(
  client: Client,
  taskQueue: string,
  top: TopSandbox,
  shopId: string,
  order: SimOrder,
  change: (o: SimOrder) => void = () => {},
): Promise<void> {
  change(order);
  order.modifiedAt = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
  top.store.upsert(order);
  await requestOrderFetch(client, taskQueue, { id: shopId, platform: top.platform }, [
    { platformOrderId: order.id },
  ]);
}

/**
 * Everything a Taobao order needs to go from the TOP gateway to the carrier: the harness with its
 * API and worker, the simulated gateway and carriers, one warehouse holding `stock`, ops and
 * warehouse keys, and `connectedShop()` for a new shop with carrier accounts.
 */
export interface TopWorld {
  h: Harness;
  api: FastifyInstance;
  carriers: CarrierSandboxServer;
  top: TopSandbox;
  warehouse: string;
  ops: { authorization: string };
  wh: { authorization: string };
  /** A new shop with carrier accounts; `extra` goes into its credentials (e.g. `returnAddressId`). */
  connectedShop(extra?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export async function startTopWorld(
  nick: string,
  stock: Record<string, number>,
  settings: Record<string, string>,
  platform: 'taobao' | 'tmall' = 'taobao',
): Promise<TopWorld> {
  const top = await startTop(nick, platform);
  const side = await startErpSide(stock, settings);
  const { h, api, carriers, ops } = side;
  return {
    ...side,
    top,
    async connectedShop(extra) {
      const id = await connectTopShop(api, ops, top, extra);
      await setupCarrierAccounts(h.db, id);
      return id;
    },
    async close() {
      await h.teardown();
      await carriers.close();
      await top.close();
    },
  };
}

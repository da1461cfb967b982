import Fastify, { type FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Client } from '@temporalio/client';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { taobaoSimulator } from '../../sandbox/platforms/taobao/index.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from './fixtures.js';
import { paidSimOrder } from './sim-orders.js';
import {
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  type CarrierSandboxServer,
} from './fulfilment.js';
import { createHarness, type Harness } from './harness.js';

/**
 * A simulated TOP gateway with one seller, and the ERP's side of it: a Taobao shop connected through
 * the shops API, and trades that reach the ERP the way TMC-named changes do (fetched and normalized).
 */
export interface TopSandbox {
  store: SimOrderStore;
  nick: string;
  url: string;
  credentials: { appKey: string; appSecret: string; accessToken: string };
  close(): Promise<void>;
}

export async function startTop(nick: string): Promise<TopSandbox> {
  const credentials = { appKey: '23456789', appSecret: 'top-test-secret', accessToken: `session-${nick}` };
  const store = new SimOrderStore();
  const top: FastifyInstance = Fastify();
  await top.register(taobaoSimulator, {
    store,
    appKey: credentials.appKey,
    appSecret: credentials.appSecret,
    shops: [{ nick, accessToken: credentials.accessToken }],
    faults: new FaultPlan(),
  });
  await top.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(top.server.address() as { port: number }).port}`;
  return { store, nick, url, credentials, close: () => top.close() };
}

/** A Taobao shop of `top`'s seller, polling off: its trades arrive only when TMC names them. */
export async function connectTopShop(
  api: FastifyInstance,
  auth: { authorization: string },
  top: TopSandbox,
): Promise<string> {
  const id = uniqueId('tb');
  const res = await api.inject({
    method: 'POST',
    url: '/shops',
    headers: auth,
    payload: {
      id,
      platform: 'taobao',
      name: '淘宝测试店',
      platformShopId: top.nick,
      baseUrl: top.url,
      credentials: top.credentials,
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
  await requestOrderFetch(client, taskQueue, { id: shopId, platform: 'taobao' }, [
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
  connectedShop(): Promise<string>;
  close(): Promise<void>;
}

export async function startTopWorld(
  nick: string,
  stock: Record<string, number>,
  settings: Record<string, string>,
): Promise<TopWorld> {
  const carriers = await startCarrierSandbox();
  const top = await startTop(nick);
  const h = await createHarness({ ...carriers.env, ...settings });
  const api = await h.api();
  await seedDemoData(h.db);
  const warehouse = await setupWarehouse(h.db, { stock });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  await h.startWorker();
  return {
    h,
    api,
    carriers,
    top,
    warehouse,
    ops,
    wh,
    async connectedShop() {
      const id = await connectTopShop(api, ops, top);
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

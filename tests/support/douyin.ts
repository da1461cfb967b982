import Fastify from 'fastify';
import { expect } from 'vitest';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  DouyinSimAuth,
  douyinSimulator,
  type DouyinWaybillSim,
} from '../../sandbox/platforms/douyin/index.js';
import { orderChanges, startErpSide, type ErpSide } from './erp-world.js';
import { uniqueId } from './fixtures.js';
import { paidSimOrder } from './sim-orders.js';
import { setupCarrierAccounts } from './fulfilment.js';

/**
 * A simulated Douyin Shop API with one shop, and the ERP's side of it: Douyin shops connected
 * through the shops API whose orders reach the ERP the way pushed changes do (fetched and normalized).
 */
export interface DouyinWorld extends ErpSide {
  store: SimOrderStore;
  shopKey: string;
  /** The app and the shop's token, as a Douyin waybill account takes them. */
  credentials: { appKey: string; appSecret: string; session: string };
  /** Every Douyin method the ERP called, in order (`logistics.newCreateOrder`, `order.batchDecrypt`, …). */
  calls: string[];
  /** A new Douyin shop, polling off, with ZTO and SF accounts. */
  connectedShop(): Promise<string>;
  /** The platform changes the order (a newer update time) and names it: the ERP fetches it. */
  onPlatform(shopId: string, order: SimOrder, change?: (o: SimOrder) => void): Promise<void>;
  close(): Promise<void>;
}

const APP = { appKey: 'douyin-erp-app', appSecret: 'douyin-erp-secret' };

export async function startDouyinWorld(
  stock: Record<string, number>,
  settings: Record<string, string>,
  options: { waybills?: DouyinWaybillSim } = {},
): Promise<DouyinWorld> {
  const shopKey = String(10_000_000 + Math.floor(Math.random() * 80_000_000));
  const auth = new DouyinSimAuth();
  const grant = auth.grant(shopKey);
  const store = new SimOrderStore();
  const douyin = Fastify();
  const calls: string[] = [];
  douyin.addHook('onRequest', async (request) => {
    const method = (request.query as Record<string, unknown>)['method'];
    if (typeof method === 'string') calls.push(method);
  });
  await douyin.register(douyinSimulator, {
    store,
    app: APP,
    auth,
    faults: new FaultPlan(),
    ...(options.waybills ? { waybills: options.waybills } : {}),
  });
  await douyin.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(douyin.server.address() as { port: number }).port}`;

  const side = await startErpSide(stock, settings);
  const { h, api, carriers, ops } = side;
  return {
    ...side,
    store,
    shopKey,
    credentials: { ...APP, session: grant.accessToken },
    calls,
    async connectedShop() {
      const id = uniqueId('douyin');
      const res = await api.inject({
        method: 'POST',
        url: '/shops',
        headers: ops,
        payload: {
          id,
          platform: 'douyin',
          name: '抖店测试店',
          platformShopId: shopKey,
          baseUrl: url,
          credentials: { ...APP, accessToken: grant.accessToken, refreshToken: grant.refreshToken },
          syncEnabled: false,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      await setupCarrierAccounts(h.db, id);
      return id;
    },
    onPlatform: orderChanges(side, store, 'douyin'),
    async close() {
      await h.teardown();
      await carriers.close();
      await douyin.close();
    },
  };
}

let serial = 0;

/** A paid Douyin order of one unit per SKU in the world's shop. */
export function paidDouyinOrder(shopKey: string, skus: Array<{ code: string; priceFen: number }>): SimOrder {
  serial += 1;
  const id = `69${String(Date.now()).slice(-12)}${String(serial).padStart(4, '0')}`;
  return paidSimOrder(
    { id, shopKey, buyerNick: '', receiver: { name: '王五', phone: '13700001234', detail: '文三路300号' } },
    skus,
    { line: (i) => `70${id.slice(2, -1)}${i + 1}`, sku: (i) => String(1_700_000_000 + i) },
  );
}

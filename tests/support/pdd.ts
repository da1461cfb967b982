import Fastify from 'fastify';
import { expect } from 'vitest';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { pddSimulator, type PddWaybillSim } from '../../sandbox/platforms/pdd/index.js';
import { orderChanges, startErpSide, type ErpSide } from './erp-world.js';
import { uniqueId } from './fixtures.js';
import { paidSimOrder } from './sim-orders.js';
import { setupCarrierAccounts } from './fulfilment.js';

/**
 * A simulated PDD gateway with one mall, and the ERP's side of it: PDD shops connected through the
 * shops API whose orders reach the ERP the way PMC-named changes do (fetched and normalized).
 */
export interface PddWorld extends ErpSide {
  store: SimOrderStore;
  mallId: string;
  /** The app and the mall's token, as a PDD waybill account takes them. */
  credentials: { appKey: string; appSecret: string; session: string };
  /** Every PDD API method the ERP called, in order (`pdd.waybill.get`, `pdd.open.decrypt.batch`, …). */
  calls: string[];
  /** A new PDD shop of the mall, polling off, with ZTO and SF accounts. */
  connectedShop(settings?: Record<string, unknown>): Promise<string>;
  /** The platform changes the order (a newer modified time) and PMC names it: the ERP fetches it. */
  onPlatform(shopId: string, order: SimOrder, change?: (o: SimOrder) => void): Promise<void>;
  close(): Promise<void>;
}

const CLIENT = { clientId: 'pdd-erp-client', clientSecret: 'pdd-erp-secret' };

export async function startPddWorld(
  stock: Record<string, number>,
  settings: Record<string, string>,
  options: { waybills?: PddWaybillSim } = {},
): Promise<PddWorld> {
  const mallId = String(100_000_000 + Math.floor(Math.random() * 800_000_000));
  const mall = { mallId, accessToken: `pdd-token-${mallId}`, refreshToken: `pdd-refresh-${mallId}` };
  const store = new SimOrderStore();
  const pdd = Fastify();
  const calls: string[] = [];
  pdd.addHook('preHandler', async (request) => {
    const body = request.body;
    const type =
      typeof body === 'string'
        ? new URLSearchParams(body).get('type')
        : ((body as Record<string, unknown> | undefined)?.['type'] ??
          (request.query as Record<string, unknown>)['type']);
    if (typeof type === 'string') calls.push(type);
  });
  await pdd.register(pddSimulator, {
    store,
    ...CLIENT,
    malls: [mall],
    faults: new FaultPlan(),
    ...(options.waybills ? { waybills: options.waybills } : {}),
  });
  await pdd.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(pdd.server.address() as { port: number }).port}`;

  const side = await startErpSide(stock, settings);
  const { h, api, carriers, ops } = side;
  return {
    ...side,
    store,
    mallId,
    credentials: { appKey: CLIENT.clientId, appSecret: CLIENT.clientSecret, session: mall.accessToken },
    calls,
    async connectedShop(shopSettings = {}) {
      const id = uniqueId('pdd');
      const res = await api.inject({
        method: 'POST',
        url: '/shops',
        headers: ops,
        payload: {
          id,
          platform: 'pdd',
          name: '拼多多测试店',
          platformShopId: mallId,
          baseUrl: url,
          credentials: {
            appKey: CLIENT.clientId,
            appSecret: CLIENT.clientSecret,
            accessToken: mall.accessToken,
            refreshToken: mall.refreshToken,
          },
          syncEnabled: false,
          settings: shopSettings,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      await setupCarrierAccounts(h.db, id);
      return id;
    },
    onPlatform: orderChanges(side, store, 'pdd'),
    async close() {
      await h.teardown();
      await carriers.close();
      await pdd.close();
    },
  };
}

let serial = 0;

/** A paid PDD order of one unit per SKU, in `mallId`'s shop. */
export function paidPddOrder(
  mallId: string,
  skus: Array<{ code: string; priceFen: number }>,
  extra: Partial<SimOrder> = {},
): SimOrder {
  serial += 1;
  const id = `261204-${String(Date.now()).slice(-9)}${String(serial).padStart(6, '0')}`;
  return {
    ...paidSimOrder(
      {
        id,
        shopKey: mallId,
        buyerNick: '',
        receiver: { name: '王五', phone: '13700001234', detail: '文三路300号' },
      },
      skus,
      { line: (i) => `${id}-${i + 1}`, sku: (i) => String(880_000 + i + 1) },
    ),
    ...extra,
  };
}

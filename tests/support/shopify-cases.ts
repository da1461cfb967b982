import type { FastifyInstance, FastifyRequest } from 'fastify';
import { expect } from 'vitest';
import { FaultPlan } from '../../sandbox/kit/rate-limit.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import {
  renderShopifyWebhook,
  shopifySimulator,
  type ShopifyTopic,
} from '../../sandbox/platforms/shopify/index.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import {
  caseWaitsForDecision,
  decideAsCustomerService,
  type CaseSimulator,
  type MarketWorld,
} from './market-cases.js';
import { receiveResaleable } from '../after-sales/world.js';
import { paidSimOrder } from './sim-orders.js';
import { PATIENCE_MS } from './waits.js';

const APP_SECRET = 'shpss_market_cases_secret';
/** The Shopify location the shops restock returned goods at (`credentials.extra.returnLocationId`). */
export const RETURN_LOCATION = 'gid://shopify/Location/7700001';

/** The GraphQL root field a request to the simulator calls, if any. */
function graphqlCall(request: FastifyRequest): string | null {
  if (!request.url.split('?')[0]!.endsWith('/graphql.json') || typeof request.body !== 'string') return null;
  try {
    const query = (JSON.parse(request.body) as { query?: unknown }).query;
    if (typeof query !== 'string') return null;
    return /\{\s*(\w+)\s*\(/.exec(query.replace(/^[^{]*/, ''))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * The Shopify Admin API simulator as the after-sales tests on a market world drive it: a new store
 * (myshopify domain and access token) per shop, orders polled from orders.json and fulfilled through
 * fulfillment orders, returns read and answered in GraphQL, pushed to the ERP as signed `returns/*`
 * webhooks, on the Admin API version `apiVersion` (the adapter's default when absent). `calls`
 * counts the GraphQL calls that reached it by root field, and a field put in `loseNext` has its next
 * call's answer lost after the simulator took it (502).
 */
export function shopifyCases(options: { apiVersion?: string } = {}): CaseSimulator & {
  calls: Record<string, number>;
  loseNext: Set<string>;
  /** The access token of the store at `shopKey`. */
  accessTokenOf(shopKey: string): string;
  push(world: Pick<MarketWorld, 'api'>, shopId: string, order: SimOrder, topic?: ShopifyTopic): Promise<void>;
} {
  const store = new SimOrderStore();
  const tokens: Record<string, string> = {};
  const calls: Record<string, number> = {};
  const loseNext = new Set<string>();
  let serial = 0;
  const sim = {
    platform: 'shopify' as const,
    store,
    calls,
    loseNext,
    accessTokenOf: (shopKey: string) => Object.keys(tokens).find((t) => tokens[t] === shopKey)!,
    seller() {
      const n = Math.floor(Math.random() * 1e9);
      const shopKey = `market-${n}.myshopify.com`;
      const accessToken = `shpat_market_${n}`;
      tokens[accessToken] = shopKey;
      return {
        shopKey,
        credentials: {
          appKey: 'market-shopify-app',
          appSecret: APP_SECRET,
          accessToken,
          extra: {
            returnLocationId: RETURN_LOCATION,
            ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
          },
        },
      };
    },
    async register(server: FastifyInstance) {
      await server.register(async (scope) => {
        scope.addHook('preHandler', async (request) => {
          const call = graphqlCall(request);
          if (call) calls[call] = (calls[call] ?? 0) + 1;
        });
        scope.addHook('onSend', async (request, reply, payload) => {
          const call = graphqlCall(request);
          if (!call || !loseNext.has(call)) return payload;
          loseNext.delete(call);
          reply.code(502).type('text/plain');
          return 'bad gateway (the answer was lost)';
        });
        await scope.register(shopifySimulator, { store, tokens, faults: new FaultPlan() });
      });
    },
    paidOrder(shopKey: string, skus: Array<{ code: string; priceFen: number }>) {
      const id = `${String(Date.now()).slice(-10)}${String(++serial).padStart(3, '0')}`;
      return paidSimOrder(
        { id, shopKey, buyerNick: 'buyer@example.com', receiver: { name: 'Ada Chen', phone: '13500001234' } },
        skus,
        { line: (i) => `${id}${i + 1}`, sku: (i) => String(4_400_000_000 + i) },
      );
    },
    lineId: (order: SimOrder, index: number) => order.items[index]!.lineId,
    isAgree: (request: FastifyRequest) => graphqlCall(request) === 'returnApproveRequest',
    forgedAgree(): Promise<{ status: number; body: string }> {
      throw new Error('the Shopify case tests send no forged agreement');
    },
    refuseBeforeShipment: 'not_offered' as const,
    wholeOrderWaits: false,
    perLine: true,
    /** A signed `returns/*` webhook about the order's return, as the store has it now. */
    async push(
      world: Pick<MarketWorld, 'api'>,
      shopId: string,
      order: SimOrder,
      topic: ShopifyTopic = 'returns/request',
    ) {
      const rendered = renderShopifyWebhook(
        { secret: APP_SECRET, shopDomain: order.shopKey },
        store.get(order.shopKey, order.id)!,
        topic,
      );
      const res = await world.api.inject({
        method: 'POST',
        url: `/webhooks/shopify/${shopId}`,
        headers: rendered.headers,
        payload: rendered.body,
      });
      if (res.statusCode !== 202) throw new Error(`shopify webhook answered ${res.statusCode}: ${res.body}`);
    },
  };
  return sim;
}

/**
 * Customer service agrees the Shopify return or exchange `caseId` of `order`: Shopify approves it
 * once (OPEN) and the case waits for the parcel back at the warehouse. The case's handle.
 */
export async function approvedOnShopify(
  world: MarketWorld,
  sim: ReturnType<typeof shopifyCases>,
  order: SimOrder,
  caseId: string,
) {
  const handle = await caseWaitsForDecision(world.h.client, caseId);
  await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
  await expect
    .poll(() => sim.store.get(order.shopKey, order.id)!.refund!.status, { timeout: PATIENCE_MS })
    .toBe('returning');
  await expect
    .poll(async () => (await handle.query(afterSaleStateQuery)).waitingFor, { timeout: PATIENCE_MS })
    .toBe('the return parcel at the warehouse');
  expect(sim.calls['returnApproveRequest']).toBe(1);
  return handle;
}

/**
 * The warehouse scans the case id on the exchange's parcel back, counting `lineId` resaleable: the
 * case starts its replacement order; that order's id.
 */
export async function scannedBackForExchange(
  world: Pick<MarketWorld, 'api' | 'wh' | 'warehouse'>,
  handle: Awaited<ReturnType<typeof approvedOnShopify>>,
  caseId: string,
  lineId: string,
): Promise<string> {
  await receiveResaleable(world, caseId, [{ lineId, qty: 1 }]);
  await expect
    .poll(async () => (await handle.query(afterSaleStateQuery)).exchange?.orderId ?? null, {
      timeout: PATIENCE_MS,
    })
    .not.toBeNull();
  return (await handle.query(afterSaleStateQuery)).exchange!.orderId;
}

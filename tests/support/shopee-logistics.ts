import Fastify, { type FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { SimOrderStore } from '../../sandbox/kit/store.js';
import {
  ShopeeSimAuth,
  moveShopeeParcel,
  shopeeSimulator,
  type ShopeeChannel,
  type ShopeeParcelStep,
} from '../../sandbox/platforms/shopee/index.js';
import {
  shipmentState,
  startShipmentWorld,
  toPacked,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';
import { orderPush, uniqueId } from './fixtures.js';
import { handOver, setupCarrierAccounts } from './fulfilment.js';
import { submitOrder } from './intake.js';
import { paidSimOrder } from './sim-orders.js';
import { waitForState } from './waits.js';

const PARTNER = { partnerId: '2001887', partnerKey: 'sp-logistics-partner-key' };

export interface ShopeeLogisticsWorld {
  world: ShipmentWorld;
  store: SimOrderStore;
  /** Each order's channel, by order_sn (default: pickup or dropoff, the number 2 s after ship_order). */
  channels: Map<string, ShopeeChannel>;
  /** A Shopee shop connected to the simulator (signing with `partnerKey`), with carriers it could use. */
  shop(partnerKey?: string): Promise<{ id: string; key: string }>;
  /** A paid order on the simulated Shopee and as captured, one line of the stocked SKU. */
  order(
    shop: { id: string; key: string },
    channel?: ShopeeChannel,
  ): Promise<{ sim: ReturnType<typeof paidSimOrder>; orderId: string }>;
  close(): Promise<void>;
}

/**
 * The Shopee simulator on a port of its own and a shipment world (API, worker, carriers) whose
 * Shopee shops ship through Shopee's logistics; `settings` are the world's config.
 */
export async function startShopeeLogisticsWorld(
  settings: Record<string, string> = {},
): Promise<ShopeeLogisticsWorld> {
  const store = new SimOrderStore();
  const auth = new ShopeeSimAuth();
  const channels = new Map<string, ShopeeChannel>();
  const shopee: FastifyInstance = Fastify();
  await shopee.register(shopeeSimulator, {
    store,
    partner: PARTNER,
    auth,
    rateLimit: { limit: 1000, windowMs: 1000 },
    // Shopee issues the tracking number a moment after ship_order: the shipment asks again.
    channel: (o) => channels.get(o.id) ?? { methods: ['pickup', 'dropoff'], trackingDelaySeconds: 2 },
  });
  await shopee.listen({ port: 0, host: '127.0.0.1' });
  const shopeeUrl = `http://127.0.0.1:${(shopee.server.address() as { port: number }).port}`;
  const world = await startShipmentWorld(settings);
  let shops = 0;

  async function shop(partnerKey = PARTNER.partnerKey) {
    shops += 1;
    const key = String(810_000 + shops);
    const id = uniqueId('spl');
    const grant = auth.grant(key);
    const res = await world.api.inject({
      method: 'POST',
      url: '/shops',
      headers: world.ops,
      payload: {
        id,
        platform: 'shopee',
        name: 'Shopee SG',
        platformShopId: key,
        baseUrl: shopeeUrl,
        credentials: {
          appKey: PARTNER.partnerId,
          appSecret: partnerKey,
          accessToken: grant.accessToken,
          refreshToken: grant.refreshToken,
        },
        syncEnabled: false,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    await setupCarrierAccounts(world.h.db, id);
    return { id, key };
  }

  async function order(s: { id: string; key: string }, channel?: ShopeeChannel) {
    const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'b**r' } });
    const sim = paidSimOrder(
      {
        id: push.platformOrderId,
        shopKey: s.key,
        buyerNick: push.buyer.nick ?? 'b**r',
        receiver: push.receiver,
      },
      push.lines.map((l) => ({ code: l.skuCode, priceFen: l.unitPriceFen })),
      { line: (i) => push.lines[i]!.lineId, sku: (i) => push.lines[i]!.platformSkuId },
    );
    store.upsert(sim);
    if (channel) channels.set(sim.id, channel);
    const res = await submitOrder(world.api, { platform: 'shopee', shopId: s.id, order: push }, world.ops);
    expect(res.statusCode, res.body).toBe(202);
    return { sim, orderId: orderWorkflowId('shopee', s.id, push.platformOrderId) };
  }

  return {
    world,
    store,
    channels,
    shop,
    order,
    async close() {
      await world.close();
      await shopee.close();
    },
  };
}

/**
 * A Shopee order of a new shop, shipped through Shopee's logistics and handed over (its shipment
 * `shipped`), with `move` to move its parcel on Shopee as Shopee's carrier would.
 */
export async function handedOverShopeeParcel(sp: ShopeeLogisticsWorld) {
  const shop = await sp.shop();
  const { sim, orderId } = await sp.order(shop);
  const { parcelId } = await toPacked(sp.world, orderId);
  await waitForState(sp.world.h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
  await handOver(sp.world.api, sp.world.wh, parcelId);
  await expect.poll(async () => (await shipmentState(sp.world, parcelId)).stage).toBe('shipped');
  const move = (step: ShopeeParcelStep) => moveShopeeParcel(sp.store, shop.key, sim.id, step);
  /** The buyer asks Shopee to return it (or refund it): a shipped order then shows TO_RETURN. */
  const askReturn = () =>
    sp.store.update(shop.key, sim.id, (o) => {
      const at = new Date();
      o.refund = {
        id: `R${sim.id}`,
        status: 'requested',
        kind: 'return_and_refund',
        amountMinor: o.paidMinor,
        reason: 'damaged',
        createdAt: at,
        modifiedAt: at,
      };
    });
  const withdrawReturn = () => sp.store.update(shop.key, sim.id, (o) => void (o.refund!.status = 'closed'));
  return { shop, sim, orderId, parcelId, move, askReturn, withdrawReturn };
}

import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { shipmentStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import {
  packParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  waitForShipments,
  workWave,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import type { ServiceOverrides } from '../../worker/services.js';
import { createHarness, type Harness, type RunningWorker } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForState } from '../support/waits.js';

export interface FlowContext {
  h: Harness;
  api: FastifyInstance;
  /** Bearer headers of an ops and a warehouse key. */
  ops: { authorization: string };
  wh: { authorization: string };
}

export interface ShipmentWorld extends FlowContext {
  carriers: CarrierSandboxServer;
  /** The stocked warehouse's code (its wave is `wave:<code>`). */
  warehouse: string;
  /** The worker: a test may stop it (a busy worker) and start another in its place. */
  worker: RunningWorker;
  close(): Promise<void>;
}

/**
 * The carrier sandbox, a worker and the API over this file's database, with a stocked Hangzhou
 * warehouse; `port` makes the API listen there (for pushes from the simulated carriers).
 */
export async function startShipmentWorld(
  settings: Record<string, string>,
  options: { port?: number; services?: ServiceOverrides } = {},
): Promise<ShipmentWorld> {
  const carriers = await startCarrierSandbox();
  const h = await createHarness({ ...carriers.env, WAVE_WINDOW_SECONDS: '1', ...settings });
  const api = await h.api();
  if (options.port) await api.listen({ port: options.port, host: '127.0.0.1' });
  await seedCatalog(h.db);
  const warehouse = await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20 } });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  const worker = await h.startWorker(options.services ? { services: options.services } : {});
  return {
    h,
    api,
    ops,
    wh,
    carriers,
    warehouse,
    worker,
    async close() {
      await h.teardown();
      await carriers.close();
    },
  };
}

/** One order of a buyer of its own (so nothing merges), submitted the way a store pushes it. */
export async function submitOwnOrder(
  ctx: FlowContext,
  shopId: string,
  overrides: Partial<OrderPush> = {},
): Promise<string> {
  const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'b**r' }, ...overrides });
  const res = await submitOrder(ctx.api, { platform: 'taobao', shopId, order: push }, ctx.ops);
  expect(res.statusCode, res.body).toBe(202);
  return orderWorkflowId('taobao', shopId, push.platformOrderId);
}

/** Picks and packs the order's parcel (its waybill is the shipment's next step). */
export async function toPacked(ctx: FlowContext, orderId: string) {
  const state = await waitForState(ctx.h.client, orderId, (s) => s.parcels.length === 1);
  const parcelId = state.parcels[0]!.parcelId;
  await waitForShipments(ctx.h.db, [parcelId]);
  const { wave_id } = await ctx.h.db
    .selectFrom('shipments')
    .select('wave_id')
    .where('id', '=', parcelId)
    .executeTakeFirstOrThrow();
  await workWave(ctx.api, ctx.wh, wave_id);
  await packParcel(ctx.api, ctx.wh, parcelId);
  return { parcelId, waveId: wave_id };
}

/** Picks and packs the order's parcel and waits for its waybill. */
export async function toLabelled(ctx: FlowContext, orderId: string) {
  const { parcelId, waveId } = await toPacked(ctx, orderId);
  const labelled = await waitForState(ctx.h.client, orderId, (s) => s.parcels[0]?.trackingNumber != null);
  return {
    parcelId,
    waveId,
    trackingNumber: labelled.parcels[0]!.trackingNumber!,
    carrier: labelled.parcels[0]!.carrier!,
  };
}

/** An order of a new Taobao shop shipping by ZTO, its parcel picked, packed and labelled. */
export async function labelledOrderOfNewShop(ctx: FlowContext) {
  const shopId = await createShop(ctx.h.db, 'taobao');
  await setupCarrierAccounts(ctx.h.db, shopId, ['ZTO']);
  const orderId = await submitOwnOrder(ctx, shopId);
  return { shopId, orderId, ...(await toLabelled(ctx, orderId)) };
}

/** The shipment workflow's live state. */
export function shipmentState(ctx: FlowContext, parcelId: string) {
  return ctx.h.client.workflow.getHandle(`shipment:${parcelId}`).query(shipmentStateQuery);
}

/** How many times the shipment workflow asked a tracking service (polls, not pushes). */
export async function trackingPolls(ctx: FlowContext, parcelId: string): Promise<number> {
  const history = await ctx.h.client.workflow.getHandle(`shipment:${parcelId}`).fetchHistory();
  return (history.events ?? []).filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkTracking',
  ).length;
}

import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { lineRefundStatus } from '../../domain/line-refunds.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connect.js';
import type { Platform } from '../../domain/platforms.js';
import type { PlatformWriteResult } from '../../integrations/platforms/after-sales.js';
import type { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { seedDemoData } from '../../scripts/stack/demo-data.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import {
  afterSaleDecisionUpdate,
  afterSaleStateQuery,
  orderSnapshotQuery,
} from '../../workflows/messages.js';
import type { SandboxShop } from '../../sandbox/stack.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { clockDigits, uniqueId } from './fixtures.js';
import {
  formWaveNow,
  handOver,
  labelledParcel,
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
} from './fulfilment.js';
import { createHarness, type RunningWorker } from './harness.js';
import { vouched } from './vouched.js';
import { PATIENCE_MS, waitForOrderStatus, waitForStage, waitForState } from './waits.js';

/**
 * One marketplace's after-sales cases against its simulator (docs/after-sales.md, "Platforms"):
 * what differs per platform is only how its simulator is built, how its orders and pushes look,
 * and whether it takes a refusal before shipment. The simulator checks signatures with its own
 * code; the ERP talks to it through its real adapter, on the real dev server.
 */
export interface CaseSimulator {
  platform: Platform;
  store: SimOrderStore;
  /**
   * A new seller that authorized the app: its id on the platform (shop key of its orders,
   * `platformShopId` of the shop) and the shop's credentials. One per shop, so that one shop's
   * poll never sees another test's orders.
   */
  seller(): { shopKey: string; credentials: SandboxShop['credentials'] };
  /** Registers the simulator on its server (before it listens). */
  register(app: FastifyInstance): PromiseLike<unknown>;
  /** A paid order of one unit per SKU in the seller's shop, as the platform holds it. */
  paidOrder(shopKey: string, skus: Array<{ code: string; priceFen: number }>): SimOrder;
  /** The ERP's line id of the order's `index`-th item. */
  lineId(order: SimOrder, index: number): string;
  /** Whether a request is the platform's agree call (to lose its answer once). */
  isAgree(request: FastifyRequest): boolean;
  /** The agree call, sent signed with a wrong secret: the simulator's answer. */
  forgedAgree(url: string, order: SimOrder): Promise<{ status: number; body: string }>;
  /** The platform pushes "this case changed" to the ERP; absent where it has no push. */
  push?(world: MarketWorld, shopId: string, order: SimOrder): Promise<void>;
  /** What the platform answers a refusal before shipment. */
  refuseBeforeShipment: PlatformWriteResult['outcome'];
  /**
   * The platform's parcel interception call (after handover), to lose its answer once; absent
   * where the platform offers none (a person asks the carrier).
   */
  isIntercept?(request: FastifyRequest): boolean;
  /** Whether the case names the refunded line (per-line scope) or the whole order. */
  perLine: boolean;
  /**
   * Whether the platform's case carries the seller's response deadline (PDD `expire_time`): then
   * the case escalates to a person before it lapses. Absent: the facts give none (JD, Douyin).
   */
  sellerDeadlines?: boolean;
  /**
   * Whether the platform's order itself reports an open refund for the whole order only: then every
   * line of the order waits while the case is open, whatever lines the case names. (PDD and Douyin
   * no longer do: their adapters read the refund per line.)
   */
  wholeOrderWaits: boolean;
}

/** A parameter of a form-encoded platform request (JOS, the PDD gateway), as the simulator got it. */
export function formParam(request: FastifyRequest, key: string): string | null {
  return typeof request.body === 'string' ? new URLSearchParams(request.body).get(key) : null;
}

export interface MarketWorld {
  h: Awaited<ReturnType<typeof createHarness>>;
  api: FastifyInstance;
  /** The worker: a test may stop it (a busy worker) and start another in its place. */
  worker: RunningWorker;
  sim: CaseSimulator;
  /** The simulated carriers (their parcel network: a buyer's parcel back moves there). */
  carriers: Awaited<ReturnType<typeof startCarrierSandbox>>;
  url: string;
  warehouse: string;
  ops: { authorization: string };
  wh: { authorization: string };
  /** Calls of the agree API that reached the simulator. */
  agreeCalls: number;
  /** The next agree call's answer is lost on the way back (after the platform took it). */
  loseNextAgreeAnswer: boolean;
  /** Calls of the intercept API that reached the simulator. */
  interceptCalls: number;
  /** The next intercept call's answer is lost on the way back. */
  loseNextInterceptAnswer: boolean;
  /** A new shop of a new seller; `poll` turns its sync on (every 2 s); `settings` are the shop's. */
  connectedShop(
    poll: boolean,
    settings?: Record<string, unknown>,
  ): Promise<{ shopId: string; shopKey: string }>;
  /** The case as our table holds it. */
  caseRow(caseId: string): Promise<CaseRow | undefined>;
  /** The stages the case went through, in order. */
  stages(caseId: string): Promise<string[]>;
  /** Units of `sku` on hand in the world's warehouse. */
  onHand(sku: string): Promise<number>;
  /** The buyer's refund as the platform holds it. */
  refundOf(order: SimOrder): SimRefund;
  /**
   * The buyer asks the platform for a refund or a return (a newer modified time than the order's);
   * the refund as the platform now holds it. The id is 9–12 digits unless given.
   */
  buyerAsks(
    order: SimOrder,
    ask: Pick<SimRefund, 'kind' | 'amountMinor' | 'reason'> & Partial<SimRefund>,
  ): SimRefund;
  /** The platform changes the buyer's refund (a newer modified time). */
  onPlatform(order: SimOrder, change: (refund: SimRefund) => void): void;
  close(): Promise<void>;
}

type CaseRow = NonNullable<Awaited<ReturnType<typeof selectCase>>>;
const selectCase = (db: Db, caseId: string) =>
  db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();

/** A time after `at` and not before now, for a change the platform makes. */
const after = (at: Date) => new Date(Math.max(Date.now(), at.getTime() + 1000));

export async function startMarketWorld(
  sim: CaseSimulator,
  stock: Record<string, number>,
  settings: Record<string, string> = {},
): Promise<MarketWorld> {
  const server = Fastify();
  await sim.register(server);
  const world = {
    agreeCalls: 0,
    loseNextAgreeAnswer: false,
    interceptCalls: 0,
    loseNextInterceptAnswer: false,
  } as MarketWorld;
  const isIntercept = (request: FastifyRequest) => sim.isIntercept?.(request) ?? false;
  server.addHook('preHandler', async (request) => {
    if (sim.isAgree(request)) world.agreeCalls += 1;
    if (isIntercept(request)) world.interceptCalls += 1;
  });
  server.addHook('onSend', async (request, reply, payload) => {
    if (world.loseNextAgreeAnswer && sim.isAgree(request)) world.loseNextAgreeAnswer = false;
    else if (world.loseNextInterceptAnswer && isIntercept(request)) world.loseNextInterceptAnswer = false;
    else return payload;
    reply.code(502).type('text/plain');
    return 'bad gateway (the answer was lost)';
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  const carriers = await startCarrierSandbox();
  const h = await createHarness({
    ...carriers.env,
    SYNC_OVERLAP_SECONDS: '5',
    SYNC_SAFETY_LAG_SECONDS: '0',
    ...settings,
  });
  const api = await h.api();
  await seedDemoData(h.db);
  const warehouse = await setupWarehouse(h.db, { stock });
  const ops = bearer(await apiKeyFor(h.db, ['ops']));
  const wh = bearer(await apiKeyFor(h.db, ['warehouse']));
  const worker = await h.startWorker();
  return Object.assign(world, {
    h,
    api,
    worker,
    sim,
    carriers,
    url,
    warehouse,
    ops,
    wh,
    async connectedShop(poll: boolean, settings: Record<string, unknown> = {}) {
      const id = uniqueId(sim.platform);
      const seller = sim.seller();
      await registerShop(
        api,
        ops,
        {
          id,
          platform: sim.platform,
          name: `${sim.platform} 售后测试店`,
          platformShopId: seller.shopKey,
          baseUrl: url,
          credentials: seller.credentials,
        },
        { syncEnabled: poll, ...(poll ? { pollIntervalSeconds: 2 } : {}), settings },
      );
      await setupCarrierAccounts(h.db, id);
      return { shopId: id, shopKey: seller.shopKey };
    },
    caseRow: (caseId: string) => selectCase(h.db, caseId),
    async stages(caseId: string) {
      const events = await h.db
        .selectFrom('after_sale_events')
        .select('stage')
        .where('case_id', '=', caseId)
        .orderBy('id')
        .execute();
      return events.map((e) => e.stage);
    },
    async onHand(sku: string) {
      const row = await h.db
        .selectFrom('stock')
        .select('on_hand')
        .where('warehouse_code', '=', warehouse)
        .where('sku_code', '=', sku)
        .executeTakeFirstOrThrow();
      return row.on_hand;
    },
    refundOf: (order: SimOrder) => sim.store.get(order.shopKey, order.id)!.refund!,
    buyerAsks(order: SimOrder, ask: Pick<SimRefund, 'kind' | 'amountMinor' | 'reason'> & Partial<SimRefund>) {
      const at = after(sim.store.get(order.shopKey, order.id)?.modifiedAt ?? order.modifiedAt);
      const refund: SimRefund = {
        id: `${clockDigits(9)}${Math.floor(Math.random() * 1000)}`,
        status: 'requested',
        createdAt: at,
        modifiedAt: at,
        ...ask,
      };
      sim.store.update(order.shopKey, order.id, (o) => (o.refund = refund), at);
      return refund;
    },
    onPlatform: (order: SimOrder, change: (refund: SimRefund) => void) =>
      changeRefundOnPlatform(sim.store, order, change),
    async close() {
      await h.teardown();
      await carriers.close();
      await server.close();
    },
  });
}

/**
 * A paid two-line order (SKU A ¥99, SKU B ¥168) on a new polled shop with `settings`, worked through
 * our warehouse and handed over, the platform told it shipped: where a return after shipment begins.
 */
export async function shippedMarketOrder(world: MarketWorld, settings: Record<string, unknown> = {}) {
  const shop = await world.connectedShop(true, settings);
  const order = world.sim.paidOrder(shop.shopKey, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  world.sim.store.upsert(order);
  const orderId = orderWorkflowId(world.sim.platform, shop.shopId, order.id);
  await waitForStage(world.h.db, orderId, 'allocated', 3 * MINUTES);
  await shipFromWarehouse(world, order, orderId);
  return { shop, order, orderId };
}

/**
 * The warehouse works an allocated order's one parcel and hands it over; waits until the platform
 * shows it shipped. Its wave is formed at once (立即生成波次, POST /wms/waves/flush): the market world
 * keeps the production wave window (WAVE_WINDOW_SECONDS, 120 s) so that cases before shipment find
 * their orders not yet waved, and waiting the window out was most of each return test's time.
 */
export async function shipFromWarehouse(world: MarketWorld, order: SimOrder, orderId: string) {
  await formWaveNow(world.h.client, world.api, world.wh, world.warehouse, orderId);
  const { parcelId } = await labelledParcel(world.h, world.api, world.wh, orderId, PATIENCE_MS);
  await handOver(world.api, world.wh, parcelId);
  await expect
    .poll(() => world.sim.store.get(order.shopKey, order.id)?.shipment, { timeout: PATIENCE_MS })
    .toBeDefined();
}

/** The platform changes the buyer's refund on `order` (with a newer modified time than it had). */
export function changeRefundOnPlatform(
  store: SimOrderStore,
  order: SimOrder,
  change: (refund: SimRefund) => void,
): void {
  const was = store.get(order.shopKey, order.id)!.refund!;
  const at = new Date(Math.max(Date.now(), was.modifiedAt.getTime() + 1000));
  store.update(
    order.shopKey,
    order.id,
    (o) => {
      change(o.refund!);
      o.refund!.modifiedAt = at;
    },
    at,
  );
}

/** Units of `sku` reserved in the warehouse. */
export async function reservedStock(db: Db, warehouse: string, sku: string): Promise<number> {
  const row = await db
    .selectFrom('stock')
    .select('reserved')
    .where('warehouse_code', '=', warehouse)
    .where('sku_code', '=', sku)
    .executeTakeFirstOrThrow();
  return row.reserved;
}

/** The shop's open alert that a case's seller deadline is near (`after_sale_deadline`). */
export function openDeadlineAlert(db: Db, shopId: string) {
  return db
    .selectFrom('alerts')
    .select('message')
    .where('shop_id', '=', shopId)
    .where('kind', '=', 'after_sale_deadline')
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
}

/** What the case's workflow waits for now (its `waiting.code`); undefined while it does not answer. */
export async function caseWaitingCode(client: Client, caseId: string): Promise<string | undefined> {
  const view = await client.workflow
    .getHandle(caseId)
    .query(afterSaleStateQuery)
    .catch(() => null);
  return view?.waiting?.code;
}

/** Waits until the case's workflow waits for a person's decision; its handle. */
export async function caseWaitsForDecision(client: Client, caseId: string) {
  const handle = client.workflow.getHandle(caseId);
  await expect
    .poll(async () => (await handle.query(afterSaleStateQuery).catch(() => null))?.waitingFor, {
      timeout: PATIENCE_MS,
    })
    .toBe('a decision');
  return handle;
}

type CaseDecision = { decision: 'agree' } | { decision: 'refuse'; reason: string };

/** Customer service decides the case (the decision Update, with a vouched actor). */
export function decideAsCustomerService(
  h: Pick<MarketWorld['h'], 'client' | 'config'>,
  caseId: string,
  decision: CaseDecision,
) {
  return h.client.workflow.getHandle(caseId).executeUpdate(afterSaleDecisionUpdate, {
    args: [
      {
        ...decision,
        actor: vouched(h.config, customerService, { workflowId: caseId, update: afterSaleDecisionUpdate }),
      },
    ],
  });
}

const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
const MINUTES = 60_000;
const customerService = { id: 'cs-xiaoli', roles: ['customer-service' as const] };

/**
 * The cases every marketplace must pass: captured by the poll (and by its push where it pushes),
 * one workflow per case, only the named line held, agreed once on the platform even when the
 * platform's answer is lost and the call retried, a refusal that resumes the order, and a forged
 * signature refused by the simulator.
 */
export function describePlatformCases(name: string, sim: CaseSimulator): void {
  let world: MarketWorld;
  beforeAll(async () => {
    world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
  });
  afterAll(() => world?.close());

  const reserved = (sku: string) => reservedStock(world.h.db, world.warehouse, sku);
  const caseRow = (caseId: string) => world.caseRow(caseId);
  const lineRefund = async (orderId: string, lineId: string) => {
    // As the order workflow reads it: the line's own state, or the order's where the platform
    // reports refunds per order (JD).
    const snapshot = await world.h.client.workflow.getHandle(orderId).query(orderSnapshotQuery);
    const line = snapshot.lines.find((l) => l.lineId === lineId);
    return line ? lineRefundStatus(snapshot, line) : 'none';
  };
  const decide = (caseId: string, decision: CaseDecision) =>
    decideAsCustomerService(world.h, caseId, decision);

  /** A paid two-line order (SKU A ¥99, SKU B ¥168) on the platform, captured and allocated. */
  async function allocatedOrder({ shopId, shopKey }: { shopId: string; shopKey: string }, poll: boolean) {
    const order = world.sim.paidOrder(shopKey, [
      { code: SKU_A, priceFen: 9_900 },
      { code: SKU_B, priceFen: 16_800 },
    ]);
    world.sim.store.upsert(order);
    if (!poll) {
      await requestOrderFetch(
        world.h.client,
        world.h.config.TASK_QUEUE_ORDERS,
        { id: shopId, platform: world.sim.platform },
        [{ platformOrderId: order.id }],
      );
    }
    const orderId = orderWorkflowId(world.sim.platform, shopId, order.id);
    await waitForStage(world.h.db, orderId, 'allocated', 3 * MINUTES);
    return { order, orderId };
  }

  /** The buyer asks for a refund of line 2 (of the whole order where the platform has no lines). */
  function buyerAsksRefund(
    shopId: string,
    order: SimOrder,
    sellerDeadline = new Date(Date.now() + 48 * 3600_000),
  ) {
    const at = new Date(Math.max(Date.now(), order.modifiedAt.getTime() + 1000));
    const refund: SimRefund = {
      id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
      status: 'requested',
      kind: 'refund_only',
      amountMinor: world.sim.perLine ? 16_800 : order.paidMinor,
      reason: '拍错了',
      createdAt: at,
      modifiedAt: at,
      ...(world.sim.perLine ? { lineIds: [order.items[1]!.lineId] } : {}),
      sellerDeadline,
    };
    world.sim.store.update(order.shopKey, order.id, (o) => (o.refund = refund), at);
    return { refund, caseId: afterSaleWorkflowId(world.sim.platform, shopId, refund.id) };
  }

  /** A new shop's order, allocated, on which the buyer then asks a refund (stock counted before). */
  async function caseAsked(poll: boolean, sellerDeadline?: Date) {
    const shop = await world.connectedShop(poll);
    const { order, orderId } = await allocatedOrder(shop, poll);
    const [reservedA, reservedB] = [await reserved(SKU_A), await reserved(SKU_B)];
    return {
      shopId: shop.shopId,
      order,
      orderId,
      reservedA,
      reservedB,
      ...buyerAsksRefund(shop.shopId, order, sellerDeadline),
    };
  }

  const waitForDecision = (caseId: string) => caseWaitsForDecision(world.h.client, caseId);

  describe(`${name} refund-only cases before shipment`, () => {
    it('captures the case by the poll, holds its lines, and agrees it once although the answer was lost', async () => {
      const { order, orderId, refund, caseId, reservedA, reservedB } = await caseAsked(true);
      const handle = await waitForDecision(caseId);
      expect(await caseRow(caseId)).toMatchObject({
        platform: world.sim.platform,
        order_id: orderId,
        kind: 'refund_only',
        requested_fen: refund.amountMinor,
      });
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);
      const line2 = world.sim.lineId(order, 1);
      const line1 = world.sim.lineId(order, 0);
      const otherLineWaits = !world.sim.perLine || world.sim.wholeOrderWaits;
      await expect
        .poll(() => reserved(SKU_A), { timeout: PATIENCE_MS })
        .toBe(otherLineWaits ? reservedA - 1 : reservedA);

      // The platform takes the agreement, but its answer never comes back: the retry reads the
      // case first, finds it agreed, and sends nothing again.
      world.loseNextAgreeAnswer = true;
      const callsBefore = world.agreeCalls;
      await decide(caseId, { decision: 'agree' });
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('refunded');
      expect(world.loseNextAgreeAnswer).toBe(false);
      expect(world.agreeCalls - callsBefore).toBe(1);
      const onPlatform = world.sim.store.get(order.shopKey, order.id)!.refund!;
      expect(onPlatform).toMatchObject({ status: 'refunded', amountMinor: refund.amountMinor });
      expect(onPlatform.sellerAnswer).toMatchObject({ action: 'agree' });
      const view = await handle.query(afterSaleStateQuery);
      expect(view).toMatchObject({
        status: 'refunded',
        refundedFen: refund.amountMinor,
        outcome: 'refunded',
      });
      expect(view.platform?.lastAnswer).toMatchObject({ action: 'agree', outcome: 'already' });

      await expect.poll(() => lineRefund(orderId, line2), { timeout: PATIENCE_MS }).toBe('refunded');
      if (!world.sim.wholeOrderWaits) {
        expect(await lineRefund(orderId, line1)).toBe(world.sim.perLine ? 'none' : 'refunded');
      }
      // One workflow for the case, however often it was named.
      expect((await world.h.client.workflow.count(`WorkflowId = '${caseId}'`)).count).toBe(1);

      if (world.sim.perLine && !world.sim.wholeOrderWaits) {
        // The platform's next word on the order (refunded on line 2) still leaves line 1 to ship:
        // it goes out alone, the refunded line never does. Its wave is asked for now: the window
        // is the production one, so no wave forms while the cases count reserved units.
        await formWaveNow(world.h.client, world.api, world.wh, world.warehouse, orderId);
        await waitForState(
          world.h.client,
          orderId,
          (s) => s.parcels.length === 1 && s.parcels[0]!.lineIds?.join() === line1,
          PATIENCE_MS,
        );
        const { parcelId } = await labelledParcel(world.h, world.api, world.wh, orderId, PATIENCE_MS);
        await handOver(world.api, world.wh, parcelId);
        await waitForOrderStatus(world.h.db, orderId, 'shipped', PATIENCE_MS);
        expect(await reserved(SKU_B)).toBe(reservedB - 1);
        expect(await lineRefund(orderId, line2)).toBe('refunded');
        // The platform hears of it from the shipment's upload, after the order's own status.
        await expect
          .poll(() => world.sim.store.get(order.shopKey, order.id)?.shipment, { timeout: PATIENCE_MS })
          .toBeDefined();
      }
    });

    it('a refused case resumes the order: the lines are reserved again and no money moves', async () => {
      const { order, orderId, caseId, reservedB } = await caseAsked(true);
      const handle = await waitForDecision(caseId);
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);

      await decide(caseId, { decision: 'refuse', reason: '商品已打包待发' });
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('refused');
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB);
      const view = await handle.query(afterSaleStateQuery);
      const outcome = world.sim.refuseBeforeShipment;
      expect(view.platform?.lastAnswer).toMatchObject({ action: 'refuse', outcome });
      const onPlatform = world.sim.store.get(order.shopKey, order.id)!.refund!;
      if (outcome === 'done') {
        expect(onPlatform).toMatchObject({ status: 'refused', sellerAnswer: { action: 'refuse' } });
      } else {
        // The platform takes no refusal before shipment: nothing was sent, shipping answers it.
        expect(onPlatform.status).toBe('requested');
        expect(onPlatform.sellerAnswer).toBeUndefined();
      }
      await expect
        .poll(() => lineRefund(orderId, world.sim.lineId(order, 1)), { timeout: PATIENCE_MS })
        .toBe('refused');
      expect((await caseRow(caseId))?.outcome).toBe('refused');
    });

    if (sim.perLine && !sim.wholeOrderWaits) {
      it('the buyer withdraws the request on the platform: the case closes and its line is reserved again', async () => {
        const { order, orderId, caseId, reservedA, reservedB } = await caseAsked(true);
        await waitForDecision(caseId);
        await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);
        expect(await reserved(SKU_A)).toBe(reservedA);

        const at = new Date(Date.now() + 1000);
        world.sim.store.update(
          order.shopKey,
          order.id,
          (o) => (o.refund = { ...o.refund!, status: 'closed', modifiedAt: at }),
          at,
        );
        await expect
          .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
          .toBe('closed');
        await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB);
        expect(await reserved(SKU_A)).toBe(reservedA);
        await expect
          .poll(() => lineRefund(orderId, world.sim.lineId(order, 1)), { timeout: PATIENCE_MS })
          .toBe('closed');
        // Line 1 ships either way (PDD's order says 售后关闭 for the order: `closed` on every line).
        expect(['none', 'closed']).toContain(await lineRefund(orderId, world.sim.lineId(order, 0)));
      });
    }

    if (sim.sellerDeadlines) {
      it('escalates to a person before the seller’s deadline lapses, and the case still takes a decision', async () => {
        // The seller's window ends a few seconds after the escalation point (AFTER_SALE_ESCALATE_BEFORE_SECONDS).
        const before = world.h.config.AFTER_SALE_ESCALATE_BEFORE_SECONDS;
        const { shopId, refund, caseId } = await caseAsked(
          true,
          new Date(Date.now() + before * 1000 + 8_000),
        );
        const handle = await waitForDecision(caseId);
        await expect
          .poll(async () => (await caseRow(caseId))?.escalated_at, { timeout: PATIENCE_MS })
          .toBeInstanceOf(Date);
        expect((await openDeadlineAlert(world.h.db, shopId))?.message).toContain(refund.id);
        const view = await handle.query(afterSaleStateQuery);
        expect(view.waitingFor).toBe('a decision');
        expect(view.platform?.escalatedAt).not.toBeNull();
        expect(view.platform?.sellerDeadline).not.toBeNull();
        // The case's timeline entry follows the escalation's own write, a workflow task later.
        await expect.poll(() => world.stages(caseId), { timeout: PATIENCE_MS }).toContain('escalated');
        const reviews = await world.api.inject({
          method: 'GET',
          url: `/after-sales/reviews?shopId=${shopId}`,
          headers: world.ops,
        });
        expect(reviews.statusCode, reviews.body).toBe(200);
        expect((reviews.json() as { cases: Array<{ id: string }> }).cases[0]?.id).toBe(caseId);
        // A person decides after all: the agreement reaches the platform as before.
        await decide(caseId, { decision: 'agree' });
        await expect
          .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
          .toBe('refunded');
      });
    }

    it('the simulator refuses an agreement signed with another secret, and the case stays as it was', async () => {
      const order = world.sim.paidOrder(world.sim.seller().shopKey, [{ code: SKU_A, priceFen: 9_900 }]);
      world.sim.store.upsert(order);
      const at = new Date();
      world.sim.store.update(order.shopKey, order.id, (o) => {
        o.refund = {
          id: `${Date.now()}7`,
          status: 'requested',
          kind: 'refund_only',
          amountMinor: 9_900,
          reason: '不想要了',
          createdAt: at,
          modifiedAt: at,
        };
      });
      const answer = await world.sim.forgedAgree(world.url, order);
      expect(answer.body).toMatch(/sign|签名/i);
      const onPlatform = world.sim.store.get(order.shopKey, order.id)!.refund!;
      expect(onPlatform.status).toBe('requested');
      expect(onPlatform.sellerAnswer).toBeUndefined();
    });
  });

  describe(`${name} refund on a line already with the carrier (the shop intercepts)`, () => {
    it(
      sim.isIntercept
        ? 'asks the platform to intercept the parcel, once although the answer was lost, and waits for a decision'
        : 'the platform offers no interception: the case waits for a person to ask the carrier',
      async () => {
        const shop = await world.connectedShop(true, { afterHandover: 'intercept' });
        const { order, orderId } = await allocatedOrder(shop, true);
        await formWaveNow(world.h.client, world.api, world.wh, world.warehouse, orderId);
        const { parcelId } = await labelledParcel(world.h, world.api, world.wh, orderId, PATIENCE_MS);
        await handOver(world.api, world.wh, parcelId);
        // The ERP told the platform the goods left.
        await expect
          .poll(() => world.sim.store.get(order.shopKey, order.id)?.shipment, { timeout: PATIENCE_MS })
          .toBeDefined();
        world.loseNextInterceptAnswer = sim.isIntercept !== undefined;
        const { caseId } = buyerAsksRefund(shop.shopId, world.sim.store.get(order.shopKey, order.id)!);

        const interceptNotes = () =>
          world.h.db
            .selectFrom('order_events')
            .select(['actor', 'detail'])
            .where('order_id', '=', orderId)
            .where('stage', '=', 'after_sale_intercept')
            .execute();
        await expect.poll(async () => (await interceptNotes()).length, { timeout: PATIENCE_MS }).toBe(1);
        const [note] = await interceptNotes();
        expect(note!.actor).toBe(caseId);
        const steps = async () =>
          (
            await world.h.db
              .selectFrom('after_sale_events')
              .select('stage')
              .where('case_id', '=', caseId)
              .execute()
          ).map((e) => e.stage);
        const onPlatform = () => world.sim.store.get(order.shopKey, order.id)!.refund!;
        if (sim.isIntercept) {
          const handle = await caseWaitsForDecision(world.h.client, caseId);
          expect(note!.detail).toMatchObject({ outcome: 'done', caseId });
          expect(await steps()).toContain('intercept_done');
          expect((await handle.query(afterSaleStateQuery)).intercept).toMatchObject({ outcome: 'done' });
          // The answer was lost once: the platform was asked twice and holds one interception.
          expect(world.loseNextInterceptAnswer).toBe(false);
          expect(world.interceptCalls).toBeGreaterThanOrEqual(2);
          expect(onPlatform().intercept).toBeDefined();
          await decide(caseId, { decision: 'agree' });
          await expect
            .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
            .toBe('refunded');
          expect(await interceptNotes()).toHaveLength(1);
        } else {
          await expect
            .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
            .toBe('needs_person');
          expect((await caseRow(caseId))?.waiting_for).toMatch(/intercept/);
          expect(note!.detail).toMatchObject({ outcome: 'not_offered' });
          expect(await steps()).toContain('intercept_not_offered');
          expect(onPlatform().intercept).toBeUndefined();
        }
      },
    );
  });

  if (sim.push) {
    describe(`${name} cases named by the platform's push`, () => {
      it('captures the case once from repeated pushes and holds its line', async () => {
        const { shopId, order, orderId, refund, caseId, reservedB } = await caseAsked(false);
        // The platform pushes the same news twice.
        await world.sim.push!(world, shopId, order);
        await world.sim.push!(world, shopId, order);
        await waitForDecision(caseId);
        await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);
        expect(await caseRow(caseId)).toMatchObject({
          order_id: orderId,
          requested_fen: refund.amountMinor,
          status: 'open',
        });
        await expect
          .poll(() => lineRefund(orderId, world.sim.lineId(order, 1)), { timeout: PATIENCE_MS })
          .toBe('requested');
        expect(await lineRefund(orderId, world.sim.lineId(order, 0))).toBe(
          world.sim.wholeOrderWaits ? 'requested' : 'none',
        );
        // One workflow for the case, however often it was named.
        expect((await world.h.client.workflow.count(`WorkflowId = '${caseId}'`)).count).toBe(1);
      });
    });
  }
}

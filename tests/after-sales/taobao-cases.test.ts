import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { tmcMessageToEvents } from '../../integrations/platforms/taobao/webhook.js';
import { fetchRequestsOf } from '../../activities/capture/channels/dispatch.js';
import { createPlatformAfterSaleActivities } from '../../activities/after-sale/platform.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { requestOrderFetch } from '../../services/capture/sync-control.js';
import {
  afterSaleDecisionUpdate,
  afterSaleStateQuery,
  orderSnapshotQuery,
} from '../../workflows/messages.js';
import { recordHistory } from '../support/histories.js';
import { caseWaitsForDecision, decideAsCustomerService, reservedStock } from '../support/market-cases.js';
import { vouched } from '../support/vouched.js';
import { onPlatform, paidTrade, startTopWorld, type TopWorld } from '../support/top.js';
import { formWaveNow, handOver, labelledParcel } from '../support/fulfilment.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// Taobao refund-only cases before shipment, on the real dev server and the simulated TOP gateway:
// the TMC refund message carries no status, so the case is read with taobao.refund.get and
// signal-with-started as aftersale:taobao:{shop}:{refund_id}; it stops only the line it names; a
// person's agreement goes to taobao.rp.refunds.agree (signed, with the refund's version) and the
// platform refunds; a refusal resumes the order (TOP takes no refusal before shipment: shipping is
// the answer); and the seller's response window escalates to a person before it lapses.

const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
const MINUTES = 5 * 60_000;
const ESCALATE_BEFORE_SECONDS = 3600;
const customerService = { id: 'cs-xiaoli', roles: ['customer-service' as const] };

let world: TopWorld;

beforeAll(async () => {
  world = await startTopWorld(
    'tb-as-cases',
    { [SKU_A]: 20, [SKU_B]: 20 },
    // The production wave window: an order rests allocated while its case is decided (the counts of
    // reserved units stay still), and the one test that ships asks for its wave.
    { AFTER_SALE_ESCALATE_BEFORE_SECONDS: String(ESCALATE_BEFORE_SECONDS) },
  );
});
afterAll(() => world?.close());

const reserved = (sku: string) => reservedStock(world.h.db, world.warehouse, sku);

/** A paid two-line trade (line 1 SKU A ¥99, line 2 SKU B ¥168), captured and allocated. */
async function allocatedTrade(shopId: string) {
  const tid = `38${Date.now()}`;
  const trade = paidTrade(world.top, tid, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  world.top.store.upsert(trade);
  await requestOrderFetch(
    world.h.client,
    world.h.config.TASK_QUEUE_ORDERS,
    { id: shopId, platform: 'taobao' },
    [{ platformOrderId: tid }],
  );
  const orderId = orderWorkflowId('taobao', shopId, tid);
  await waitForStage(world.h.db, orderId, 'allocated', MINUTES);
  return { tid, trade, orderId };
}

/**
 * The buyer asks for a refund of line 2 on the platform, and TMC says so the way TOP does: a
 * `taobao_refund_RefundCreated` message with ids and no status, parsed by the adapter's own code.
 */
async function buyerAsksRefund(shopId: string, trade: SimOrder, extra: Partial<SimRefund> = {}) {
  const at = new Date(Math.max(Date.now(), trade.modifiedAt.getTime() + 1000));
  const refund: SimRefund = {
    id: `71${Date.now()}`,
    status: 'requested',
    kind: 'refund_only',
    amountMinor: 16_800,
    reason: '拍错了',
    createdAt: at,
    modifiedAt: at,
    lineIds: [`${trade.id}2`],
    sellerDeadline: new Date(Date.now() + 48 * 3600_000),
    ...extra,
  };
  world.top.store.update(trade.shopKey, trade.id, (o) => (o.refund = refund), at);
  await tmcSays(shopId, trade, refund, 'taobao_refund_RefundCreated');
  return { refund, caseId: afterSaleWorkflowId('taobao', shopId, refund.id) };
}

async function tmcSays(shopId: string, trade: SimOrder, refund: SimRefund, topic: string) {
  const events = tmcMessageToEvents({
    topic,
    content: JSON.stringify({
      refund_id: refund.id,
      tid: trade.id,
      oid: refund.lineIds?.[0] ?? trade.id,
      refund_fee: (refund.amountMinor / 100).toFixed(2),
      refund_phase: 'onsale',
      bill_type: 'refund_bill',
    }),
  });
  await requestOrderFetch(
    world.h.client,
    world.h.config.TASK_QUEUE_ORDERS,
    { id: shopId, platform: 'taobao' },
    fetchRequestsOf(events),
  );
}

/** A line's refund state on the order, as the order workflow holds it. */
async function lineRefund(orderId: string, lineId: string) {
  const snapshot = await world.h.client.workflow.getHandle(orderId).query(orderSnapshotQuery);
  return snapshot.lines.find((l) => l.lineId === lineId)?.refundStatus ?? 'none';
}

const caseRow = (caseId: string) =>
  world.h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', caseId).executeTakeFirst();

const waitForDecision = (caseId: string) => caseWaitsForDecision(world.h.client, caseId);

describe('Taobao refund-only cases before shipment', () => {
  it(
    'captures the case from the TMC message, stops only its line, and agrees it on TOP',
    async () => {
      const shopId = await world.connectedShop();
      const { trade, orderId } = await allocatedTrade(shopId);
      const [reservedA, reservedB] = [await reserved(SKU_A), await reserved(SKU_B)];
      const { refund, caseId } = await buyerAsksRefund(shopId, trade);
      // The same message again (TMC redelivers): still one case.
      await tmcSays(shopId, trade, refund, 'taobao_refund_RefundCreated');

      const handle = await waitForDecision(caseId);
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);
      expect(await reserved(SKU_A)).toBe(reservedA);
      const opened = await caseRow(caseId);
      expect(opened).toMatchObject({
        platform: 'taobao',
        order_id: orderId,
        kind: 'refund_only',
        requested_fen: 16_800,
        platform_status: 'WAIT_SELLER_AGREE',
      });
      expect(opened?.seller_deadline?.toISOString()).toBe(
        new Date(Math.floor(refund.sellerDeadline!.getTime() / 1000) * 1000).toISOString(),
      );

      await handle.executeUpdate(afterSaleDecisionUpdate, {
        args: [
          {
            decision: 'agree',
            actor: vouched(world.h.config, customerService, {
              workflowId: caseId,
              update: afterSaleDecisionUpdate,
            }),
          },
        ],
      });
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('refunded');

      // The platform took the agreement (signed, with the refund's version) and refunded the buyer.
      const onTop = world.top.store.get(trade.shopKey, trade.id)!.refund!;
      expect(onTop).toMatchObject({ status: 'refunded', amountMinor: 16_800 });
      expect(onTop.sellerAnswer).toMatchObject({ action: 'agree', amountMinor: 16_800 });
      const view = await handle.query(afterSaleStateQuery);
      expect(view).toMatchObject({ status: 'refunded', refundedFen: 16_800, outcome: 'refunded' });
      expect(view.platform?.lastAnswer).toMatchObject({ action: 'agree', outcome: 'done', code: 'OP_SUCC' });
      const steps = await world.h.db
        .selectFrom('after_sale_events')
        .select(['step', 'actor', 'detail'])
        .where('case_id', '=', caseId)
        .orderBy('id')
        .execute();
      expect(steps.map((s) => s.step)).toEqual([
        'open',
        'lines-held',
        'decided',
        'platform-agree',
        'refunded',
      ]);
      expect(steps.find((s) => s.step === 'decided')?.actor).toBe('cs-xiaoli');

      // On the order: line 2 refunded, line 1 still reserved and on its way.
      await expect.poll(() => lineRefund(orderId, `${trade.id}2`), { timeout: PATIENCE_MS }).toBe('refunded');
      expect(await lineRefund(orderId, `${trade.id}1`)).toBe('none');
      expect(await reserved(SKU_A)).toBe(reservedA);
      // One workflow for the case, however often it was named.
      const runs = world.h.client.workflow.list({ query: `WorkflowId = '${caseId}'` });
      let count = 0;
      for await (const _ of runs) count++;
      expect(count).toBe(1);
      await recordHistory(world.h.client, caseId, 'aftersale-taobao-refund-agreed');
    },
    4 * MINUTES,
  );

  it(
    'a refused case resumes the order: the line is reserved again and no money moves',
    async () => {
      const shopId = await world.connectedShop();
      const { trade, orderId } = await allocatedTrade(shopId);
      const reservedB = await reserved(SKU_B);
      const { caseId } = await buyerAsksRefund(shopId, trade);
      const handle = await waitForDecision(caseId);
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB - 1);

      await handle.executeUpdate(afterSaleDecisionUpdate, {
        args: [
          {
            decision: 'refuse',
            reason: '商品已打包待发',
            actor: vouched(world.h.config, customerService, {
              workflowId: caseId,
              update: afterSaleDecisionUpdate,
            }),
          },
        ],
      });
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('refused');
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB);
      const view = await handle.query(afterSaleStateQuery);
      // TOP takes no refusal before shipment: nothing was sent, and that is on the case.
      expect(view.platform?.lastAnswer).toMatchObject({ action: 'refuse', outcome: 'not_offered' });
      const onTop = world.top.store.get(trade.shopKey, trade.id)!.refund!;
      expect(onTop.status).toBe('requested');
      expect(onTop.sellerAnswer).toBeUndefined();
      await expect.poll(() => lineRefund(orderId, `${trade.id}2`), { timeout: PATIENCE_MS }).toBe('refused');
      expect((await caseRow(caseId))?.outcome).toBe('refused');
      await recordHistory(world.h.client, caseId, 'aftersale-taobao-refused');
    },
    4 * MINUTES,
  );

  it(
    'escalates to a person before the seller deadline lapses, and closes when the buyer withdraws',
    async () => {
      const shopId = await world.connectedShop();
      const { trade, orderId } = await allocatedTrade(shopId);
      const reservedB = await reserved(SKU_B);
      // The seller's window ends a few seconds after the escalation point.
      const { refund, caseId } = await buyerAsksRefund(shopId, trade, {
        sellerDeadline: new Date(Date.now() + ESCALATE_BEFORE_SECONDS * 1000 + 4_000),
      });
      const handle = await waitForDecision(caseId);
      await expect
        .poll(async () => (await caseRow(caseId))?.escalated_at, { timeout: PATIENCE_MS })
        .toBeInstanceOf(Date);
      const alert = await world.h.db
        .selectFrom('alerts')
        .selectAll()
        .where('shop_id', '=', shopId)
        .where('kind', '=', 'after_sale_deadline')
        .where('resolved_at', 'is', null)
        .executeTakeFirst();
      expect(alert?.message).toContain(refund.id);
      const view = await handle.query(afterSaleStateQuery);
      expect(view.waitingFor).toBe('a decision');
      expect(view.platform?.escalatedAt).not.toBeNull();
      const reviews = await world.api.inject({
        method: 'GET',
        url: `/after-sales/reviews?shopId=${shopId}`,
        headers: world.ops,
      });
      expect(reviews.statusCode, reviews.body).toBe(200);
      expect(reviews.body).toContain(caseId);

      // The buyer withdraws on the platform: the case closes and the line ships again.
      const at = new Date(Date.now() + 1000);
      world.top.store.update(
        trade.shopKey,
        trade.id,
        (o) => {
          o.refund!.status = 'closed';
          o.refund!.modifiedAt = at;
        },
        at,
      );
      await tmcSays(shopId, trade, refund, 'taobao_refund_RefundClosed');
      await expect.poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS }).toBe('closed');
      await expect.poll(() => reserved(SKU_B), { timeout: PATIENCE_MS }).toBe(reservedB);
      await expect.poll(() => lineRefund(orderId, `${trade.id}2`), { timeout: PATIENCE_MS }).toBe('closed');
      await recordHistory(world.h.client, caseId, 'aftersale-taobao-escalated-closed');
    },
    4 * MINUTES,
  );
});

describe('Taobao refund on a line already with the carrier', () => {
  it(
    'the shop intercepts: TOP takes taobao.rp.refund.intercept, the case and the order say so, and the refund is agreed',
    async () => {
      const shopId = await world.connectedShop();
      const setting = (afterHandover: string) =>
        world.api.inject({
          method: 'PATCH',
          url: `/shops/${shopId}`,
          headers: world.ops,
          payload: { settings: { afterHandover } },
        });
      const refused = await setting('maybe');
      expect(refused.statusCode).toBeGreaterThanOrEqual(400);
      expect(refused.body).toContain('settings.afterHandover');
      const taken = await setting('intercept');
      expect(taken.statusCode, taken.body).toBe(200);

      const { trade, orderId } = await allocatedTrade(shopId);
      await formWaveNow(world.h.client, world.api, world.wh, world.warehouse, orderId);
      const { parcelId } = await labelledParcel(world.h, world.api, world.wh, orderId, MINUTES);
      await handOver(world.api, world.wh, parcelId);
      await expect
        .poll(() => world.top.store.get(trade.shopKey, trade.id)?.shipment, { timeout: PATIENCE_MS })
        .toBeDefined();
      const { caseId } = await buyerAsksRefund(shopId, world.top.store.get(trade.shopKey, trade.id)!);

      const handle = await waitForDecision(caseId);
      expect((await handle.query(afterSaleStateQuery)).intercept).toMatchObject({
        outcome: 'done',
        code: 'taobao.rp.refund.intercept',
      });
      expect(world.top.store.get(trade.shopKey, trade.id)!.refund!.intercept).toMatchObject({
        call: 'taobao.rp.refund.intercept',
      });
      const notes = await world.h.db
        .selectFrom('order_events')
        .select(['actor', 'detail'])
        .where('order_id', '=', orderId)
        .where('stage', '=', 'after_sale_intercept')
        .execute();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({
        actor: caseId,
        detail: { outcome: 'done', lineIds: [`${trade.id}2`] },
      });

      await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
      await expect
        .poll(async () => (await caseRow(caseId))?.status, { timeout: PATIENCE_MS })
        .toBe('refunded');
      const steps = await world.h.db
        .selectFrom('after_sale_events')
        .select('step')
        .where('case_id', '=', caseId)
        .orderBy('id')
        .execute();
      expect(steps.map((s) => s.step)).toEqual([
        'open',
        'intercept',
        'intercept-awaiting-decision',
        'decided',
        'platform-agree',
        'refunded',
      ]);
      await recordHistory(world.h.client, caseId, 'aftersale-taobao-intercepted');
    },
    6 * MINUTES,
  );

  it(
    'the order already ended (shipped from the back office): the interception goes on its timeline once, after its last event',
    async () => {
      const shopId = await world.connectedShop();
      const taken = await world.api.inject({
        method: 'PATCH',
        url: `/shops/${shopId}`,
        headers: world.ops,
        payload: { settings: { afterHandover: 'intercept' } },
      });
      expect(taken.statusCode, taken.body).toBe(200);
      const { trade, orderId } = await allocatedTrade(shopId);
      // The seller ships the trade from Taobao's back office: the order's workflow ends here.
      await onPlatform(world.h.client, world.h.config.TASK_QUEUE_ORDERS, world.top, shopId, trade, (o) => {
        o.status = 'shipped';
        o.shipment = { carrierCode: 'SF', trackingNumber: `SF${Date.now()}`, shippedAt: new Date() };
      });
      await expect
        .poll(async () => (await world.h.client.workflow.getHandle(orderId).describe()).status.name)
        .toBe('COMPLETED');
      const timeline = () =>
        world.h.db
          .selectFrom('order_events')
          .select(['seq', 'stage', 'actor', 'detail'])
          .where('order_id', '=', orderId)
          .orderBy('seq')
          .execute();
      const ended = await timeline();
      expect(ended.at(-1)).toMatchObject({ stage: 'completed', detail: { outcome: 'shipped_on_platform' } });

      const { refund, caseId } = await buyerAsksRefund(shopId, world.top.store.get(trade.shopKey, trade.id)!);
      const notes = async () => (await timeline()).filter((e) => e.stage === 'after_sale_intercept');
      await expect.poll(async () => (await notes()).length).toBe(1);
      const contiguous = (events: Array<{ seq: number }>) =>
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const noted = await timeline();
      contiguous(noted);
      // One event past the ended run's last one: the case's note, by the case.
      expect(noted).toHaveLength(ended.length + 1);
      expect(noted.at(-1)).toMatchObject({
        seq: ended.at(-1)!.seq + 1,
        stage: 'after_sale_intercept',
        actor: caseId,
        detail: {
          outcome: 'done',
          caseId,
          lineIds: [`${trade.id}2`],
          noteKey: `${caseId}:intercept`,
          afterOrderEnded: true,
        },
      });
      // The parcel left on the platform, not with a carrier of ours to the buyer: TOP is asked.
      await waitForDecision(caseId);
      expect(world.top.store.get(trade.shopKey, trade.id)!.refund!.intercept).toMatchObject({
        call: 'taobao.rp.refund.intercept',
      });

      // The activity retried (its answer lost): the platform answers the same, the order has one note.
      const acts = createPlatformAfterSaleActivities({
        db: world.h.db,
        config: world.h.config,
        client: world.h.client,
      });
      const again = await acts.interceptAfterHandover({
        caseId,
        shopId,
        orderId,
        ref: { platformCaseId: refund.id, platformOrderId: trade.id },
        lineIds: [`${trade.id}2`],
      });
      expect(again).toMatchObject({ mode: 'intercept', result: { outcome: 'done' } });
      expect(await timeline()).toEqual(noted);

      await decideAsCustomerService(world.h, caseId, { decision: 'agree' });
      await expect.poll(async () => (await caseRow(caseId))?.status).toBe('refunded');
      // The refund continues the timeline after the note; still one note.
      await expect
        .poll(async () => (await timeline()).map((e) => e.stage))
        .toEqual([...noted.map((e) => e.stage), 'refund_lines_changed']);
      contiguous(await timeline());
      expect(await notes()).toHaveLength(1);
    },
    6 * MINUTES,
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { recordHistory } from '../support/histories.js';
import {
  caseWaitingCode,
  shipFromWarehouse,
  startMarketWorld,
  type MarketWorld,
} from '../support/market-cases.js';
import { topCases, withReturnAddress } from '../support/top-cases.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';

// The automatic refund audit on marketplace cases (docs/after-sales.md, "Automatic refund audit"),
// on the real dev server and the simulated TOP gateway, which checks our signatures with its own
// code: the rules in the database decide Taobao refunds before shipment as they decide own-store
// ones (a small refund agreed by itself, Taobao told once, the rule as actor on the timeline; a
// quality complaint held for a person), and look again at a return once the goods came back and
// were inspected — a resaleable return's refund agreed by the rule before Taobao is told the goods
// arrived, a large one held for finance (customer service alone refused) until finance agrees.

const MINUTES = 60_000;
const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';

const sim = withReturnAddress(topCases());
let world: MarketWorld;
let admin: { authorization: string };
let cs: { authorization: string };
let finance: { authorization: string };

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
  admin = bearer(await apiKeyFor(world.h.db, ['admin']));
  cs = bearer(await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaoli'));
  finance = bearer(await apiKeyFor(world.h.db, ['finance', 'customer-service'], 'fin-wang'));
});
afterAll(() => world?.close());

const url = (caseId: string) => `/after-sales/${encodeURIComponent(caseId)}`;
const decide = (caseId: string, headers: object, payload: object) =>
  world.api.inject({ method: 'POST', url: `${url(caseId)}/decisions`, headers: { ...headers }, payload });
const timeline = (caseId: string) =>
  world.h.db
    .selectFrom('after_sale_events')
    .select(['step', 'stage', 'actor', 'detail'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
const caseStatus = async (caseId: string) => (await world.caseRow(caseId))?.status;
const waitingCode = (caseId: string) => caseWaitingCode(world.h.client, caseId);

async function switchOn(ruleId: string) {
  const res = await world.api.inject({
    method: 'POST',
    url: `/after-sale-rules/${ruleId}/enable`,
    headers: admin,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A paid two-line Taobao order (line 1 SKU A ¥99, line 2 SKU B ¥168), allocated here. */
async function allocatedOrder(settings: Record<string, unknown> = {}) {
  const shop = await world.connectedShop(true, settings);
  const order = sim.paidOrder(shop.shopKey, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId(sim.platform, shop.shopId, order.id);
  await waitForStage(world.h.db, orderId, 'allocated', 3 * MINUTES);
  return { shop, order, orderId };
}

/** The same, labelled and handed over by the warehouse; Taobao shows it shipped. */
async function shippedOrder() {
  const placed = await allocatedOrder({ returnReceipt: 'platform' });
  await shipFromWarehouse(world, placed.order, placed.orderId);
  return placed;
}

/** The buyer asks Taobao for a refund (or a return) of one line; the case's id. */
function buyerAsks(
  shopId: string,
  order: SimOrder,
  line: 0 | 1,
  kind: 'refund_only' | 'return_and_refund',
  reason: string,
) {
  const refund = world.buyerAsks(order, {
    kind,
    amountMinor: line === 1 ? 16_800 : 9_900,
    reason,
    lineIds: [order.items[line]!.lineId],
    sellerDeadline: new Date(Date.now() + 48 * 3600_000),
  });
  return afterSaleWorkflowId(sim.platform, shopId, refund.id);
}

/** The warehouse scans the case id on the return parcel and counts the unit as sold. */
async function scanBack(caseId: string, order: SimOrder, line: 0 | 1) {
  world.onPlatform(order, (r) => (r.status = 'returning'));
  const taken = await world.api.inject({
    method: 'POST',
    url: '/wms/returns/receipts',
    headers: { ...world.wh, 'idempotency-key': `scan-${caseId}` },
    payload: {
      warehouse: world.warehouse,
      scan: caseId,
      lines: [{ lineId: sim.lineId(order, line), qty: 1, condition: 'resaleable' }],
    },
  });
  expect(taken.statusCode, taken.body).toBe(202);
}

describe('the automatic refund audit on Taobao cases', () => {
  it('agrees a small refund before shipment by itself, tells Taobao once, with the rule on the timeline', async () => {
    await switchOn('as-agree-unshipped-small');
    const { shop, order } = await allocatedOrder();
    const calls = world.agreeCalls;
    const caseId = buyerAsks(shop.shopId, order, 0, 'refund_only', '拍错了');

    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.agreeCalls - calls).toBe(1);
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 9_900 });
    expect(world.refundOf(order).sellerAnswer).toMatchObject({ action: 'agree', amountMinor: 9_900 });

    const events = await timeline(caseId);
    const agreed = events.find((e) => e.stage === 'agreed');
    expect(agreed).toMatchObject({
      actor: 'rule:as-agree-unshipped-small',
      detail: expect.objectContaining({ rule: 'as-agree-unshipped-small', agreedFen: 9_900 }),
    });
    const stages = events.map((e) => e.stage);
    expect(stages).not.toContain('held_by_rule');
    expect(stages.slice(stages.indexOf('lines_held'))).toEqual([
      'lines_held',
      'agreed',
      'platform_agree',
      'refunded',
    ]);
    // Nobody decided: the only decision is the rule's.
    const state = await world.h.client.workflow.getHandle(caseId).query(afterSaleStateQuery);
    expect(state.decisions.map((d) => d.actor)).toEqual(['rule:as-agree-unshipped-small']);
    expect(state.audit).toMatchObject({ verdict: 'agree', agreedBy: 'as-agree-unshipped-small' });
    await recordHistory(world.h.client, caseId, 'aftersale-taobao-rule-agreed');
  });

  it('holds a quality complaint the small-refund rule would agree: a person decides, Taobao told once', async () => {
    const { shop, order } = await allocatedOrder();
    const calls = world.agreeCalls;
    const caseId = buyerAsks(shop.shopId, order, 0, 'refund_only', '衣服有瑕疵');

    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_decision');
    await expect
      .poll(async () => (await timeline(caseId)).map((e) => e.stage), { timeout: PATIENCE_MS })
      .toContain('held_by_rule');
    const held = (await timeline(caseId)).find((e) => e.stage === 'held_by_rule')!;
    expect(held.actor).toBe('rule:as-hold-quality');
    expect(held.detail).toMatchObject({ holds: [expect.objectContaining({ reason: 'quality_claim' })] });
    expect(world.agreeCalls).toBe(calls);
    expect(world.refundOf(order).status).toBe('requested');

    const agreed = await decide(caseId, cs, { decision: 'agree' });
    expect(agreed.statusCode, agreed.body).toBe(200);
    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.agreeCalls - calls).toBe(1);
    const decided = (await timeline(caseId)).find((e) => e.stage === 'agreed')!;
    expect(decided.actor).toBe('cs-xiaoli');
    expect(decided.detail).not.toHaveProperty('rule');
  });

  it("agrees a return's refund once the goods came back resaleable, before Taobao is told they arrived", async () => {
    await switchOn('as-agree-return-resaleable');
    const { shop, order } = await shippedOrder();
    const before = await world.onHand(SKU_A);
    const caseId = buyerAsks(shop.shopId, order, 0, 'return_and_refund', '尺码不合适');
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_decision');
    // Asked for, a return is not agreed by the resaleable rule: nothing is inspected yet.
    expect((await timeline(caseId)).map((e) => e.stage)).not.toContain('agreed');
    expect((await decide(caseId, cs, { decision: 'agree' })).statusCode).toBe(200);
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_return_parcel');

    await scanBack(caseId, order, 0);
    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.refundOf(order).received).toBeDefined();
    expect(await world.onHand(SKU_A)).toBe(before + 1);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);

    const events = await timeline(caseId);
    const stages = events.map((e) => e.stage);
    expect(stages.slice(stages.indexOf('return_inspected'))).toEqual([
      'return_inspected',
      'agreed',
      'platform_return_received',
      'refunded',
    ]);
    const byRule = events[stages.indexOf('return_inspected') + 1]!;
    expect(byRule).toMatchObject({
      actor: 'rule:as-agree-return-resaleable',
      detail: expect.objectContaining({ rule: 'as-agree-return-resaleable', inspection: 'resaleable' }),
    });
    expect(events.find((e) => e.stage === 'return_inspected')?.detail).toMatchObject({
      inspection: 'resaleable',
    });
    await recordHistory(world.h.client, caseId, 'aftersale-taobao-return-rule-agreed');
  });

  it('holds a large return after inspection for finance: customer service may not agree it, finance does, then Taobao is told', async () => {
    const added = await world.api.inject({
      method: 'POST',
      url: '/after-sale-rules',
      headers: admin,
      payload: {
        id: 'as-hold-large-return-back',
        name: '大额退货验收后财务确认',
        order: 50,
        when: {
          type: 'all',
          conditions: [
            { type: 'kind', kinds: ['return_refund'] },
            { type: 'inspection', results: ['resaleable', 'damaged', 'mixed'] },
            { type: 'amount', minFen: 15_000 },
          ],
        },
        action: { type: 'hold', reason: 'large_return_back', clearedBy: 'finance' },
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    const { shop, order } = await shippedOrder();
    const caseId = buyerAsks(shop.shopId, order, 1, 'return_and_refund', '不想要了');
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_decision');
    // Asked for, nothing holds it (the hold needs the goods inspected): customer service agrees.
    expect((await decide(caseId, cs, { decision: 'agree' })).statusCode).toBe(200);
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_return_parcel');

    await scanBack(caseId, order, 1);
    await expect
      .poll(async () => (await timeline(caseId)).map((e) => e.stage), { timeout: PATIENCE_MS })
      .toContain('held_by_rule');
    await expect.poll(() => waitingCode(caseId), { timeout: PATIENCE_MS }).toBe('case_decision');
    const held = (await timeline(caseId)).find((e) => e.stage === 'held_by_rule')!;
    expect(held).toMatchObject({
      actor: 'rule:as-hold-large-return-back',
      detail: expect.objectContaining({ inspection: 'resaleable' }),
    });
    // Taobao has not been told the goods arrived: it refunds nothing yet.
    expect(world.refundOf(order).received).toBeUndefined();
    expect(await caseStatus(caseId)).toBe('open');

    const refused = await decide(caseId, cs, { decision: 'agree' });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.body).toContain('as-hold-large-return-back');
    const agreed = await decide(caseId, finance, { decision: 'agree' });
    expect(agreed.statusCode, agreed.body).toBe(200);
    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.refundOf(order).received).toBeDefined();
    const events = await timeline(caseId);
    const stages = events.map((e) => e.stage);
    expect(stages.slice(stages.indexOf('return_inspected'))).toEqual([
      'return_inspected',
      'held_by_rule',
      'agreed',
      'platform_return_received',
      'refunded',
    ]);
    expect(events[stages.indexOf('held_by_rule') + 1]!.actor).toBe('fin-wang');
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    await recordHistory(world.h.client, caseId, 'aftersale-taobao-return-rule-held');
  });
});

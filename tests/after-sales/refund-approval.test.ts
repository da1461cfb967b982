import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../db/queries/stock.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder, SimRefund } from '../../sandbox/orders/model.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { recordHistory } from '../support/histories.js';
import {
  caseWaitsForDecision,
  changeRefundOnPlatform,
  shipFromWarehouse,
  startMarketWorld,
  type MarketWorld,
} from '../support/market-cases.js';
import { topCases, withReturnAddress } from '../support/top-cases.js';
import { PATIENCE_MS, waitForStage } from '../support/waits.js';
import { clockDigits } from '../support/fixtures.js';

// Finance's approval of marketplace refunds above the shop's limit (docs/after-sales.md, "Finance
// approval above the shop's limit"), on the real dev server and the simulated TOP gateway, which
// checks our signatures with its own code: a refund above the shop's `refundApprovalAboveFen` that
// customer service agreed waits for finance before Taobao is told to refund (the refund's
// agreement, or the goods-received call of a return received here); one within it goes straight on;
// only finance approves; a rejection leaves Taobao untouched and gives the case to a person.

const MINUTES = 60_000;
const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
/** The shop's limit: ¥100.00. Line 2 (¥168.00) is above it, line 1 (¥99.00) within it. */
const LIMIT_FEN = 10_000;

const sim = withReturnAddress(topCases());
let world: MarketWorld;
let cs: { authorization: string };
let finance: { authorization: string };
let ops: { authorization: string };

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
  cs = bearer(await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaoli'));
  finance = bearer(await apiKeyFor(world.h.db, ['finance'], 'fin-wang'));
  ops = bearer(await apiKeyFor(world.h.db, ['ops']));
});
afterAll(() => world?.close());

const url = (caseId: string) => `/after-sales/${encodeURIComponent(caseId)}`;
const post = (caseId: string, what: 'decisions' | 'approval', headers: object, payload: object) =>
  world.api.inject({ method: 'POST', url: `${url(caseId)}/${what}`, headers: { ...headers }, payload });
const shown = async (caseId: string) => {
  const res = await world.api.inject({ method: 'GET', url: url(caseId), headers: finance });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    case: { status: string; waitingFor: string | null };
    state: {
      waiting: { code: string; params: Record<string, unknown> } | null;
      refundApproval: { state: string; amountMinor: number | null; by: string | null } | null;
    } | null;
    timeline: Array<{ step: string; stage: string; actor: string }>;
  };
};
const stages = async (caseId: string) => (await shown(caseId)).timeline.map((e) => e.stage);
const refundOf = (order: SimOrder) => sim.store.get(order.shopKey, order.id)!.refund!;
const caseStatus = async (caseId: string) =>
  (
    await world.h.db
      .selectFrom('after_sale_cases')
      .select('status')
      .where('id', '=', caseId)
      .executeTakeFirst()
  )?.status;

/** A paid two-line order (line 1 SKU A ¥99, line 2 SKU B ¥168) of a shop with the limit, allocated. */
async function allocatedOrder(settings: Record<string, unknown> = {}) {
  const shop = await world.connectedShop(true, { refundApprovalAboveFen: LIMIT_FEN, ...settings });
  const order = sim.paidOrder(shop.shopKey, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId(sim.platform, shop.shopId, order.id);
  await waitForStage(world.h.db, orderId, 'allocated', 3 * MINUTES);
  return { shop, order, orderId };
}

/** The buyer asks on Taobao for a refund (or a return) of one line, for what it paid. */
function buyerAsks(shopId: string, order: SimOrder, line: 0 | 1, kind: SimRefund['kind']) {
  const now = sim.store.get(order.shopKey, order.id)!;
  const at = new Date(Math.max(Date.now(), now.modifiedAt.getTime() + 1000));
  const refund: SimRefund = {
    id: `${clockDigits(9)}${Math.floor(Math.random() * 1000)}`,
    status: 'requested',
    kind,
    amountMinor: line === 1 ? 16_800 : 9_900,
    reason: kind === 'refund_only' ? '拍错了' : '尺码不合适',
    createdAt: at,
    modifiedAt: at,
    lineIds: [now.items[line]!.lineId],
    sellerDeadline: new Date(Date.now() + 48 * 3600_000),
  };
  sim.store.update(order.shopKey, order.id, (o) => (o.refund = refund), at);
  return { refund, caseId: afterSaleWorkflowId(sim.platform, shopId, refund.id) };
}

/**
 * Waits until the case waits for finance, in its live state and in its projection (the workflow
 * says so before its timeline entry is written); what the API says of it then.
 */
async function waitsForFinance(caseId: string) {
  await expect
    .poll(
      async () => {
        const now = await shown(caseId);
        return [now.state?.waiting?.code, now.case.waitingFor?.startsWith('finance approval') ?? false];
      },
      { timeout: PATIENCE_MS },
    )
    .toEqual(['case_finance_approval', true]);
  return shown(caseId);
}

describe("Taobao refunds above the shop's approval limit", () => {
  it('customer service agrees, the case waits for finance (others refused), and Taobao is told once finance approved', async () => {
    const { shop, order } = await allocatedOrder();
    // The setting is checked: a negative limit is refused naming the field.
    const bad = await world.api.inject({
      method: 'PATCH',
      url: `/shops/${shop.shopId}`,
      headers: ops,
      payload: { settings: { refundApprovalAboveFen: -1 } },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.body).toContain('body.settings.refundApprovalAboveFen');
    const { caseId } = buyerAsks(shop.shopId, order, 1, 'refund_only');
    await caseWaitsForDecision(world.h.client, caseId);
    const calls = world.agreeCalls;

    const agreed = await post(caseId, 'decisions', cs, { decision: 'agree' });
    expect(agreed.statusCode, agreed.body).toBe(200);
    const waiting = await waitsForFinance(caseId);
    expect(waiting.case).toMatchObject({ status: 'open' });
    expect(waiting.case.waitingFor).toBe(
      "finance approval of the refund of 16800 CNY minor units (above the shop's limit 10000)",
    );
    expect(waiting.state?.refundApproval).toMatchObject({
      state: 'waiting',
      amountMinor: 16_800,
      by: null,
    });
    // Taobao has been told nothing: the buyer's refund still waits for the seller.
    expect(world.agreeCalls).toBe(calls);
    expect(refundOf(order)).toMatchObject({ status: 'requested' });
    expect(refundOf(order).sellerAnswer).toBeUndefined();
    // It is in the reviewers' queue for finance.
    const queue = await world.api.inject({
      method: 'GET',
      url: `/after-sales/reviews?shopId=${shop.shopId}`,
      headers: finance,
    });
    expect((queue.json() as { cases: Array<{ id: string }> }).cases.map((c) => c.id)).toContain(caseId);

    // Only finance approves.
    for (const who of [cs, ops]) {
      const refused = await post(caseId, 'approval', who, { decision: 'approve' });
      expect(refused.statusCode, refused.body).toBe(403);
    }
    expect((await post(caseId, 'approval', finance, { decision: 'reject' })).statusCode).toBe(400);
    expect(world.agreeCalls).toBe(calls);

    const approved = await post(caseId, 'approval', finance, { decision: 'approve', note: '已核对' });
    expect(approved.statusCode, approved.body).toBe(200);
    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.agreeCalls - calls).toBe(1);
    expect(refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 16_800 });
    expect(refundOf(order).sellerAnswer).toMatchObject({ action: 'agree', amountMinor: 16_800 });

    const after = await shown(caseId);
    expect(after.state?.refundApproval).toMatchObject({ state: 'approved', by: 'fin-wang' });
    const order_ = after.timeline.map((e) => e.stage);
    expect(order_.slice(order_.indexOf('agreed'))).toEqual([
      'agreed',
      'finance_approval_awaited',
      'finance_approved',
      'platform_agree',
      'refunded',
    ]);
    expect(after.timeline.find((e) => e.stage === 'agreed')?.actor).toBe('cs-xiaoli');
    expect(after.timeline.find((e) => e.stage === 'finance_approved')?.actor).toBe('fin-wang');
    // Nothing waits any more: a second approval is refused.
    expect((await post(caseId, 'approval', finance, { decision: 'approve' })).statusCode).toBe(409);
    await recordHistory(world.h.client, caseId, 'aftersale-taobao-finance-approved');
  });

  it('a refund within the limit goes straight to Taobao; one finance rejects reaches Taobao never and goes to a person', async () => {
    const { shop, order } = await allocatedOrder();
    const { caseId } = buyerAsks(shop.shopId, order, 0, 'refund_only');
    await caseWaitsForDecision(world.h.client, caseId);
    const calls = world.agreeCalls;
    expect((await post(caseId, 'decisions', cs, { decision: 'agree' })).statusCode).toBe(200);
    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.agreeCalls - calls).toBe(1);
    const within = await shown(caseId);
    expect(within.state?.refundApproval).toMatchObject({ state: 'not_needed' });
    expect(within.timeline.map((e) => e.stage)).not.toContain('finance_approval_awaited');
    // Finance has nothing to approve there.
    expect((await post(caseId, 'approval', finance, { decision: 'approve' })).statusCode).toBe(409);

    // Another order's ¥168 refund, which finance does not approve.
    const other = await allocatedOrder();
    const rejected = buyerAsks(other.shop.shopId, other.order, 1, 'refund_only');
    await caseWaitsForDecision(world.h.client, rejected.caseId);
    const before = world.agreeCalls;
    expect((await post(rejected.caseId, 'decisions', cs, { decision: 'agree' })).statusCode).toBe(200);
    await waitsForFinance(rejected.caseId);
    const no = await post(rejected.caseId, 'approval', finance, {
      decision: 'reject',
      reason: '买家多次退款，需核实',
    });
    expect(no.statusCode, no.body).toBe(200);
    await expect.poll(() => caseStatus(rejected.caseId), { timeout: PATIENCE_MS }).toBe('needs_person');
    const handed = await shown(rejected.caseId);
    expect(handed.state?.waiting).toMatchObject({
      code: 'case_person',
      params: { step: 'finance-rejected' },
    });
    expect(handed.state?.refundApproval).toMatchObject({ state: 'rejected', by: 'fin-wang' });
    expect(handed.timeline.find((e) => e.stage === 'finance_rejected')?.actor).toBe('fin-wang');
    expect(world.agreeCalls).toBe(before);
    expect(refundOf(other.order)).toMatchObject({ status: 'requested' });
  });

  it('a return received here: agreed on Taobao at once, and the goods-received call that refunds waits for finance', async () => {
    const { shop, order, orderId } = await allocatedOrder({ returnReceipt: 'platform' });
    await shipFromWarehouse(world, order, orderId);
    const { caseId } = buyerAsks(shop.shopId, order, 1, 'return_and_refund');
    await caseWaitsForDecision(world.h.client, caseId);
    const calls = world.agreeCalls;

    // The return's agreement moves no money: it reaches Taobao without finance.
    expect((await post(caseId, 'decisions', cs, { decision: 'agree' })).statusCode).toBe(200);
    await expect.poll(() => refundOf(order).status, { timeout: PATIENCE_MS }).toBe('agreed');
    await expect
      .poll(async () => (await shown(caseId)).state?.waiting?.code, { timeout: PATIENCE_MS })
      .toBe('case_return_parcel');

    // The buyer sends the goods back; the warehouse scans and counts them as sold.
    changeRefundOnPlatform(sim.store, order, (r) => (r.status = 'returning'));
    const taken = await world.api.inject({
      method: 'POST',
      url: '/wms/returns/receipts',
      headers: { ...world.wh, 'idempotency-key': `scan-${caseId}` },
      payload: {
        warehouse: world.warehouse,
        scan: caseId,
        lines: [{ lineId: sim.lineId(order, 1), qty: 1, condition: 'resaleable' }],
      },
    });
    expect(taken.statusCode, taken.body).toBe(202);

    await waitsForFinance(caseId);
    expect(world.agreeCalls).toBe(calls);
    expect(refundOf(order).received).toBeUndefined();
    expect(refundOf(order).status).toBe('returning');

    const approved = await post(caseId, 'approval', finance, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    await expect.poll(() => caseStatus(caseId), { timeout: PATIENCE_MS }).toBe('refunded');
    expect(world.agreeCalls - calls).toBe(1);
    expect(refundOf(order).status).toBe('refunded');
    expect(refundOf(order).received).toBeDefined();
    const after = await stages(caseId);
    expect(after.slice(after.indexOf('return_inspected'))).toEqual([
      'return_inspected',
      'finance_approval_awaited',
      'finance_approved',
      'platform_return_received',
      'refunded',
    ]);
    expect((await verifyLedger(world.h.db)).mismatches).toEqual([]);
    await recordHistory(world.h.client, caseId, 'aftersale-taobao-return-finance-approved');
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { startMarketWorld, type MarketWorld } from '../support/market-cases.js';
import { topCases, withReturnAddress } from '../support/top-cases.js';
import { launchBrowser, UI_TIMEOUT, until, untilStage } from './browser.js';
import {
  expectOnce,
  expectPending,
  expectSettled,
  goBusy,
  openSignedIn,
  orderEvents,
  startWorker,
} from './busy.js';

/**
 * A person's action other than a review decision on a busy system (the worker stopped here; under a
 * livestream burst it is too busy): customer service agrees an after-sales refund and locks an
 * order, finance approves a refund above the shop's limit, while no worker answers. Each page says
 * 处理中 — no error — and once the worker is back the outcome shows by itself: the refund agreed once
 * (Taobao told once), the order locked once, the approved refund sent to Taobao once, a refund
 * finance does not approve refused once (Taobao not told), an order unlocked, flagged and annotated
 * once each. The lost parcel's and 物流's actions: busy-parcels.test.ts; 重新退款:
 * busy-refund-retry.test.ts.
 */
const SKU = 'TS-001-RED-M';
/** The second shop's approval limit, ¥50.00: a refund of the whole ¥99.00 order waits for finance. */
const LIMIT_FEN = 5_000;
const sim = withReturnAddress(topCases());
let world: MarketWorld;
let browser: Browser;
let baseUrl: string;
const keys = { cs: '', finance: '' };
let shop: { shopId: string; shopKey: string };
let limitedShop: { shopId: string; shopKey: string };

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU]: 50 });
  baseUrl = await world.api.listen({ host: '127.0.0.1', port: 0 });
  keys.cs = await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaochen');
  keys.finance = await apiKeyFor(world.h.db, ['finance'], 'fin-zhao');
  shop = await world.connectedShop(true);
  limitedShop = await world.connectedShop(true, { refundApprovalAboveFen: LIMIT_FEN });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** A paid order of one unit in `of`, allocated in the ERP: the platform's order and the ERP's id. */
async function allocatedOrder(of = shop) {
  const order = sim.paidOrder(of.shopKey, [{ code: SKU, priceFen: 9_900 }]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId(sim.platform, of.shopId, order.id);
  await untilStage(world.h.db, orderId, 'allocated');
  return { order, orderId };
}

/** The buyer asks for the whole order back: the case, waiting for a decision, and a wait for what it waits for next. */
async function refundAsked(order: SimOrder, of: typeof shop) {
  const refund = world.buyerAsks(order, {
    kind: 'refund_only',
    amountMinor: 9_900,
    reason: '拍错了',
    lineIds: [order.items[0]!.lineId],
    sellerDeadline: new Date(Date.now() + 48 * 3600_000),
  });
  const caseId = afterSaleWorkflowId(sim.platform, of.shopId, refund.id);
  const handle = world.h.client.workflow.getHandle(caseId);
  const waitsFor = (code: string) =>
    until(
      `case ${caseId} waiting: ${code}`,
      async () => (await handle.query(afterSaleStateQuery).catch(() => null))?.waiting?.code === code,
    );
  await waitsFor('case_decision');
  return { caseId, waitsFor };
}

const caseUrl = (caseId: string) => `${baseUrl}/app/after-sales/${encodeURIComponent(caseId)}`;
const orderUrl = (orderId: string) => `${baseUrl}/app/orders/${encodeURIComponent(orderId)}`;
const stagesOf = async (caseId: string, stage: string) =>
  (await world.stages(caseId)).filter((s) => s === stage).length;

/**
 * A refund of a whole order of the limited shop that customer service agreed, waiting for finance
 * (above the shop's limit); finance's page open on it with `note` typed, the worker then stopped.
 */
async function refundAwaitingFinance(note: string) {
  const { order } = await allocatedOrder(limitedShop);
  const { caseId, waitsFor } = await refundAsked(order, limitedShop);
  const agreed = await world.api.inject({
    method: 'POST',
    url: `/after-sales/${encodeURIComponent(caseId)}/decisions`,
    headers: bearer(keys.cs),
    payload: { decision: 'agree' },
  });
  expect(agreed.statusCode, agreed.body).toBe(200);
  await waitsFor('case_finance_approval');

  const page = await openSignedIn(browser, baseUrl, keys.finance, caseUrl(caseId));
  const approval = page.getByTestId('finance-approval');
  await approval.getByRole('button', { name: '批准退款' }).waitFor();
  await approval.getByLabel('备注（不批准时必填原因）').fill(note);
  const calls = world.agreeCalls;
  await goBusy(page, world);
  return { order, caseId, page, approval, calls };
}

describe('web UI: other actions on a busy system', () => {
  it('shows an after-sales decision 处理中 while the worker is away, then the refund, agreed once', async () => {
    const { order } = await allocatedOrder();
    const { caseId } = await refundAsked(order, shop);
    const page = await openSignedIn(browser, baseUrl, keys.cs, caseUrl(caseId));
    const agree = page.getByRole('button', { name: '同意退款' });
    await agree.waitFor();
    const calls = world.agreeCalls;
    await goBusy(page, world);
    await agree.click();
    // Not an error: the decision is on its way, and the page says so above the buttons.
    await expectPending(page);
    expect(world.agreeCalls).toBe(calls);

    await startWorker(world);
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    await expectSettled(page);
    expect(await agree.count()).toBe(0);
    expect(world.agreeCalls - calls).toBe(1);
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 9_900 });
    await expectOnce(() => stagesOf(caseId, 'agreed'));
    await page.context().close();
  });

  it('shows an order lock 处理中 while the worker is away, then the order locked, once', async () => {
    const { orderId } = await allocatedOrder();
    const page = await openSignedIn(browser, baseUrl, keys.cs, orderUrl(orderId));
    const lock = page.getByRole('button', { name: /锁\s*定/ });
    await lock.waitFor();
    await goBusy(page, world);
    await page.getByLabel('锁定原因').fill('买家来电要求改地址');
    await lock.click();
    // The order's live state is lost meanwhile (a warning); no error.
    await expectPending(page);

    await startWorker(world);
    await page.getByRole('button', { name: /解\s*锁/ }).waitFor({ timeout: UI_TIMEOUT });
    await expectSettled(page);
    // The page shows the order locked from its live state, which may come a moment before the
    // workflow has written the event on a busy machine: the event is waited for, then counted.
    await expectOnce(() => orderEvents(world.h.db, orderId, 'locked'));
    await page.context().close();
  });

  it("shows finance's 批准退款 处理中 while the worker is away, then the refund approved and sent once", async () => {
    // Customer service agreed; above the shop's limit, the case waits for finance.
    const { order, caseId, page, approval, calls } = await refundAwaitingFinance('已核对订单金额');
    await approval.getByRole('button', { name: '批准退款' }).click();
    await expectPending(page);
    expect(world.agreeCalls).toBe(calls);
    expect(world.refundOf(order).status).toBe('requested');

    await startWorker(world);
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('财务已批准');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    expect(await timeline.textContent()).toContain('fin-zhao');
    await expectSettled(page);
    expect(await page.getByRole('button', { name: '批准退款' }).count()).toBe(0);
    expect(world.agreeCalls - calls).toBe(1);
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 9_900 });
    await expectOnce(() => stagesOf(caseId, 'finance_approved'));
    expect((await world.caseRow(caseId))?.status).toBe('refunded');
    await page.context().close();
  });

  it("shows finance's 不批准 处理中 while the worker is away, then the refund refused once, the platform not told", async () => {
    const { order, caseId, page, approval, calls } =
      await refundAwaitingFinance('金额与订单不符，转人工核实');
    const refuse = approval.getByRole('button', { name: '不批准' });
    await refuse.click();
    await expectPending(page);
    // Sent once: while it is on its way neither answer can be sent again.
    expect(await refuse.getAttribute('class')).toContain('ant-btn-loading');
    expect(await approval.getByRole('button', { name: '批准退款' }).isDisabled()).toBe(true);

    await startWorker(world);
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('财务未批准');
    expect(await timeline.textContent()).toContain('金额与订单不符，转人工核实');
    expect(await timeline.textContent()).toContain('fin-zhao');
    await expectSettled(page);
    expect(await page.getByRole('button', { name: '不批准' }).count()).toBe(0);
    await expectOnce(() => stagesOf(caseId, 'finance_rejected'));
    // Not approved: the platform is not told to refund; the case is a person's.
    expect(world.agreeCalls).toBe(calls);
    expect(world.refundOf(order).status).toBe('requested');
    expect(await stagesOf(caseId, 'finance_approved')).toBe(0);
    await page.context().close();
  });

  it('shows an unlock, a flag and a memo 处理中 while the worker is away, then each applied once', async () => {
    const { orderId } = await allocatedOrder();
    const locked = await world.api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(orderId)}/lock`,
      headers: bearer(keys.cs),
      payload: { reason: '买家来电要求改地址' },
    });
    expect(locked.statusCode, locked.body).toBe(200);
    const eventsOf = (stage: string) => orderEvents(world.h.db, orderId, stage);

    const page = await openSignedIn(browser, baseUrl, keys.cs, orderUrl(orderId));
    const unlock = page.getByRole('button', { name: /解\s*锁/ });
    await unlock.waitFor();
    await goBusy(page, world);

    // Unlock, add a flag and a memo while no worker answers: each says 处理中, none fails.
    await unlock.click();
    await expectPending(page);
    await page.getByRole('combobox', { name: '添加标记' }).click();
    await page.locator('.ant-select-item-option', { hasText: '加急' }).click();
    await page.getByLabel('添加备注').fill('买家改地址后再发');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await expectPending(page);

    await startWorker(world);
    await page.getByRole('button', { name: /锁\s*定/ }).waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => page.getByTestId('order-detail').textContent(), { timeout: UI_TIMEOUT })
      .toContain('买家改地址后再发');
    await expect.poll(() => page.getByTestId('order-detail').textContent()).toContain('加急');
    await expectSettled(page);
    await expectOnce(() => eventsOf('unlocked'));
    await expectOnce(() => eventsOf('flagged'));
    await expectOnce(() => eventsOf('memo'));
    const row = await world.h.db
      .selectFrom('orders')
      .select(['locked', 'flags', 'internal_memo'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(row.locked).toBe(false);
    expect(row.flags).toContain('urgent');
    expect(row.internal_memo).toContain('买家改地址后再发');
    await page.context().close();
  });
});

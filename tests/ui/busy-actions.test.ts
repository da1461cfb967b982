import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor } from '../auth/support.js';
import { startMarketWorld, type MarketWorld } from '../support/market-cases.js';
import { topCases, withReturnAddress } from '../support/top-cases.js';
import { launchBrowser, newPage, signIn, UI_TIMEOUT, until, untilStage } from './browser.js';

/**
 * A person's action other than a review decision on a busy system (the worker stopped here; under a
 * livestream burst it is too busy): customer service agrees an after-sales refund and locks an
 * order while no worker answers. Each page says 处理中 — no error — and once the worker is back the
 * outcome shows by itself: the refund agreed once (Taobao told once), the order locked once.
 */
const SKU = 'TS-001-RED-M';
const sim = withReturnAddress(topCases());
let world: MarketWorld;
let browser: Browser;
let baseUrl: string;
let cs = '';
let shop: { shopId: string; shopKey: string };

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU]: 50 });
  baseUrl = await world.api.listen({ host: '127.0.0.1', port: 0 });
  cs = await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaochen');
  shop = await world.connectedShop(true);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** A paid order of one unit, allocated in the ERP: the platform's order and the ERP's id. */
async function allocatedOrder() {
  const order = sim.paidOrder(shop.shopKey, [{ code: SKU, priceFen: 9_900 }]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId(sim.platform, shop.shopId, order.id);
  await untilStage(world.h.db, orderId, 'allocated');
  return { order, orderId };
}

const stopWorker = () => world.worker.stop();
const startWorker = async () => {
  world.worker = await world.h.startWorker();
};

describe('web UI: other actions on a busy system', () => {
  it('shows an after-sales decision 处理中 while the worker is away, then the refund, agreed once', async () => {
    const { order } = await allocatedOrder();
    const refund = world.buyerAsks(order, {
      kind: 'refund_only',
      amountMinor: 9_900,
      reason: '拍错了',
      lineIds: [order.items[0]!.lineId],
      sellerDeadline: new Date(Date.now() + 48 * 3600_000),
    });
    const caseId = afterSaleWorkflowId(sim.platform, shop.shopId, refund.id);
    const handle = world.h.client.workflow.getHandle(caseId);
    await until(
      `case ${caseId} waiting for a decision`,
      async () =>
        (await handle.query(afterSaleStateQuery).catch(() => null))?.waiting?.code === 'case_decision',
    );
    const page = await newPage(browser);
    await signIn(page, baseUrl, cs);
    await page.goto(`${baseUrl}/app/after-sales/${encodeURIComponent(caseId)}`);
    const agree = page.getByRole('button', { name: '同意退款' });
    await agree.waitFor();
    const calls = world.agreeCalls;
    await stopWorker();
    await agree.click();
    // Not an error: the decision is on its way, and the page says so above the buttons.
    const pending = page.getByTestId('action-pending');
    await expect.poll(() => pending.textContent(), { timeout: UI_TIMEOUT }).toContain('完成后在此显示结果');
    expect(await page.getByTestId('decision-problem').count()).toBe(0);
    expect(world.agreeCalls).toBe(calls);

    await startWorker();
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    await expect.poll(() => pending.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await page.getByTestId('decision-problem').count()).toBe(0);
    expect(await agree.count()).toBe(0);
    expect(world.agreeCalls - calls).toBe(1);
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 9_900 });
    expect((await world.stages(caseId)).filter((s) => s === 'agreed')).toHaveLength(1);
    await page.context().close();
  });

  it('shows an order lock 处理中 while the worker is away, then the order locked, once', async () => {
    const { orderId } = await allocatedOrder();
    const page = await newPage(browser);
    await signIn(page, baseUrl, cs);
    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(orderId)}`);
    const lock = page.getByRole('button', { name: /锁\s*定/ });
    await lock.waitFor();
    await stopWorker();
    await page.getByLabel('锁定原因').fill('买家来电要求改地址');
    await lock.click();
    const pending = page.getByTestId('action-pending');
    await expect.poll(() => pending.textContent(), { timeout: UI_TIMEOUT }).toContain('完成后在此显示结果');
    // The order's live state is lost meanwhile (a warning); no error.
    expect(await page.locator('.ant-alert-error').count()).toBe(0);

    await startWorker();
    await page.getByRole('button', { name: /解\s*锁/ }).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => pending.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await page.locator('.ant-alert-error').count()).toBe(0);
    // The page shows the order locked from its live state, which may come a moment before the
    // workflow has written the event on a busy machine: the event is waited for, then counted.
    const locks = () =>
      world.h.db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', orderId)
        .where('stage', '=', 'locked')
        .execute();
    await expect.poll(async () => (await locks()).length, { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    expect(await locks()).toHaveLength(1);
    await page.context().close();
  });
});

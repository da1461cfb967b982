import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { startMarketWorld, type MarketWorld } from '../support/market-cases.js';
import { topCases, withReturnAddress } from '../support/top-cases.js';
import {
  untilStage,
  expectNoUnlabelled,
  launchBrowser,
  newPage,
  signIn,
  UI_TIMEOUT,
  until,
} from './browser.js';

/**
 * Finance's approval of a marketplace refund in a real browser, on the dev server and the simulated
 * TOP gateway: a Taobao refund above the shop's `settings.refundApprovalAboveFen` that customer
 * service agreed shows 批准退款 / 不批准 to finance and not to customer service (who is told it waits
 * for finance, and whose forged request the API refuses with 403); finance approves it and the
 * case moves on — Taobao is told once and the case ends refunded.
 */
const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
/** The shop's limit: ¥100.00; line 2 (¥168.00) is above it. */
const LIMIT_FEN = 10_000;

const sim = withReturnAddress(topCases());
let world: MarketWorld;
let browser: Browser;
let baseUrl: string;
const keys = { cs: '', finance: '' };
let caseId = '';
let order: SimOrder;

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
  baseUrl = await world.api.listen({ host: '127.0.0.1', port: 0 });
  keys.cs = await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaoli');
  keys.finance = await apiKeyFor(world.h.db, ['finance'], 'fin-wang');

  const shop = await world.connectedShop(true, { refundApprovalAboveFen: LIMIT_FEN });
  order = sim.paidOrder(shop.shopKey, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId(sim.platform, shop.shopId, order.id);
  await untilStage(world.h.db, orderId, 'allocated');
  const refund = world.buyerAsks(order, {
    kind: 'refund_only',
    amountMinor: 16_800,
    reason: '拍错了',
    lineIds: [order.items[1]!.lineId],
    sellerDeadline: new Date(Date.now() + 48 * 3600_000),
  });
  caseId = afterSaleWorkflowId(sim.platform, shop.shopId, refund.id);
  const handle = world.h.client.workflow.getHandle(caseId);
  const waiting = async () => (await handle.query(afterSaleStateQuery).catch(() => null))?.waiting?.code;
  await until(`case ${caseId} waiting for a decision`, async () => (await waiting()) === 'case_decision');
  const agreed = await world.api.inject({
    method: 'POST',
    url: `/after-sales/${encodeURIComponent(caseId)}/decisions`,
    headers: bearer(keys.cs),
    payload: { decision: 'agree' },
  });
  expect(agreed.statusCode, agreed.body).toBe(200);
  await until(`case ${caseId} waiting for finance`, async () => {
    const row = await world.caseRow(caseId);
    return (await waiting()) === 'case_finance_approval' && row?.status === 'open';
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

const caseUrl = () => `${baseUrl}/app/after-sales/${encodeURIComponent(caseId)}`;

describe('财务审批 in the browser', () => {
  it('customer service sees the case wait for finance, without the buttons, and its forged approval is refused', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(caseUrl());
    await page.getByText('等待财务审批：超过店铺审批限额的退款需要财务批准').waitFor();
    expect(await page.getByRole('button', { name: '批准退款' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '不批准' }).count()).toBe(0);
    const calls = world.agreeCalls;
    const forged = await page.evaluate<{ status: number }>(`(async () => {
        const res = await fetch(${JSON.stringify(`/after-sales/${encodeURIComponent(caseId)}/approval`)}, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': 'forged-approval-1',
            authorization: 'Bearer ' + localStorage.getItem('erp.token'),
          },
          body: JSON.stringify({ decision: 'approve' }),
        });
        return { status: res.status };
      })()`);
    expect(forged.status).toBe(403);
    // Nothing moved: Taobao was told nothing and the case still waits for finance.
    expect(world.agreeCalls).toBe(calls);
    expect(world.refundOf(order).status).toBe('requested');
    const state = await world.h.client.workflow.getHandle(caseId).query(afterSaleStateQuery);
    expect(state.waiting?.code).toBe('case_finance_approval');
    await page.context().close();
  });

  it('finance sees 批准退款 / 不批准 and approves: Taobao is told once and the case ends refunded', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.finance);
    await page.goto(caseUrl());
    const approval = page.getByTestId('finance-approval');
    await approval.waitFor();
    const approve = approval.getByRole('button', { name: '批准退款' });
    const reject = approval.getByRole('button', { name: '不批准' });
    await approve.waitFor();
    // No rejection without a reason.
    expect(await reject.isDisabled()).toBe(true);
    await expectNoUnlabelled(page);
    const calls = world.agreeCalls;
    await approval.getByLabel('备注（不批准时必填原因）').fill('已核对订单金额');
    expect(await reject.isDisabled()).toBe(false);
    await approve.click();
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('财务已批准');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    expect(await timeline.textContent()).toContain('fin-wang');
    expect(await page.getByRole('button', { name: '批准退款' }).count()).toBe(0);
    expect(world.agreeCalls - calls).toBe(1);
    expect(world.refundOf(order)).toMatchObject({ status: 'refunded', amountMinor: 16_800 });
    const row = await world.caseRow(caseId);
    expect(row?.status).toBe('refunded');
    await page.context().close();
  });
});

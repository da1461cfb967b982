import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor } from '../auth/support.js';
import { createShop, LARGE_AMOUNT_ORDER, orderPush, seedCatalog } from '../support/fixtures.js';
import { submitOrder } from '../support/intake.js';
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
 * Customer service and finance each walk the web UI in a real Chromium against the real stack (the
 * API serving the built UI, a worker, Temporal, PostgreSQL, the simulated Taobao gateway): each sees
 * the pages and actions docs/access.md gives its role and not the others, and the API refuses the
 * request a hidden button would have sent (403). The after-sales case runs through both: customer
 * service agrees a refund above the shop's approval limit, finance approves it.
 */
const SKU_A = 'TS-001-RED-M';
const SKU_B = 'TEA-003-250G';
const sim = withReturnAddress(topCases());
let world: MarketWorld;
let baseUrl: string;
let browser: Browser;
let jdShop: string;
const keys = { cs: '', finance: '' };
/** Orders held for review: by customer service's stage (a buyer remark) and finance's (a large amount). */
const held = { cs: '', csPlatformId: '', finance: '', financePlatformId: '' };
/** A Taobao refund of ¥168 in a shop whose approval limit is ¥100. */
let caseId = '';

async function pushHeld(overrides: Partial<OrderPush>): Promise<{ id: string; platformOrderId: string }> {
  const order = orderPush(overrides);
  const res = await submitOrder(world.api, { platform: 'jd', shopId: jdShop, order }, world.ops);
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('jd', jdShop, order.platformOrderId);
  await until(`order ${id} held`, async () => {
    const row = await world.h.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.status === 'held';
  });
  return { id, platformOrderId: order.platformOrderId };
}

beforeAll(async () => {
  world = await startMarketWorld(sim, { [SKU_A]: 50, [SKU_B]: 50 });
  baseUrl = await world.api.listen({ host: '127.0.0.1', port: 0 });
  await seedCatalog(world.h.db);
  jdShop = await createShop(world.h.db, 'jd');
  keys.cs = await apiKeyFor(world.h.db, ['customer-service'], 'kefu-xiaoli');
  keys.finance = await apiKeyFor(world.h.db, ['finance'], 'caiwu-wang');

  const remark = await pushHeld({ buyerRemark: '请核对颜色再发' });
  held.cs = remark.id;
  held.csPlatformId = remark.platformOrderId;
  const large = await pushHeld({
    ...LARGE_AMOUNT_ORDER,
  });
  held.finance = large.id;
  held.financePlatformId = large.platformOrderId;

  const shop = await world.connectedShop(true, { refundApprovalAboveFen: 10_000 });
  const order = sim.paidOrder(shop.shopKey, [
    { code: SKU_A, priceFen: 9_900 },
    { code: SKU_B, priceFen: 16_800 },
  ]);
  sim.store.upsert(order);
  const orderId = orderWorkflowId(sim.platform, shop.shopId, order.id);
  await untilStage(world.h.db, orderId, 'allocated');
  const now = sim.store.get(order.shopKey, order.id)!;
  const refund = world.buyerAsks(order, {
    kind: 'refund_only',
    amountMinor: 16_800,
    reason: '拍错了',
    lineIds: [now.items[1]!.lineId],
    sellerDeadline: new Date(Date.now() + 48 * 3600_000),
  });
  caseId = afterSaleWorkflowId(sim.platform, shop.shopId, refund.id);
  await until(
    `case ${caseId} waiting for a decision`,
    async () => (await world.caseRow(caseId))?.waiting_for === 'a decision',
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

const menu = (page: Page) => page.getByRole('navigation').getByRole('menuitem').allTextContents();
const queueRow = (page: Page, platformOrderId: string) =>
  page.getByTestId('review-queue').locator('tr', { hasText: platformOrderId });
const caseStatus = async () =>
  (
    await world.h.db
      .selectFrom('after_sale_cases')
      .select('status')
      .where('id', '=', caseId)
      .executeTakeFirst()
  )?.status;

/** The request a hidden button would have sent, sent anyway with the page's own credentials. */
async function forged(page: Page, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate<number>(`(async () => {
    const res = await fetch(${JSON.stringify(url)}, {
      method: ${JSON.stringify(method)},
      headers: {
        ${body === undefined ? '' : "'content-type': 'application/json',"}
        authorization: 'Bearer ' + localStorage.getItem('erp.token'),
      },
      ${body === undefined ? '' : `body: ${JSON.stringify(JSON.stringify(body))},`}
    });
    return res.status;
  })()`);
}

/** A page the role may not open, reached by its address: said so, and its first read refused. */
async function expectNotAllowed(page: Page, path: string, read: string) {
  await page.goto(`${baseUrl}/app/${path}`);
  await page.getByTestId('not-allowed').getByText('你的角色不能打开这个页面').waitFor();
  expect(await forged(page, 'GET', read)).toBe(403);
}

const enc = encodeURIComponent;

describe('role walks', () => {
  it('customer service: reviews its stage, locks and annotates orders, decides after-sales, and no more', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await expect.poll(() => menu(page)).toEqual(['审核队列', '订单', '售后', '仓库', '物流', '店铺', '规则']);

    // 审核队列: by default the holds customer service clears; finance's stage, asked for by the role
    // filter, is listed as finance's (no tick box, no 审核通过), and the API refuses it.
    await page.goto(`${baseUrl}/app/reviews`);
    await queueRow(page, held.csPlatformId).waitFor();
    expect(await queueRow(page, held.financePlatformId).count()).toBe(0);
    await queueRow(page, held.csPlatformId).click();
    await page.getByRole('button', { name: /审核通过/ }).waitFor();
    await page.goto(`${baseUrl}/app/reviews?role=finance`);
    await queueRow(page, held.financePlatformId).waitFor();
    expect(await queueRow(page, held.financePlatformId).getByRole('checkbox').isDisabled()).toBe(true);
    await queueRow(page, held.financePlatformId).click();
    await page.getByText('此阶段由 财务 审核，你的角色不能处理').waitFor();
    expect(await page.getByRole('button', { name: /审核通过/ }).count()).toBe(0);
    expect(await forged(page, 'POST', `/orders/${enc(held.finance)}/review`, { decision: 'approve' })).toBe(
      403,
    );
    await expectNoUnlabelled(page);

    // 订单: lock with a reason and add a memo; the order says so.
    await page.goto(`${baseUrl}/app/orders/${enc(held.cs)}`);
    await page.getByTestId('order-detail').waitFor();
    await page.getByLabel('锁定原因').fill('买家来电要求暂缓');
    await page.getByRole('button', { name: /锁\s*定/ }).click();
    await page.getByRole('button', { name: /解\s*锁/ }).waitFor();
    await page.getByLabel('添加备注').fill('已电话确认颜色');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await expect
      .poll(() => page.getByTestId('order-detail').textContent(), { timeout: UI_TIMEOUT })
      .toContain('已电话确认颜色');
    expect(await page.getByRole('combobox', { name: '添加标记' }).count()).toBe(1);
    await expectNoUnlabelled(page);

    // 售后: customer service agrees the refund; above the shop's limit it waits for finance, whose
    // buttons customer service does not get (and the API refuses).
    await page.goto(`${baseUrl}/app/after-sales/${enc(caseId)}`);
    await page.getByRole('button', { name: '同意退款' }).click();
    await page.getByText('等待财务审批：超过店铺审批限额的退款需要财务批准').waitFor();
    expect(await page.getByRole('button', { name: '批准退款' }).count()).toBe(0);
    expect(await page.getByTestId('finance-approval').count()).toBe(0);
    expect(await forged(page, 'POST', `/after-sales/${enc(caseId)}/approval`, { decision: 'approve' })).toBe(
      403,
    );

    // 仓库 and 物流: reads only; no wave forming, handover or label reprint, and the API refuses them.
    await page.goto(`${baseUrl}/app/warehouse?tab=waves`);
    await page.getByRole('tab', { name: '波次' }).waitFor();
    expect(await page.getByRole('button', { name: '立即生成波次' }).count()).toBe(0);
    expect(await forged(page, 'POST', '/wms/waves/flush', { warehouse: world.warehouse })).toBe(403);
    expect(await forged(page, 'POST', '/wms/exceptions/1/resolve', { resolution: 'x' })).toBe(403);
    await page.goto(`${baseUrl}/app/shipments?tab=all`);
    await page.getByRole('table').first().waitFor();
    expect(await page.getByRole('button', { name: '重打面单' }).count()).toBe(0);

    // 店铺 and 规则: no settings form, no alerts, no dry run; the API refuses them.
    await page.goto(`${baseUrl}/app/shops`);
    await page.getByRole('cell', { name: 'Test jd shop' }).waitFor();
    expect(await page.getByTestId('alerts').count()).toBe(0);
    expect(await forged(page, 'PATCH', `/shops/${enc(jdShop)}`, { settings: {} })).toBe(403);
    expect(await forged(page, 'GET', '/alerts')).toBe(403);
    await page.goto(`${baseUrl}/app/rules`);
    await page.getByRole('tabpanel', { name: '审核规则' }).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('button', { name: '试运行' }).count()).toBe(0);
    expect(await forged(page, 'POST', '/audit-rules/dry-run', {})).toBe(403);

    // Pages of other roles, opened by their address: said so, their reads refused.
    await expectNotAllowed(page, 'reports', '/reports/sales');
    await expectNotAllowed(page, 'waybill-accounts', `/shops/${enc(jdShop)}/waybill-accounts`);
    await expectNoUnlabelled(page);
    await page.context().close();
  });

  it('finance: approves its stage and the refund above the limit, reads reports, and no more', async () => {
    // Customer service agreed the refund in the walk above; it waits for finance.
    await expect
      .poll(async () => (await world.caseRow(caseId))?.waiting_for ?? '', { timeout: UI_TIMEOUT })
      .toMatch(/^finance approval of the refund/);
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.finance);
    await expect.poll(() => menu(page)).toEqual(['审核队列', '订单', '售后', '物流', '店铺', '规则', '报表']);

    // 审核队列: customer service's stage (asked for by the role filter) is theirs, and the API refuses
    // finance; finance approves its own stage.
    await page.goto(`${baseUrl}/app/reviews?role=customer-service`);
    await queueRow(page, held.csPlatformId).click();
    await page.getByText('此阶段由 客服 审核，你的角色不能处理').waitFor();
    expect(await page.getByRole('button', { name: /审核通过/ }).count()).toBe(0);
    expect(await forged(page, 'POST', `/orders/${enc(held.cs)}/review`, { decision: 'approve' })).toBe(403);
    await page.goto(`${baseUrl}/app/reviews`);
    await queueRow(page, held.financePlatformId).click();
    await page.getByRole('button', { name: /审核通过/ }).click();
    await queueRow(page, held.financePlatformId).waitFor({ state: 'detached' });
    await expect
      .poll(
        async () =>
          (
            await world.h.db
              .selectFrom('orders')
              .select('status')
              .where('id', '=', held.finance)
              .executeTakeFirst()
          )?.status,
        { timeout: UI_TIMEOUT },
      )
      .not.toBe('held');
    await expectNoUnlabelled(page);

    // 订单: finance annotates but neither locks nor flags; the buyer's name and phone are masked.
    await page.goto(`${baseUrl}/app/orders/${enc(held.cs)}`);
    await page.getByTestId('order-detail').waitFor();
    await page.getByLabel('添加备注').waitFor();
    expect(await page.getByLabel('锁定原因').count()).toBe(0);
    expect(await page.getByRole('button', { name: /解\s*锁/ }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: '添加标记' }).count()).toBe(0);
    const detail = (await page.getByTestId('order-detail').textContent()) ?? '';
    expect(detail).not.toContain('13800001234');
    expect(detail).not.toContain('文三路100号');
    expect(await forged(page, 'POST', `/orders/${enc(held.cs)}/unlock`, {})).toBe(403);
    expect(await forged(page, 'POST', `/orders/${enc(held.cs)}/flags`, { flag: 'vip' })).toBe(403);

    // 售后: the refund waiting for finance is approved here, and Taobao refunds it.
    await page.goto(`${baseUrl}/app/after-sales/${enc(caseId)}`);
    const approval = page.getByTestId('finance-approval');
    await approval.getByLabel('备注（不批准时必填原因）').fill('已核对');
    await approval.getByRole('button', { name: '批准退款' }).click();
    await expect.poll(caseStatus, { timeout: UI_TIMEOUT }).toBe('refunded');
    await expect
      .poll(() => page.getByTestId('after-sale-timeline').textContent(), { timeout: UI_TIMEOUT })
      .toContain('caiwu-wang');

    // 报表: the charts, without ops' visitor upload (refused by the API).
    await page.getByRole('navigation').getByRole('menuitem', { name: '报表' }).click();
    await page.getByRole('img', { name: '销售趋势图' }).waitFor();
    expect(await page.getByRole('button', { name: '上传访客数 CSV' }).count()).toBe(0);
    await expectNoUnlabelled(page);

    // 物流 and 店铺: reads only.
    await page.goto(`${baseUrl}/app/shipments?tab=all`);
    await page.getByRole('table').first().waitFor();
    expect(await page.getByRole('button', { name: '重打面单' }).count()).toBe(0);
    expect(await forged(page, 'POST', '/shipments/x/resolve', { action: 'lost' })).toBe(403);
    await page.goto(`${baseUrl}/app/shops`);
    await page.getByRole('cell', { name: 'Test jd shop' }).waitFor();
    expect(await page.getByTestId('alerts').count()).toBe(0);
    expect(await forged(page, 'PATCH', `/shops/${enc(jdShop)}`, { settings: {} })).toBe(403);

    // The warehouse is not finance's: not in the menu, said so by its address, its reads refused.
    await expectNotAllowed(page, 'warehouse', '/wms/waves');
    expect(await forged(page, 'POST', `/orders/${enc(held.cs)}/lock`, { reason: 'x' })).toBe(403);
    await page.context().close();
  });
});

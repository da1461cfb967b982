import type { FastifyInstance } from 'fastify';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignBin } from '../../db/queries/wms.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { OrderPush } from '../../domain/order.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { seedSku, seedStock, seedWarehouse } from '../stock/seed.js';
import { createShop, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';
import { allocatedOrder, waveOf } from '../wms/support.js';
import {
  expectNoUnlabelled,
  focused,
  focusOrder,
  launchBrowser,
  listenApi,
  newPage,
  signIn,
  UI_TIMEOUT,
} from './browser.js';

/**
 * The web UI in a real Chromium against the real stack (API serving the built UI, worker, Temporal
 * dev server with Temporal Web, PostgreSQL): what reviewers, customer service and the warehouse do.
 */
let h: Harness;
let api: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let shopId: string;
const keys: Record<'admin' | 'cs' | 'warehouse' | 'ops', string> = {
  admin: '',
  cs: '',
  warehouse: '',
  ops: '',
};
/** The customer-service reviewer's username: what the timeline records as the actor. */
const reviewer = uniqueId('xiaowang');

beforeAll(async () => {
  h = await createHarness();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'jd');
  keys.admin = await apiKeyFor(h.db, ['admin'], uniqueId('boss'));
  keys.cs = await apiKeyFor(h.db, ['customer-service'], reviewer);
  keys.warehouse = await apiKeyFor(h.db, ['warehouse'], uniqueId('cangku'));
  keys.ops = await apiKeyFor(h.db, ['ops']);
  await h.startWorker();
  ({ app: api, baseUrl } = await listenApi(h));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
});

/** An order held for customer service (its buyer remark), with a phone number of its own. */
async function pushHeld(overrides: Partial<OrderPush> = {}) {
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const base = orderPush();
  const order = orderPush({
    buyerRemark: '请核对颜色再发',
    receiver: { ...base.receiver, phone },
    ...overrides,
  });
  const res = await submitOrder(api, { platform: 'jd', shopId, order }, bearer(keys.ops));
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('jd', shopId, order.platformOrderId);
  await waitForOrderStatus(h.db, id, 'held', UI_TIMEOUT);
  return { id, order, phone };
}

const queueRow = (page: Page, platformOrderId: string) =>
  page.getByTestId('review-queue').locator('tr', { hasText: platformOrderId });

describe('web UI', () => {
  it('signs in with an API key and shows the pages the roles may open, with labelled controls in order', async () => {
    const page = await newPage(browser);
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.url()).toContain('/app/login');
    await expectNoUnlabelled(page);
    // Keyboard: the tab into the key field comes before the sign-in button.
    // Keyboard: the key field has focus on arrival, and Tab goes on to the sign-in button before
    // anything else on the page.
    await expect.poll(() => focused(page)).toBe('INPUT:API 密钥');
    const order = await focusOrder(page, 3);
    expect(order.indexOf('BUTTON:登录'), order.join(' → ')).toBeGreaterThanOrEqual(0);
    expect(order.slice(0, order.indexOf('BUTTON:登录')).every((o) => !o.startsWith('BUTTON:English'))).toBe(
      true,
    );

    await signIn(page, baseUrl, keys.cs);
    const nav = page.getByRole('navigation');
    await expect
      .poll(() => nav.getByRole('menuitem').allTextContents())
      // What GET /auth/me says customer service may open; a warehouse user gets no queue (below).
      .toEqual(['审核队列', '订单', '售后', '仓库', '物流', '店铺', '规则']);
    await expectNoUnlabelled(page);
    await page.context().close();
  });

  it('shows a held order in the queue; approving it takes it off and its timeline names the reviewer', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/reviews`);
    const row = queueRow(page, held.order.platformOrderId);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('买家留言需处理');
    await expectNoUnlabelled(page);

    // The queue refreshes by itself: what a person types meanwhile stays.
    await row.click();
    await page.getByRole('button', { name: /驳回/ }).click();
    const reason = page.getByLabel('驳回原因');
    await reason.fill('买家要求取消');
    const later = await pushHeld();
    await queueRow(page, later.order.platformOrderId).waitFor();
    expect(await reason.inputValue()).toBe('买家要求取消');
    await page
      .getByRole('button', { name: '取 消' })
      .or(page.getByRole('button', { name: '取消' }))
      .first()
      .click();

    await page.getByRole('button', { name: /审核通过/ }).click();
    await row.waitFor({ state: 'detached' });
    await waitForOrderStatus(h.db, held.id, 'awaiting_wave', UI_TIMEOUT);

    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(held.id)}`);
    const timeline = page.getByTestId('timeline');
    await expect
      .poll(() => timeline.getByTestId('timeline-actor').allTextContents(), { timeout: UI_TIMEOUT })
      .toContain(reviewer);
    // The events read in Chinese: the reviewer's approval beside the reviewer's name.
    await timeline.getByText('人工审核通过').waitFor();
    expect(await timeline.textContent()).toContain('接单');
    expect(await timeline.textContent()).not.toContain('review approved');
    await page.context().close();
  });

  it('hides the decision from a role that may not take it, and the API refuses it when forged', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.warehouse);
    expect(await page.getByRole('navigation').getByRole('menuitem', { name: '审核队列' }).count()).toBe(0);
    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(held.id)}`);
    await page.getByTestId('order-detail').waitFor();
    await page.getByText('买家留言需处理', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /审核通过/ }).count()).toBe(0);

    // The request the hidden button would have sent, sent anyway with the page's own credentials.
    const forged = await page.evaluate<{ status: number; body: { message: string } }>(`(async () => {
      const res = await fetch(${JSON.stringify(`/orders/${encodeURIComponent(held.id)}/review`)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + localStorage.getItem('erp.token') },
        body: JSON.stringify({ decision: 'approve' }),
      });
      return { status: res.status, body: await res.json() };
    })()`);
    expect(forged.status).toBe(403);
    expect(forged.body.message).toContain('POST /orders/:id/review');
    await waitForOrderStatus(h.db, held.id, 'held');
    await page.context().close();
  });

  it('shows the API’s answer to an impossible address on the field it names', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/reviews?order=${encodeURIComponent(held.id)}`);
    await page.getByTestId('order-detail').waitFor();
    // Keyboard path: "e" opens the edit form.
    await page.getByRole('button', { name: /修改订单/ }).waitFor();
    await page.keyboard.press('e');
    const province = page.getByLabel('省', { exact: true });
    await province.fill('火星省');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    const item = page.locator('.ant-form-item', { has: province });
    await expect
      .poll(() => item.locator('.ant-form-item-explain-error').textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/\S/);
    await expectNoUnlabelled(page);
    await waitForOrderStatus(h.db, held.id, 'held');
    await page.context().close();
  });

  it('finds an order by the last four digits of the phone number', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/orders`);
    await page.getByLabel('手机尾号（4 位）').fill(held.phone.slice(-4));
    await page.getByLabel('手机尾号（4 位）').press('Enter');
    await expect.poll(() => page.url()).toContain(`phoneTail=${held.phone.slice(-4)}`);
    await page.getByRole('link', { name: held.order.platformOrderId }).click();
    await page.getByTestId('order-detail').waitFor();
    await page.getByText(held.phone).first().waitFor();
    await page.context().close();
  });

  it('resolves a pick exception from the warehouse page', async () => {
    const warehouse = await seedWarehouse(h.db);
    const sku = await seedSku(h.db);
    await seedStock(h.db, warehouse, sku, 10);
    await assignBin(h.db, { warehouse, bin: 'A-01-02-1', sku });
    const orders = await allocatedOrder(h.db, [{ sku, qty: 2 }]);
    const wave = await waveOf(h.db, warehouse, orders);
    const res = await api.inject({
      method: 'POST',
      url: '/wms/pick-confirmations',
      headers: bearer(keys.warehouse),
      payload: { waveId: wave.waveId, line: wave.pickList[0]!.seq, outcome: 'short_picked', qty: 1 },
    });
    expect(res.statusCode, res.body).toBe(200);

    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.warehouse);
    await page.getByRole('navigation').getByRole('menuitem', { name: '仓库' }).click();
    const row = page.getByTestId('wms-exceptions').locator('tr', { hasText: sku });
    await row.waitFor();
    await row.getByRole('button', { name: /处\s*理/ }).click();
    await page.getByLabel('处理结果').fill('库位盘点后补足两件，已重新拣货');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /处\s*理/ })
      .click();
    await row.waitFor({ state: 'detached' });
    const stored = await h.db
      .selectFrom('wms_exceptions')
      .select(['status', 'resolution'])
      .where('sku_code', '=', sku)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'resolved', resolution: '库位盘点后补足两件，已重新拣货' });
    await page.context().close();
  });

  it('opens the order’s workflow in Temporal Web from its link', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.admin);
    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(held.id)}`);
    const link = page.getByTestId('temporal-link');
    await link.waitFor();
    const [popup] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    expect(decodeURIComponent(popup.url())).toContain(`/workflows/${held.id}`);
    // Temporal Web renders the workflow it was asked for: its id, and the order's search attributes.
    await popup.getByText(held.id).first().waitFor({ timeout: UI_TIMEOUT });
    await page.context().close();
  });
});

const isReview = (r: Request) =>
  r.method() === 'POST' && /\/orders\/[^/]+\/review$/.test(new URL(r.url()).pathname);

describe('web UI: bulk approval and the waiting state in words', () => {
  it('says what a held order waits for in Chinese, and in the API’s English when switched', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(held.id)}`);
    const waiting = page.getByTestId('waiting-for');
    await expect
      .poll(() => waiting.textContent(), { timeout: UI_TIMEOUT })
      .toBe('等待客服审核（客审：买家留言需处理）');
    await page.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => waiting.textContent(), { timeout: UI_TIMEOUT })
      .toBe('review by customer-service (stage 1: buyer_remark)');
    await page.context().close();
  });

  it('approves the ticked orders a few at a time, each answer shown as it arrives', async () => {
    const orders = [];
    for (let i = 0; i < 7; i += 1) orders.push(await pushHeld());
    const [slow, ...rest] = orders as [(typeof orders)[0], ...typeof orders];
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/reviews`);
    for (const o of orders) {
      const row = queueRow(page, o.order.platformOrderId);
      await row.waitFor();
      await row.locator('input[type="checkbox"]').check();
    }

    // Requests in flight at once; the first order's approval is held back until the others answered.
    let inFlight = 0;
    let most = 0;
    page.on('request', (r) => {
      if (isReview(r)) most = Math.max(most, ++inFlight);
    });
    const done = (r: Request) => {
      if (isReview(r)) inFlight -= 1;
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => decodeURIComponent(url.pathname) === `/orders/${slow.id}/review`,
      async (route) => {
        await gate;
        await route.continue();
      },
    );

    const started = Date.now();
    await page.getByRole('button', { name: /批量通过（7）/ }).click();
    const results = page.getByTestId('bulk-results');
    const state = (platformOrderId: string) =>
      results.getByTestId('bulk-result').filter({ hasText: platformOrderId }).getAttribute('data-state');
    // Every other order's answer arrives while the first is still on its way: not one after another.
    for (const o of rest)
      await expect.poll(() => state(o.order.platformOrderId), { timeout: UI_TIMEOUT }).toBe('ok');
    expect(await state(slow.order.platformOrderId)).toBe('sending');
    expect(await results.textContent()).toContain('审核中');
    release();
    await expect.poll(() => state(slow.order.platformOrderId), { timeout: UI_TIMEOUT }).toBe('ok');
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `[bulk-review] 7 approvals answered in ${seconds.toFixed(1)} s, at most ${most} at once\n`,
    );
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    expect(await page.getByRole('dialog').textContent()).toContain('已完成 7/7');

    for (const o of orders) await waitForOrderStatus(h.db, o.id, 'awaiting_wave', UI_TIMEOUT);
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    for (const o of orders) await queueRow(page, o.order.platformOrderId).waitFor({ state: 'detached' });
    await page.context().close();
  });
});

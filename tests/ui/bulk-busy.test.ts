import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness, type RunningWorker } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';
import { launchBrowser, listenApi, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * 批量通过 while the worker does not answer (stopped here; under a livestream burst it is too busy):
 * the reviewer sees every order 处理中 — none failed — within seconds, and once the worker is back
 * each order's own answer (已通过, or 已离开队列 for one decided elsewhere meanwhile), every approved
 * order leaving the queue, each approved once.
 */
let h: Harness;
let api: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let shopId: string;
let worker: RunningWorker;
const keys = { cs: '', colleague: '', ops: '' };

beforeAll(async () => {
  h = await createHarness();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'jd');
  keys.cs = await apiKeyFor(h.db, ['customer-service'], uniqueId('xiaowang'));
  keys.colleague = await apiKeyFor(h.db, ['customer-service'], uniqueId('xiaozhang'));
  keys.ops = await apiKeyFor(h.db, ['ops']);
  worker = await h.startWorker();
  ({ app: api, baseUrl } = await listenApi(h));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
});

async function pushHeld() {
  const order = orderPush({ buyerRemark: '请核对颜色再发' });
  const res = await submitOrder(api, { platform: 'jd', shopId, order }, bearer(keys.ops));
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('jd', shopId, order.platformOrderId);
  await waitForOrderStatus(h.db, id, 'held', UI_TIMEOUT);
  return { id, platformOrderId: order.platformOrderId };
}

const approvals = async (id: string) =>
  (
    await h.db
      .selectFrom('order_events')
      .select('stage')
      .where('order_id', '=', id)
      .where('stage', '=', 'review_approved')
      .execute()
  ).length;

describe('web UI: bulk approval on a busy system', () => {
  it('shows every order 处理中 while the worker is away, then each answer, and the approved leave the queue', async () => {
    const orders: { id: string; platformOrderId: string }[] = [];
    for (let i = 0; i < 8; i += 1) orders.push(await pushHeld());
    const taken = orders[3]!;
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/reviews`);
    // The list stays as the reviewer saw it (no refresh), as when ticking a long selection.
    await page.getByRole('switch', { name: '自动刷新' }).click();
    const queue = page.getByTestId('review-queue');
    for (const o of orders) {
      const row = queue.locator('tr', { hasText: o.platformOrderId });
      await row.waitFor();
      await row.locator('input[type="checkbox"]').check();
    }

    // A colleague approves one of them meanwhile.
    const desk = await api.inject({
      method: 'POST',
      url: `/orders/${encodeURIComponent(taken.id)}/review`,
      headers: bearer(keys.colleague),
      payload: { decision: 'approve' },
    });
    expect(desk.statusCode, desk.body).toBe(200);
    // The worker goes away.
    await worker.stop();

    const started = Date.now();
    await page.getByRole('button', { name: /批量通过（8）/ }).click();
    const results = page.getByTestId('bulk-results');
    const states = async () =>
      Promise.all(
        orders.map((o) =>
          results
            .getByTestId('bulk-result')
            .filter({ hasText: o.platformOrderId })
            .getAttribute('data-state'),
        ),
      );
    // Every order answered "still processing" — none failed, none left waiting on another.
    await expect.poll(states, { timeout: UI_TIMEOUT }).toEqual(orders.map(() => 'pending'));
    const firstAnswers = (Date.now() - started) / 1000;
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('处理中 8');
    expect(await results.textContent()).toContain('完成后在此显示结果');
    // The queue marks them, and they cannot be ticked again for a second approval.
    const row = queue.locator('tr', { hasText: orders[0]!.platformOrderId });
    expect(await row.textContent()).toContain('审核中');
    expect(await row.locator('input[type="checkbox"]').isDisabled()).toBe(true);

    // The worker is back: each order's own answer arrives by itself.
    const back = Date.now();
    worker = await h.startWorker();
    await expect
      .poll(states, { timeout: UI_TIMEOUT })
      .toEqual(orders.map((o) => (o === taken ? 'left' : 'ok')));
    const answered = (Date.now() - back) / 1000;
    process.stdout.write(
      `[bulk-review-busy] 8 approvals with the worker stopped: every order 处理中 in ${firstAnswers.toFixed(1)} s; ` +
        `every answer ${answered.toFixed(1)} s after the worker came back\n`,
    );
    expect(await dialog.textContent()).toContain('已完成 8/8');
    expect(
      await results.getByTestId('bulk-result').filter({ hasText: taken.platformOrderId }).textContent(),
    ).toContain('已离开队列');

    for (const o of orders) {
      await waitForOrderStatus(h.db, o.id, 'awaiting_wave', UI_TIMEOUT);
      expect(await approvals(o.id), o.id).toBe(1);
    }
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    for (const o of orders)
      await queue.locator('tr', { hasText: o.platformOrderId }).waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('shows a single approval as 处理中 while the worker is away, and the order leaves the queue once it is back', async () => {
    const held = await pushHeld();
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/reviews?order=${encodeURIComponent(held.id)}`);
    const approve = page.getByRole('button', { name: /审核通过/ });
    await approve.waitFor();
    await worker.stop();
    await approve.click();
    // Not an error: the decision is on its way, and the page says so above the buttons.
    const pending = page.getByTestId('review-pending');
    await expect.poll(() => pending.textContent(), { timeout: UI_TIMEOUT }).toContain('完成后在此显示结果');
    expect(await page.getByTestId('review-problem').count()).toBe(0);
    // The order's live state is lost too (its workflow does not answer): the holds and the buttons
    // go, the message stays.
    await expect
      .poll(() => page.getByTestId('waiting-for').textContent(), { timeout: UI_TIMEOUT })
      .toContain('暂不可用');
    await expect.poll(() => approve.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await pending.textContent()).toContain('完成后在此显示结果');
    worker = await h.startWorker();
    await page
      .getByTestId('review-queue')
      .locator('tr', { hasText: held.platformOrderId })
      .waitFor({ state: 'detached' });
    await waitForOrderStatus(h.db, held.id, 'awaiting_wave', UI_TIMEOUT);
    // The list may refresh before the page's next ask has the answer: the message goes with it.
    await expect.poll(() => pending.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await approvals(held.id)).toBe(1);
    expect(await page.getByTestId('review-problem').count()).toBe(0);
    await page.context().close();
  });
});

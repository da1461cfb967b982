import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseRowOf, caseStages, startOwnStoreWorld, type OwnStoreWorld } from '../after-sales/world.js';
import { apiKeyFor } from '../auth/support.js';
import { orderPush, uniqueId } from '../support/fixtures.js';
import { launchBrowser, UI_TIMEOUT, until, untilStage } from './browser.js';
import { expectOnce, expectPending, expectSettled, goBusy, openSignedIn, startWorker } from './busy.js';

/**
 * 重新退款 on a busy system (the worker stopped; busy-actions.test.ts does the other after-sales
 * decisions): an own-store refund Alipay refused (the trade was not there yet) waits for a person;
 * once the payment is there, customer service retries it while no worker answers. The page says
 * 处理中 — no error — and once the worker is back the refund shows, sent to Alipay once.
 */
let world: OwnStoreWorld;
let browser: Browser;
let baseUrl: string;
let cs = '';

beforeAll(async () => {
  // The order waits for its wave throughout: nothing but the refund moves it.
  world = await startOwnStoreWorld('own-retry', { settings: { WAVE_WINDOW_SECONDS: '3600' } });
  baseUrl = await world.api.listen({ host: '127.0.0.1', port: 0 });
  cs = await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaoyu');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('web UI: 重新退款 on a busy system', () => {
  it('shows 重新退款 处理中 while the worker is away, then the refund, sent to Alipay once', async () => {
    const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'b**r' } });
    await untilStage(world.h.db, await world.placeOrder(push), 'allocated');
    // The buyer paid under a trade Alipay does not have yet: the agreed refund is refused, stuck.
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    const pushed = await world.pushCase({
      caseId: uniqueId('RF').replace(/[^A-Za-z0-9_.-]/g, ''),
      platformOrderId: push.platformOrderId,
      kind: 'refund_only',
      reason: '拍错了',
      createdAt: new Date().toISOString(),
      lines: [{ lineId: '1', quantity: 1, refundFen: 6_000 }],
      payment: { channel: 'alipay', outTradeNo },
    });
    expect(pushed.statusCode, pushed.body).toBe(202);
    const caseId = (pushed.json() as { caseId: string }).caseId;
    await until(
      `case ${caseId} waiting for a decision`,
      async () => (await caseRowOf(world.h.db, caseId))?.waiting_for === 'a decision',
    );
    await world.agree(caseId);

    const page = await openSignedIn(
      browser,
      baseUrl,
      cs,
      `${baseUrl}/app/after-sales/${encodeURIComponent(caseId)}`,
    );
    const retry = page.getByTestId('retry-refund');
    await retry.waitFor({ timeout: UI_TIMEOUT });
    // The payment is there now; the person retries while no worker answers.
    const { alipay } = world.sandbox.payments;
    alipay.book.openTrade({ outTradeNo, totalFen: 17_800 });
    await retry.getByLabel('备注（已处理的问题）').fill('支付单已到账');
    await goBusy(page, world);
    await retry.getByRole('button', { name: '重新退款' }).click();
    await expectPending(page);
    expect(alipay.book.refundsOf(outTradeNo)).toEqual([]);

    await startWorker(world);
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    expect(await timeline.textContent()).toContain('支付单已到账');
    expect(await timeline.textContent()).toContain('cs-xiaoyu');
    await expectSettled(page);
    expect(await page.getByRole('button', { name: '重新退款' }).count()).toBe(0);
    await expectOnce(
      async () => (await caseStages(world.h.db, caseId)).filter((s) => s === 'retried').length,
    );
    expect(alipay.book.refundsOf(outTradeNo)).toEqual([
      expect.objectContaining({ amountFen: 6_000, status: 'SUCCESS' }),
    ]);
    await page.context().close();
  });
});

import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { renderOwnPush } from '../../integrations/platforms/own/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { pushOwnCase } from '../after-sales/world.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { registerShop } from '../capture/support.js';
import { orderPush, seedCatalog, TEST_SKU, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness, type RunningWorker } from '../support/harness.js';
import { launchBrowser, newPage, signIn, UI_TIMEOUT, until, untilStage } from './browser.js';
import { expectOnce, expectPending, expectSettled, startWorker, stopWorker, watchErrors } from './busy.js';

/**
 * 重新退款 on a busy system (the worker stopped; busy-actions.test.ts does the other after-sales
 * decisions): an own-store refund Alipay refused (the trade was not there yet) waits for a person;
 * once the payment is there, customer service retries it while no worker answers. The page says
 * 处理中 — no error — and once the worker is back the refund shows, sent to Alipay once.
 */
const storeId = uniqueId('own-retry');
let h: Harness;
let app: FastifyInstance;
let sandbox: Sandbox;
let browser: Browser;
let baseUrl: string;
let cs = '';
const world = {} as { h: Harness; worker: RunningWorker };

beforeAll(async () => {
  sandbox = await startSandbox({ shopIds: { own: storeId } });
  const { alipay } = sandbox.payments.accounts;
  h = await createHarness({
    ALIPAY_BASE_URL: sandbox.payments.baseUrls.alipay,
    ALIPAY_APP_ID: alipay.appId,
    ALIPAY_APP_PRIVATE_KEY: alipay.appPrivateKey,
    ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
  });
  app = await h.api();
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  await seedCatalog(h.db);
  await setupWarehouse(h.db, { stock: { [TEST_SKU.code]: 20 } });
  cs = await apiKeyFor(h.db, ['customer-service'], 'cs-xiaoyu');
  const admin = bearer(await apiKeyFor(h.db, ['admin'])) as { authorization: string };
  await registerShop(app, admin, sandbox.shop('own'));
  world.h = h;
  world.worker = await h.startWorker();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
  await sandbox?.stop();
});

describe('web UI: 重新退款 on a busy system', () => {
  it('shows 重新退款 处理中 while the worker is away, then the refund, sent to Alipay once', async () => {
    const push = orderPush({ buyer: { id: uniqueId('buyer'), nick: 'b**r' } });
    const rendered = renderOwnPush(sandbox.own.webhookSecret, push);
    const placed = await app.inject({
      method: 'POST',
      url: `/webhooks/own/${storeId}`,
      headers: rendered.headers,
      payload: rendered.body,
    });
    expect(placed.statusCode, placed.body).toBe(202);
    await untilStage(h.db, orderWorkflowId('own', storeId, push.platformOrderId), 'allocated');
    // The buyer paid under a trade Alipay does not have yet: the agreed refund is refused, stuck.
    const outTradeNo = uniqueId('PAY').replace(/[^A-Za-z0-9_-]/g, '');
    const pushed = await pushOwnCase(app, storeId, sandbox.own.webhookSecret, {
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
    const waitingFor = async () =>
      (
        await h.db
          .selectFrom('after_sale_cases')
          .select('waiting_for')
          .where('id', '=', caseId)
          .executeTakeFirst()
      )?.waiting_for;
    await until(`case ${caseId} waiting for a decision`, async () => (await waitingFor()) === 'a decision');
    const agreed = await app.inject({
      method: 'POST',
      url: `/after-sales/${encodeURIComponent(caseId)}/decisions`,
      headers: bearer(cs),
      payload: { decision: 'agree' },
    });
    expect(agreed.statusCode, agreed.body).toBe(200);

    const page = await newPage(browser);
    await signIn(page, baseUrl, cs);
    await page.goto(`${baseUrl}/app/after-sales/${encodeURIComponent(caseId)}`);
    const retry = page.getByTestId('retry-refund');
    await retry.waitFor({ timeout: UI_TIMEOUT });
    // The payment is there now; the person retries while no worker answers.
    sandbox.payments.alipay.book.openTrade({ outTradeNo, totalFen: 17_800 });
    await retry.getByLabel('备注（已处理的问题）').fill('支付单已到账');
    await watchErrors(page);
    await stopWorker(world);
    await retry.getByRole('button', { name: '重新退款' }).click();
    await expectPending(page);
    expect(sandbox.payments.alipay.book.refundsOf(outTradeNo)).toEqual([]);

    await startWorker(world);
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    expect(await timeline.textContent()).toContain('支付单已到账');
    expect(await timeline.textContent()).toContain('cs-xiaoyu');
    await expectSettled(page);
    expect(await page.getByRole('button', { name: '重新退款' }).count()).toBe(0);
    await expectOnce(
      async () =>
        (
          await h.db
            .selectFrom('after_sale_events')
            .select('stage')
            .where('case_id', '=', caseId)
            .where('stage', '=', 'retried')
            .execute()
        ).length,
    );
    expect(sandbox.payments.alipay.book.refundsOf(outTradeNo)).toEqual([
      expect.objectContaining({ amountFen: 6_000, status: 'SUCCESS' }),
    ]);
    await page.context().close();
  });
});

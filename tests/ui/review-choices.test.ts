import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop, createSku, orderPush, seedCatalog } from '../support/fixtures.js';
import {
  setupCarrierAccounts,
  setupWarehouse,
  startCarrierSandbox,
  type CarrierSandboxServer,
} from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForState } from '../support/waits.js';
import { expectNoUnlabelled, launchBrowser, listenApi, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * A hold whose approval carries a choice: an order no single warehouse can ship, in a shop that
 * splits only when a person says so. Ops chooses 拆成多个包裹发出 beside 审核通过 in the browser,
 * and the order ships from both warehouses; the default (wait and ship together) is what the
 * button does without a choice.
 */
let h: Harness;
let api: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let carriers: CarrierSandboxServer;
let shopId: string;
let ops = '';

beforeAll(async () => {
  carriers = await startCarrierSandbox();
  h = await createHarness(carriers.env);
  await seedCatalog(h.db);
  shopId = await createShop(h.db, 'taobao', { splitShipments: 'ask' });
  await setupCarrierAccounts(h.db, shopId);
  ops = await apiKeyFor(h.db, ['ops']);
  await h.startWorker();
  ({ app: api, baseUrl } = await listenApi(h));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
  await carriers?.close();
});

it('ops splits an order no single warehouse can ship by choosing 拆成多个包裹发出 before 审核通过', async () => {
  const [left, right] = [await createSku(h.db), await createSku(h.db)];
  const w1 = await setupWarehouse(h.db, { stock: { [left]: 3 } });
  const w2 = await setupWarehouse(h.db, { stock: { [right]: 3 } });
  const base = orderPush();
  const order = orderPush({
    lines: [left, right].map((skuCode, i) => ({
      ...base.lines[0]!,
      lineId: `L${i + 1}`,
      platformSkuId: `P${i + 1}`,
      skuCode,
      quantity: 1,
    })),
    amounts: { ...base.amounts, goodsFen: base.lines[0]!.unitPriceFen * 2 },
  });
  order.amounts.paidFen = order.amounts.goodsFen - order.amounts.discountFen + order.amounts.shippingFen;
  const res = await submitOrder(api, { platform: 'taobao', shopId, order }, bearer(ops));
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('taobao', shopId, order.platformOrderId);
  const held = await waitForState(h.client, id, (s) => s.status === 'held');
  expect(held.holds.map((x) => x.reason)).toContain('split_shipment');

  const page = await newPage(browser);
  await signIn(page, baseUrl, ops);
  await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(id)}`);
  const choice = page.getByRole('radiogroup', { name: '发货方式' });
  await choice.waitFor({ timeout: UI_TIMEOUT });
  expect(await page.getByLabel('等待到货，整单发出').isChecked()).toBe(true);
  await page.getByLabel('拆成多个包裹发出').check();
  await expectNoUnlabelled(page);
  await page.getByRole('button', { name: /审核通过/ }).click();

  const split = await waitForState(h.client, id, (s) => s.parcels.length === 2);
  expect(split.parcels.map((p) => p.warehouse).sort()).toEqual([w1, w2].sort());
  await expect
    .poll(() => page.getByRole('radiogroup', { name: '发货方式' }).count(), { timeout: UI_TIMEOUT })
    .toBe(0);
  await page.context().close();
});

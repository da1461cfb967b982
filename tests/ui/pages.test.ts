import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignBin } from '../../db/queries/wms.js';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { seedSku, seedStock, seedWarehouse } from '../stock/seed.js';
import { createShop, LARGE_AMOUNT_ORDER, orderPush, seedCatalog } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { allocatedOrder, waveOf } from '../wms/support.js';
import {
  expectNoUnlabelled,
  launchBrowser,
  listenApi,
  newPage,
  signIn,
  UI_TIMEOUT,
  until,
} from './browser.js';

/**
 * Every page of the web UI opens for an admin without an error, with labelled controls, and is
 * photographed: into tests/.tmp, or into docs/ui when `npm run ui:screenshots` runs this file.
 */
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? 'tests/.tmp/ui-screenshots');

let h: Harness;
let browser: Browser;
let baseUrl: string;
let page: Page;
let heldIds: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  const shopId = await createShop(h.db, 'taobao');
  const admin = await apiKeyFor(h.db, ['admin'], 'admin');
  await h.startWorker();
  const listening = await listenApi(h);
  baseUrl = listening.baseUrl;

  // Something to look at: orders held for each review stage, and a short pick in the warehouse.
  const holds = [
    { buyerRemark: '请周五前送达，礼品包装' },
    {
      buyerRemark: '发票抬头：杭州某某科技有限公司',
      ...LARGE_AMOUNT_ORDER,
    },
    { buyerRemark: '不要放快递柜，电话联系' },
  ];
  heldIds = [];
  for (const overrides of holds) {
    const order = orderPush(overrides);
    const res = await submitOrder(listening.app, { platform: 'taobao', shopId, order }, bearer(admin));
    expect(res.statusCode, res.body).toBe(202);
    heldIds.push(orderWorkflowId('taobao', shopId, order.platformOrderId));
  }
  for (const id of heldIds) {
    await until(`order ${id} held`, async () => {
      const row = await h.db.selectFrom('orders').select('status').where('id', '=', id).executeTakeFirst();
      return row?.status === 'held';
    });
  }
  const warehouse = await seedWarehouse(h.db);
  const sku = await seedSku(h.db);
  await seedStock(h.db, warehouse, sku, 10);
  await assignBin(h.db, { warehouse, bin: 'A-01-02-1', sku });
  const wave = await waveOf(h.db, warehouse, await allocatedOrder(h.db, [{ sku, qty: 2 }]));
  const short = await listening.app.inject({
    method: 'POST',
    url: '/wms/pick-confirmations',
    headers: bearer(admin),
    payload: { waveId: wave.waveId, line: wave.pickList[0]!.seq, outcome: 'short_picked', qty: 1 },
  });
  expect(short.statusCode, short.body).toBe(200);

  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await newPage(browser);
  await page.goto(`${baseUrl}/app/login`);
  await page.getByRole('textbox', { name: 'API 密钥' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'login.png') });
  await signIn(page, baseUrl, admin);
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
});

/** Opens a page, waits for what shows it loaded, checks it and photographs it. */
async function visit(name: string, url: string, ready: (page: Page) => Promise<unknown>) {
  await page.goto(`${baseUrl}${url}`);
  await ready(page);
  // Tables finish loading (their spinners gone) before the picture.
  await expect.poll(() => page.locator('.ant-spin-spinning').count(), { timeout: UI_TIMEOUT }).toBe(0);
  expect(await page.locator('.ant-alert-error').count()).toBe(0);
  await expectNoUnlabelled(page);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('every page', () => {
  it('审核队列: the queue with an order open beside it', async () => {
    await visit('reviews', `/app/reviews?order=${encodeURIComponent(heldIds[0]!)}`, (p) =>
      p
        .getByTestId('order-detail')
        .getByRole('button', { name: /审核通过/ })
        .waitFor(),
    );
  });

  it('订单: the list, and one order with its timeline and link to Temporal Web', async () => {
    await visit('orders', '/app/orders', (p) => p.getByRole('link').first().waitFor());
    await visit('order-detail', `/app/orders/${encodeURIComponent(heldIds[1]!)}`, (p) =>
      p.getByTestId('temporal-link').waitFor(),
    );
  });

  it('仓库: pick exceptions, waves and stock', async () => {
    await visit('warehouse-exceptions', '/app/warehouse?tab=exceptions', (p) =>
      p.getByTestId('wms-exceptions').getByRole('button', { name: '处理' }).first().waitFor(),
    );
    await visit('warehouse-waves', '/app/warehouse?tab=waves', (p) => p.getByRole('cell').first().waitFor());
    // 立即生成波次 with nobody waiting for a wave: the API's answer shows beside the button.
    const waves = page.getByRole('tabpanel', { name: '波次' });
    await waves.getByRole('combobox', { name: '仓库' }).click();
    await page.locator('.ant-select-item-option').first().click();
    await waves.getByRole('button', { name: '立即生成波次' }).click();
    await waves.getByText(/^仓库“.+”没有等待波次的订单$/).waitFor();
    await visit('warehouse-stock', '/app/warehouse?tab=stock', (p) => p.getByRole('cell').first().waitFor());
  });

  it('物流, 店铺 and 规则 (with a dry run of the rules in force)', async () => {
    await visit('shipments', '/app/shipments?tab=all', (p) => p.getByRole('table').first().waitFor());
    await visit('shops', '/app/shops', (p) => p.getByRole('cell', { name: 'Test taobao shop' }).waitFor());
    await visit('waybill-accounts-empty', '/app/waybill-accounts', (p) =>
      p.getByText('这个店铺还没有面单账号').waitFor(),
    );
    await visit('rules', '/app/rules', async (p) => {
      await p.getByRole('button', { name: '试运行' }).first().click();
      await p.getByTestId('dry-run').waitFor();
    });
    // Each default rule says what it is and when it applies in Chinese; the JSON only when asked for.
    const audit = page.getByRole('tabpanel', { name: '审核规则' });
    const row = (id: string) => audit.getByRole('row').filter({ hasText: id });
    await expect.poll(() => row('large-amount').innerText()).toMatch(/大额订单财审/);
    const large = await row('large-amount').innerText();
    expect(large).toContain('实付 ¥5,000 及以上：财务确认收款后再发货。');
    expect(large).toContain('实付金额 ≥ ¥5,000.00');
    expect(large).toContain('由财务处理');
    expect(await row('seller-memo-stop').innerText()).toContain('卖家备注包含“暂停”、“暂不发”');
    expect(await row('cross-border').innerText()).toContain('收货国家/地区不是中国大陆');
    expect(await row('livestream-urgent').innerText()).toContain('订单类型是直播');
    for (const sentence of await audit.getByTestId('rule-condition').allInnerTexts()) {
      expect(sentence).not.toMatch(/[{"]|[a-z]_[a-z]/);
    }
    expect(await audit.getByTestId('rule-json').count()).toBe(0);
    await audit.getByRole('switch', { name: '显示 JSON' }).click();
    expect(await row('large-amount').getByTestId('rule-json').innerText()).toBe(
      '{"type":"amount","basis":"paid","minFen":500000}',
    );
  });

  it('switches to English and back', async () => {
    await page.goto(`${baseUrl}/app/reviews`);
    await page.getByRole('button', { name: 'English' }).click();
    await visit('reviews-en', `/app/reviews?order=${encodeURIComponent(heldIds[0]!)}`, (p) =>
      p.getByRole('button', { name: /^Approve \(a\)$/ }).waitFor(),
    );
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('menuitem', { name: '审核队列' }).waitFor();
  });
});

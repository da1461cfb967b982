import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { line, timelineWriter } from '../reports/support.js';
import { expectNoUnlabelled, launchBrowser, listenApi, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * 报表 in a real browser: a finance user opens the sales, basket and efficiency tabs over known
 * orders and reads the figures the API computed; each tab is photographed (docs/ui with
 * `npm run ui:screenshots`).
 */
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? 'tests/.tmp/ui-screenshots');

let h: Harness;
let browser: Browser;
let baseUrl: string;
let page: Page;
/** The delivered order of 2026-11-11, whose workflow has ended. */
let deliveredId: string;
let shopId: string;
let opsKey: string;

let finance: string;
beforeAll(async () => {
  h = await createHarness();
  shopId = await createShop(h.db, 'taobao');
  finance = await apiKeyFor(h.db, ['finance']);
  opsKey = await apiKeyFor(h.db, ['ops']);
  const w = timelineWriter(h);
  // Three orders on 2026-11-11 (China time): {A, B} twice and {A} once, ¥100 a unit.
  for (const [i, skus] of [['A', 'B'], ['A', 'B'], ['A']].entries()) {
    const o = await w.place('taobao', shopId, {
      buyer: `buyer-${i}`,
      createdAt: `2026-11-11T0${i}:00:00Z`,
      paidAt: `2026-11-11T0${i}:10:00Z`,
      lines: skus.map((sku, j) => line(String(j + 1), sku, 1, 10_000)),
      province: '广东省',
    });
    await o.step('audit_passed', 'allocating', `2026-11-11T0${i}:40:00Z`);
    if (i > 0) continue;
    deliveredId = o.orderId;
    // The first goes by SF to 广东省: scanned an hour after handover, delivered a day after it.
    await o.step('shipped', 'shipped', '2026-11-11T02:00:00Z', { carrier: 'SF' });
    await o.step('in_transit', 'shipped', '2026-11-11T03:00:00Z');
    await o.step('completed', 'completed', '2026-11-12T02:00:00Z', { outcome: 'delivered' });
  }
  // Three SKUs bought together twice on 2026-10-20, among four orders: one itemset of three.
  for (const [i, skus] of [
    ['A', 'B', 'C'],
    ['A', 'B', 'C'],
    ['A', 'D'],
    ['D', 'E'],
  ].entries()) {
    const at = `2026-10-20T0${i}:00:00Z`;
    await w.place('taobao', shopId, {
      buyer: `set-buyer-${i}`,
      createdAt: at,
      paidAt: at,
      lines: skus.map((sku, j) => line(String(j + 1), sku, 1, 10_000)),
    });
  }
  // The itemsets are mined by a workflow's activity.
  await h.startWorker();
  baseUrl = (await listenApi(h)).baseUrl;
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, baseUrl, finance);
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
});

async function settle(name: string) {
  await expect.poll(() => page.locator('.ant-spin-spinning').count(), { timeout: UI_TIMEOUT }).toBe(0);
  expect(await page.locator('.ant-alert-error').count()).toBe(0);
  await expectNoUnlabelled(page);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('报表', () => {
  it('shows the period’s sales against the previous period, with the chart and top SKUs', async () => {
    await page.goto(`${baseUrl}/app/reports?from=2026-11-05&to=2026-11-11`);
    await page.getByRole('menuitem', { name: '报表' }).waitFor();
    const paid = page.locator('.ant-card', { hasText: '支付金额' }).first();
    await expect.poll(() => paid.textContent(), { timeout: UI_TIMEOUT }).toContain('¥500.00');
    await expect
      .poll(() => page.locator('.ant-card', { hasText: '连带率' }).first().textContent())
      .toContain('1.67');
    await page.getByRole('img', { name: '销售趋势图' }).locator('svg').waitFor();
    await page.getByRole('cell', { name: 'A', exact: true }).waitFor();
    // No visitor figures were uploaded: the page says so in Chinese, with how many shop-days lack them.
    await page.getByText(/支付转化率未知：本期有 \d+ 个店铺日没有访客数/).waitFor();
    await settle('reports');
  });

  it('opens on the 30 China days up to today, whatever the browser’s time zone', async () => {
    // Pago Pago is 19 hours behind Beijing: its date is China's yesterday most of the day.
    const far = await newPage(browser, { timezoneId: 'Pacific/Pago_Pago' });
    await signIn(far, baseUrl, finance);
    await far.goto(`${baseUrl}/app/reports`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const end = far.getByPlaceholder('结束日期');
    await expect.poll(() => end.inputValue(), { timeout: UI_TIMEOUT }).toBe(today);
    await far.context().close();
  });

  it('ops uploads the visitors CSV and the conversion is computed; a refused line is named in Chinese', async () => {
    const ops = await newPage(browser);
    await signIn(ops, baseUrl, opsKey);
    await ops.goto(`${baseUrl}/app/reports?from=2026-11-05&to=2026-11-11`);
    await ops.getByRole('button', { name: '上传访客数 CSV' }).waitFor({ timeout: UI_TIMEOUT });
    const file = ops.locator('.ant-upload input[type=file]');
    const csv = (text: string) => ({ name: 'traffic.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await file.setInputFiles(csv(`shop_id,day,visitors\n${shopId},2026-11-11,很多\n`));
    await expect
      .poll(() => ops.getByTestId('traffic-problems').textContent(), { timeout: UI_TIMEOUT })
      .toContain('第 2 行');
    // 100 visitors a day for the week: 3 paying buyers of 700 visitors.
    const days = ['05', '06', '07', '08', '09', '10', '11'].map((d) => `${shopId},2026-11-${d},100`);
    await file.setInputFiles(csv(`shop_id,day,visitors\n${days.join('\n')}\n`));
    const conversion = ops.locator('.ant-card', { hasText: '支付转化率' }).first();
    await expect.poll(() => conversion.textContent(), { timeout: UI_TIMEOUT }).toContain('0.4%');
    expect(await ops.getByText(/个店铺日没有访客数/).count()).toBe(0);
    expect(await ops.getByTestId('traffic-problems').count()).toBe(0);
    await expectNoUnlabelled(ops);
    await ops.context().close();
  });

  it('shows the basket pairs and the efficiency of each stage', async () => {
    await page.getByRole('tab', { name: '购物篮' }).click();
    const pair = page.getByRole('row', { name: /A\s*B\s*2/ }).first();
    await pair.waitFor();
    expect(await pair.textContent()).toContain('66.7%');
    await settle('reports-basket');
    // The pairs as a spreadsheet: the same figures, saved under the report's name and period.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_TIMEOUT }),
      page.getByRole('button', { name: '导出 CSV 关联商品对' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('basket-rules-2026-11-05_2026-11-11.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFantecedent,consequent,orders,support,confidence,lift,antecedentOrders,consequentOrders',
    );
    expect(csv).toContain('\r\nA,B,2,');
    // The same table for Excel: Chinese headings, the same pair.
    const [workbookDownload] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_TIMEOUT }),
      page.getByRole('button', { name: '导出 Excel 关联商品对' }).click(),
    ]);
    expect(workbookDownload.suggestedFilename()).toBe('basket-rules-2026-11-05_2026-11-11.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await workbookDownload.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['前项SKU', '后项SKU', '支持度']));
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining(['A', 'B', 2]));
    await page.getByRole('tab', { name: '处理效率' }).click();
    await page.getByRole('cell', { name: '审核' }).waitFor();
    await page.getByRole('img', { name: '各环节耗时图' }).locator('svg').waitFor();
    const sf = page.getByRole('row', { name: /SF\s*广东省/ });
    await sf.waitFor();
    // orders 1, delivered 1, handover → first scan 1.0 h, → delivered 24.0 h (p50 and p90)
    expect((await sf.locator('td').allTextContents()).slice(2)).toEqual(['1', '1', '1.0', '24.0', '24.0']);
    await settle('reports-efficiency');
  });

  it('shows an ended order as waiting for nothing, without a warning about its workflow', async () => {
    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(deliveredId)}`);
    await page.getByTestId('order-detail').waitFor();
    await expect
      .poll(() => page.getByTestId('waiting-for').textContent(), { timeout: UI_TIMEOUT })
      .toBe('无（订单已结束）');
    expect(await page.locator('.ant-alert-warning').count()).toBe(0);
    expect(await page.getByTestId('timeline').textContent()).toContain('完成');
  });

  it('mines the itemsets of three SKUs in the background and shows them with their rules', async () => {
    await page.goto(`${baseUrl}/app/reports?tab=basket&from=2026-10-20&to=2026-10-20`);
    await page.getByRole('button', { name: '开始挖掘' }).click();
    // The run is listed at once; its itemsets show when the worker has mined them.
    await page.getByRole('row', { name: /2026-10-20 ~ 2026-10-20/ }).waitFor({ timeout: UI_TIMEOUT });
    const set = page.getByRole('row', { name: /A\s*B\s*C\s*2\s*50\.0%/ });
    await set.waitFor({ timeout: UI_TIMEOUT });
    await page.getByText('组合 · 4 个订单').waitFor();
    // The pair bundles above say why in Chinese.
    await page
      .getByRole('row', { name: /B\s*C\s*2\s*2\s*买了 B 的订单中 100% 也买了 C（是平均的 2 倍）/ })
      .waitFor();
    await page
      .getByRole('row', { name: /已完成/ })
      .first()
      .waitFor();
    // Bought A and B → also buys C, in both of the two orders with A and B.
    const rule = page.getByRole('row', { name: /A\s*B\s*C\s*2\s*100\.0%/ });
    await rule.waitFor();
    await settle('reports-itemsets');
  });
});

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

beforeAll(async () => {
  h = await createHarness();
  const shopId = await createShop(h.db, 'taobao');
  const finance = await apiKeyFor(h.db, ['finance']);
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
    // The first goes by SF to 广东省: scanned an hour after handover, delivered a day after it.
    await o.step('shipped', 'shipped', '2026-11-11T02:00:00Z', { carrier: 'SF' });
    await o.step('in_transit', 'shipped', '2026-11-11T03:00:00Z');
    await o.step('completed', 'completed', '2026-11-12T02:00:00Z', { outcome: 'delivered' });
  }
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
    await settle('reports');
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
});

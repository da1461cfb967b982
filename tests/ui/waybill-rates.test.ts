import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../db/queries/alerts.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { WAYBILL_REFUSAL_TEXT } from '../../domain/carriers/refusal.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { SENDER, startBranchSandbox } from '../carriers/support.js';
import { createShop, uniqueId } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { expectNoUnlabelled, launchBrowser, listenApi, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * 面单账号 in a real browser: ops sets an account's label paper (面单纸), uploads its branch's rate
 * sheet (运费模板) — a refused line is named, then a good file is taken — and the 运费试算 on the
 * page changes its choice of carrier and issuing account to the one the table made cheaper.
 */
const SESSION = 'seller-session-ui-rates';

let h: Harness;
let sim: FastifyInstance;
let browser: Browser;
let page: Page;
let baseUrl: string;
let shopId: string;
const warehouseName = '杭州仓';
let warehouseCode: string;

beforeAll(async () => {
  const carriers = await startBranchSandbox({
    appKey: '20000002',
    sessions: [SESSION],
    branches: [
      { session: SESSION, carrier: 'ZTO', code: '571001', name: '中通杭州西湖网点', quantity: 50 },
      { session: SESSION, carrier: 'YTO', code: '572001', name: '圆通杭州网点', quantity: 50 },
    ],
  });
  sim = carriers.server;
  h = await createHarness(carriers.config);
  shopId = await createShop(h.db);
  warehouseCode = uniqueId('HZ');
  await h.db
    .insertInto('warehouses')
    .values({
      code: warehouseCode,
      name: `${warehouseName} ${warehouseCode}`,
      province: '浙江省',
      coverage: '[]',
    })
    .execute();
  for (const carrier of ['ZTO', 'YTO'] as const)
    await upsertCarrierAccount(h.db, shopId, { carrier, waybillChannel: 'cainiao', sender: SENDER });
  const opsKey = await apiKeyFor(h.db, ['ops']);
  const { app, baseUrl: url } = await listenApi(h);
  baseUrl = url;
  for (const [name, carrier, branchCode] of [
    ['中通西湖', 'ZTO', '571001'],
    ['圆通杭州', 'YTO', '572001'],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: `/shops/${shopId}/waybill-accounts`,
      headers: bearer(opsKey),
      payload: { carrier, service: 'cainiao', name, branchCode, credentials: { session: SESSION } },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, baseUrl, opsKey);
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
  await sim?.close();
});

const csv = (text: string) => ({ name: '报价单.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
const HEADER = '目的省份,首重(kg),首重价格(元),续重(kg),续重价格(元)';

describe('面单账号: 面单纸 and 运费模板', () => {
  it('sets the label paper, names a refused line of the rate sheet, and the quote follows the table', async () => {
    await page.goto(`${baseUrl}/app/waybill-accounts?shop=${encodeURIComponent(shopId)}`);
    const accounts = page.getByTestId('waybill-accounts');
    await accounts.getByRole('cell', { name: '圆通杭州', exact: true }).waitFor();

    // 运费试算 before any table: 1.2 kg from the Hangzhou warehouse to 广东 at the carriers' prices.
    const quote = page.getByTestId('waybill-quote');
    await quote.getByRole('combobox', { name: '发货仓' }).click();
    await page.locator('.ant-select-item-option', { hasText: warehouseCode }).click();
    await quote.getByRole('textbox', { name: '目的省份' }).fill('广东');
    await quote.getByRole('spinbutton', { name: '重量(kg)' }).fill('1.2');
    await quote.getByRole('button', { name: '试算' }).click();
    const chosen = quote.getByTestId('waybill-quote-chosen');
    await chosen.waitFor();
    const before = (await chosen.textContent())!;
    const beforeCarrier = /选中 (\w+)/.exec(before)![1]!;
    const beforeFen = Math.round(Number(/¥([\d.]+)/.exec(before)![1]) * 100);
    // The account the table goes on: the other carrier's, priced below what was chosen.
    const [other, otherCarrier] = beforeCarrier === 'ZTO' ? ['圆通杭州', 'YTO'] : ['中通西湖', 'ZTO'];
    const firstFen = Math.max(1, beforeFen - 100);
    const cheaper = `${HEADER}\n广东,1,${(firstFen / 100).toFixed(2)},1,0.30\n*,1,20,1,10\n`;

    // 面单纸: the account's printer takes the small 76×130 stock.
    await page.getByRole('button', { name: `编辑 ${other}` }).click();
    const form = page.getByTestId('waybill-account-form');
    await form.getByRole('combobox', { name: '面单纸' }).click();
    await page.locator('.ant-select-item-option', { hasText: '76×130 mm' }).click();
    await form.getByRole('button', { name: '保存' }).click();
    const row = accounts.getByRole('row', { name: new RegExp(other) });
    await expect.poll(() => row.textContent(), { timeout: UI_TIMEOUT }).toContain('76×130');

    // 运费模板: a sheet with an unknown province is refused with its line named, and nothing saved.
    await page.getByRole('button', { name: `编辑 ${other}` }).click();
    const rates = page.getByTestId('waybill-account-rates');
    const file = rates.locator('.ant-upload input[type=file]');
    await file.setInputFiles(csv(`${HEADER}\n广东,1,2.00,1,0.50\n火星,1,3,1,1\n`));
    const refused = rates.getByRole('alert');
    await expect.poll(() => refused.textContent(), { timeout: UI_TIMEOUT }).toContain('第 3 行「目的省份」');
    expect(await refused.textContent()).toContain('火星');
    expect(await row.textContent()).toContain('无（按合同价或默认价）');

    // The good sheet is taken: the table shows its rows, the text box the stored table.
    await file.setInputFiles(csv(cheaper));
    await expect.poll(() => rates.getByRole('alert').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect
      .poll(() => rates.getByRole('textbox', { name: '运费模板' }).inputValue(), { timeout: UI_TIMEOUT })
      .toContain('广东省,1,');
    await expectNoUnlabelled(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => row.textContent(), { timeout: UI_TIMEOUT }).toContain('2 行');

    // The quote is asked again: the other carrier now, from the account whose table priced it,
    // 首重 1 kg plus one 续重 kg for 1.2 kg, and the price says it comes from that table.
    const expected = `¥${((firstFen + 30) / 100).toFixed(2)}`;
    await expect
      .poll(() => chosen.textContent(), { timeout: UI_TIMEOUT })
      .toBe(`选中 ${otherCarrier}：${expected}（计费重 1.2kg）`);
    await expect
      .poll(() => quote.getByTestId('waybill-quote-account').textContent())
      .toBe(`出单账号：${other}`);
    expect(await quote.getByTestId('waybill-quote-result').textContent()).toContain(
      `面单账号“${other}”的运费模板（首重1kg`,
    );
    // The choice's reason reads in Chinese: the carriers' codes and the account's name kept.
    expect(await quote.getByTestId('waybill-quote-result').textContent()).toMatch(
      new RegExp(`${otherCarrier}：\\d 家可送达 广东 的快递中最便宜`),
    );
    expect(await quote.getByTestId('waybill-quote-result').textContent()).not.toMatch(
      /cheapest|rate table|invented default/,
    );
    // The previous choice is now an alternative at its own price.
    expect(await quote.getByTestId('waybill-quote-result').textContent()).toContain(
      `${beforeCarrier} ¥${(beforeFen / 100).toFixed(2)}`,
    );
    await expectNoUnlabelled(page);

    // The branch's workbook itself (.xlsx): a dearer 广东 price, and the choice goes back.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('报价单');
    sheet.addRow(['网点报价单']);
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['广东', 1, (beforeFen + 500) / 100, 1, 1]);
    await page.getByRole('button', { name: `编辑 ${other}` }).click();
    await rates.locator('.ant-upload input[type=file]').setInputFiles({
      name: '报价单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await expect
      .poll(() => rates.getByRole('textbox', { name: '运费模板' }).inputValue(), { timeout: UI_TIMEOUT })
      .toBe(`${HEADER}\n广东省,1,${((beforeFen + 500) / 100).toFixed(2)},1,1.00`);
    await page.keyboard.press('Escape');
    await expect.poll(() => row.textContent(), { timeout: UI_TIMEOUT }).toContain('1 行');
    await expect
      .poll(() => chosen.textContent(), { timeout: UI_TIMEOUT })
      .toBe(`选中 ${beforeCarrier}：¥${(beforeFen / 100).toFixed(2)}（计费重 1.2kg）`);
  });

  it('says in Chinese why carriers were left out: a rate table without the province, a parcel too heavy', async () => {
    await page.goto(`${baseUrl}/app/waybill-accounts?shop=${encodeURIComponent(shopId)}`);
    const quote = page.getByTestId('waybill-quote');
    await quote.getByRole('combobox', { name: '发货仓' }).click();
    await page.locator('.ant-select-item-option', { hasText: warehouseCode }).click();
    const ask = async (province: string, kg: string) => {
      await quote.getByRole('textbox', { name: '目的省份' }).fill(province);
      await quote.getByRole('spinbutton', { name: '重量(kg)' }).fill(kg);
      await quote.getByRole('button', { name: '试算' }).click();
    };
    const rejected = quote.getByTestId('waybill-quote-rejected');
    // The table taken above prices 广东 only: to 四川 its carrier is left out, said with the account's name.
    await ask('四川', '1.2');
    await expect
      .poll(() => rejected.textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/^不可选：(ZTO|YTO)（\1账号的运费模板都没有四川省的价格（(中通西湖|圆通杭州)））$/);
    await quote.getByTestId('waybill-quote-chosen').waitFor();
    // 100 kg is over both carriers' limit: nothing chosen, each carrier's limit said in Chinese.
    await ask('四川', '100');
    await quote.getByText('没有快递能接这个包裹').waitFor();
    await expect
      .poll(() => rejected.textContent(), { timeout: UI_TIMEOUT })
      .toContain('ZTO（包裹 100kg，超过限重 40kg');
    const words = (await rejected.textContent())!;
    expect(words).toContain('YTO（包裹 100kg，超过限重 40kg');
    expect(words).not.toMatch(/weighs|limit|rate table|prices/);
    await expectNoUnlabelled(page);
    // English pages keep the API's words.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => rejected.textContent(), { timeout: UI_TIMEOUT }).toContain('weighs 100 kg');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('an account that stopped says in Chinese why and what to do, with the carrier’s words kept', async () => {
    // Raised as the waybill activity raises it (activities/carriers/waybill-accounts.ts).
    await raiseAlert(h.db, {
      shopId,
      kind: 'waybill_account_failing',
      message: `ZTO waybill account 中通西湖 stopped (${WAYBILL_REFUSAL_TEXT.no_balance}): 电子面单余额不足`,
    });
    await page.goto(`${baseUrl}/app/waybill-accounts?shop=${encodeURIComponent(shopId)}`);
    const alert = page.getByTestId('waybill-alert');
    await expect
      .poll(() => alert.textContent(), { timeout: UI_TIMEOUT })
      .toBe(
        'ZTO面单账号“中通西湖”已停用：面单余额用完（快递的说明：电子面单余额不足），停用期间由其他账号出单。' +
          '请到网点充值，充值后点“查询余额”恢复使用',
      );
  });
});

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SKU } from '../support/fixtures.js';
import { MINUTES, startOwnStoreWorld, type OwnStoreWorld } from '../after-sales/world.js';
import { expectNoUnlabelled, focused, launchBrowser, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * 仓库 › 退货入库 in a real browser, on the real stack: a return agreed on a shipped order is in
 * the expected list; the warehouse scans its return tracking number, counts one unit resaleable
 * and one damaged, gets the API's 400 under the reason field until it says why, and receives it —
 * the unit is back on the shelf, the case refunds, and the desk shows the inspection. An unknown
 * scan says so; customer service sees the desk without the receive button and the API refuses the
 * forged receipt.
 */
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? 'tests/.tmp/ui-screenshots');
let w: OwnStoreWorld;
let browser: Browser;
let baseUrl: string;
let caseId: string;
const waybill = { carrierCode: 'YTO', trackingNo: `YT${Date.now()}` };
const SCAN = '扫描退货运单号或售后单号';
const keyOf = (auth: { authorization: string }) => auth.authorization.replace(/^Bearer /, '');

beforeAll(async () => {
  w = await startOwnStoreWorld('own-ui-ret');
  baseUrl = await w.api.listen({ host: '127.0.0.1', port: 0 });
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const caseRow = (id = caseId) =>
  w.h.db.selectFrom('after_sale_cases').selectAll().where('id', '=', id).executeTakeFirst();

/** A return agreed on a shipped order: the buyer's parcel is on its way under their own waybill. */
async function agreedReturn(): Promise<string> {
  const order = await w.shippedOrder();
  const id = await w.returnBothShirts(order, 'RT', { returnWaybill: waybill });
  await expect.poll(async () => (await caseRow(id))?.waiting_for, { timeout: UI_TIMEOUT }).toBe('a decision');
  await w.agree(id);
  await expect.poll(async () => (await caseRow(id))?.status, { timeout: UI_TIMEOUT }).toBe('returning');
  return id;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function openDesk(page: Page) {
  await page.goto(`${baseUrl}/app/warehouse`);
  await page.getByRole('tab', { name: '退货入库' }).click();
  return page.getByLabel(SCAN, { exact: true });
}

describe('仓库 › 退货入库 in the browser', () => {
  it(
    'the warehouse scans a return, counts and inspects each unit, and the case restocks and refunds',
    async () => {
      caseId = await agreedReturn();
      const before = await w.stock(TEST_SKU.code);
      const page = await newPage(browser);
      await signIn(page, baseUrl, keyOf(w.wh));
      const scan = await openDesk(page);
      // The agreed return is expected, and the scan field has focus for the scanner.
      await page.getByTestId('wms-returns').getByText(caseId).waitFor();
      await expect.poll(() => focused(page)).toBe(`INPUT:${SCAN}`);

      await scan.fill('YT-NOT-OURS-1');
      await scan.press('Enter');
      await page.getByRole('alert').getByText('没有找到“YT-NOT-OURS-1”', { exact: false }).waitFor();

      await scan.fill(waybill.trackingNo);
      await scan.press('Enter');
      const parcel = page.getByTestId('return-parcel');
      await parcel.getByText(caseId).waitFor();
      // Everything starts counted as resaleable; one of the two turns out damaged.
      const resaleable = parcel.getByRole('spinbutton', { name: `${TEST_SKU.code} 良品（回库）` });
      expect(await resaleable.inputValue()).toBe('2');
      await resaleable.fill('1');
      await parcel.getByRole('spinbutton', { name: `${TEST_SKU.code} 残次（报损）` }).fill('1');
      await expectNoUnlabelled(page);
      await parcel.getByRole('button', { name: '确认收货' }).click();
      // The API's 400 (a damaged unit needs a reason) under the reason field it names.
      const reasonError = parcel.locator('.ant-form-item-explain-error');
      await expect
        .poll(() => reasonError.allTextContents(), { timeout: UI_TIMEOUT })
        .toEqual([expect.stringContaining('reason')]);
      expect(await caseRow()).toMatchObject({ status: 'returning' });

      await parcel.getByRole('textbox', { name: `${TEST_SKU.code} 残次原因` }).fill('领口撕裂');
      await shot(page, 'warehouse-returns');
      await parcel.getByRole('button', { name: '确认收货' }).click();
      await page.getByText(`已收货：售后单 ${caseId}`, { exact: false }).waitFor();
      // Ready for the next parcel: the desk is cleared and the scanner's field has focus again.
      await expect.poll(() => scan.inputValue()).toBe('');
      await expect.poll(() => focused(page)).toBe(`INPUT:${SCAN}`);

      await expect.poll(async () => (await caseRow())?.status, { timeout: UI_TIMEOUT }).toBe('refunded');
      expect(await w.stock(TEST_SKU.code)).toEqual({
        on_hand: before.on_hand + 1,
        reserved: before.reserved,
      });

      // Scanning the parcel again shows what the inspection found, and no second receipt.
      await scan.fill(waybill.trackingNo);
      await scan.press('Enter');
      await parcel.getByText('检验结果').waitFor();
      const inspected = await parcel.getByRole('row').allTextContents();
      expect(inspected.join('|')).toContain('damaged: 领口撕裂');
      expect(await parcel.getByRole('button', { name: '确认收货' }).count()).toBe(0);
      await page.getByText('已收退货', { exact: true }).click();
      await page.getByTestId('wms-returns').getByText(caseId).waitFor();
      await page.context().close();
    },
    6 * MINUTES,
  );

  it('customer service sees the returns without the receive button, and the API refuses the forged receipt', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keyOf(w.cs));
    const scan = await openDesk(page);
    await scan.fill(caseId);
    await scan.press('Enter');
    await page.getByTestId('return-parcel').getByText(caseId).waitFor();
    expect(await page.getByRole('button', { name: '确认收货' }).count()).toBe(0);
    const forged = await page.evaluate<{ status: number }>(`(async () => {
      const res = await fetch('/wms/returns/receipts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + localStorage.getItem('erp.token') },
        body: JSON.stringify({ warehouse: ${JSON.stringify(w.warehouse)}, scan: ${JSON.stringify(caseId)},
          lines: [{ lineId: '1', qty: 2, condition: 'resaleable' }] }),
      });
      return { status: res.status };
    })()`);
    expect(forged.status).toBe(403);
    await page.context().close();
  });
});

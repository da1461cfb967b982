import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor } from '../auth/support.js';
import {
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';
import { createShop } from '../support/fixtures.js';
import { setupCarrierAccounts } from '../support/fulfilment.js';
import { launchBrowser, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * Reprinting a label on the 物流 page, in a real browser on the real stack: the button asks why,
 * the API's 400 shows under the reason field, and the reprint with its reason and the packer's name
 * lands on the order's timeline while the label opens.
 */
let w: ShipmentWorld;
let browser: Browser;
let baseUrl: string;
let packerKey = '';

beforeAll(async () => {
  w = await startShipmentWorld({ TRACKING_POLL_SECONDS: '3600' });
  baseUrl = await w.api.listen({ host: '127.0.0.1', port: 0 });
  packerKey = await apiKeyFor(w.h.db, ['warehouse'], 'packer-xiaowang');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

describe('重打面单 on the shipments page', () => {
  it('asks for the reason, shows the API refusal under the field, and puts the reprint on the order timeline', async () => {
    const shopId = await createShop(w.h.db, 'taobao');
    await setupCarrierAccounts(w.h.db, shopId, ['ZTO']);
    const orderId = await submitOwnOrder(w, shopId);
    const { parcelId, trackingNumber } = await toLabelled(w, orderId);
    await expect
      .poll(async () =>
        w.h.db
          .selectFrom('shipment_labels')
          .select('shipment_id')
          .where('shipment_id', '=', parcelId)
          .executeTakeFirst(),
      )
      .toBeDefined();

    const page = await newPage(browser);
    await signIn(page, baseUrl, packerKey);
    await page.goto(`${baseUrl}/app/shipments?tab=all`);
    const row = page.getByRole('row').filter({ hasText: trackingNumber });
    await row.getByRole('button', { name: '重打面单' }).click({ timeout: UI_TIMEOUT });
    const dialog = page.getByRole('dialog');
    // Sent without a reason: the API's 400 under the reason field, nothing recorded.
    await dialog.getByRole('button', { name: '重打面单' }).click();
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').allTextContents(), { timeout: UI_TIMEOUT })
      .toEqual(['至少 2 个字符']);
    expect(await w.h.db.selectFrom('label_reprints').selectAll().execute()).toEqual([]);

    await dialog.getByLabel('重打原因').fill('面单被撕破');
    const opened = page.context().waitForEvent('page', { timeout: UI_TIMEOUT });
    await dialog.getByRole('button', { name: '重打面单' }).click();
    await opened;
    await expect.poll(() => dialog.isVisible(), { timeout: UI_TIMEOUT }).toBe(false);

    await page.goto(`${baseUrl}/app/orders/${encodeURIComponent(orderId)}`);
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('重打面单');
    const text = (await timeline.textContent())!;
    expect(text).toContain('packer-xiaowang');
    expect(text).toContain('原因: 面单被撕破');
    expect(text).toContain('printCount: 2');
    await page.context().close();
  });
});
